// The Telegram "Acknowledge" button's poller against the FakeTelegram over loopback sockets:
// real HTTP and real long polls, with backoff sleeps on a FakeClock so they are checked to
// the millisecond and cost no time.

#include "responder/telegram_ack_poller.h"

#include <glog/logging.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_providers.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kPlantedToken[] = "7700112233:AAPlantedAckPollerToken_Zq8-w4";
constexpr int64_t kChat = -1001234567890;
constexpr int64_t kKim = 111;       // on the allow-list
constexpr int64_t kStranger = 999;  // not
constexpr milliseconds kWait{10000};

// Every glog line while it lives, with its severity.
class LogCapture : public google::LogSink {
 public:
  LogCapture() { google::AddLogSink(this); }
  ~LogCapture() override { google::RemoveLogSink(this); }
  void send(google::LogSeverity severity, const char*, const char*, int, const struct ::tm*,
            const char* message, size_t length) override {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push_back(std::string(google::GetLogSeverityName(severity)) + " " +
                     std::string(message, length));
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }
  // The lines containing `needle`, in order.
  std::vector<std::string> Matching(std::string_view needle) const {
    std::vector<std::string> out;
    for (const std::string& line : lines()) {
      if (line.find(needle) != std::string::npos) out.push_back(line);
    }
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

struct HandlerCall {
  std::string data;
  TelegramAckActor actor;
};

class TelegramAckPollerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(telegram_.Start().ok()); }
  void TearDown() override {
    if (poller_) poller_->Stop();
  }

  TelegramConfig Config() const {
    TelegramConfig config;
    config.name = "tg-sec";
    config.api_base = telegram_.api_base();
    config.bot_token = telegram_.token();
    config.chat_id = std::to_string(kChat);
    return config;
  }
  TelegramAckHandler Handler() {
    return [this](std::string_view data, const TelegramAckActor& actor) {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.push_back({std::string(data), actor});
      return reply_;
    };
  }
  // Real long polls of 2 s: a poll in flight always outlasts the 1 s anti-spin floor.
  TelegramAckPollerOptions Options() const {
    TelegramAckPollerOptions options;
    options.poll_timeout = seconds(2);
    return options;
  }
  void StartPoller(TelegramAckPollerOptions options) {
    poller_ = std::make_unique<TelegramAckPoller>(Config(), std::set<int64_t>{kKim}, client_,
                                                  clock_, Handler(), options);
    ASSERT_TRUE(poller_->Start().ok());
  }
  void StartPoller() { StartPoller(Options()); }
  std::vector<HandlerCall> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  // The sum of the poller's sleeps on the fake clock.
  milliseconds Slept() const {
    std::chrono::nanoseconds total{0};
    for (auto s : clock_.sleeps()) total += s;
    return std::chrono::duration_cast<milliseconds>(total);
  }
  std::vector<std::string> GetUpdatesBodies() const {
    std::vector<std::string> bodies;
    for (const RecordedRequest& r : telegram_.requests()) {
      if (r.path.ends_with("/getUpdates")) bodies.push_back(r.body);
    }
    return bodies;
  }

  LogCapture log_;
  FakeTelegram telegram_{kPlantedToken};
  HttpClient client_;
  FakeClock clock_;
  mutable std::mutex mu_;
  std::vector<HandlerCall> calls_;
  TelegramAckReply reply_{"확인했습니다 (acknowledged)", "✅ @kim 14:03 확인"};
  std::unique_ptr<TelegramAckPoller> poller_;
};

TEST_F(TelegramAckPollerTest, APressReachesTheHandlerIsAnsweredAndTheButtonRelabelled) {
  StartPoller();
  const int64_t update = telegram_.PressButton(kKim, "kim", "ack:7f3a9c", kChat, 55);
  ASSERT_TRUE(telegram_.WaitForEdits(1, kWait));

  std::vector<HandlerCall> handled = calls();
  ASSERT_EQ(handled.size(), 1u);
  EXPECT_EQ(handled[0].data, "ack:7f3a9c");
  EXPECT_EQ(handled[0].actor.user_id, kKim);
  EXPECT_EQ(handled[0].actor.display, "@kim");

  std::vector<TelegramCallbackAnswer> answers = telegram_.callback_answers();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].callback_query_id, FakeTelegram::callback_query_id_of(update));
  EXPECT_EQ(answers[0].text, "확인했습니다 (acknowledged)");
  EXPECT_EQ(telegram_.reply_markup_of(kChat, 55),
            R"({"inline_keyboard":[[{"text":"✅ @kim 14:03 확인","callback_data":"noop"}]]})");
  EXPECT_EQ(telegram_.edits()[0].method, "editMessageReplyMarkup");

  poller_->Stop();
  TelegramAckCounters counters = poller_->counters();
  EXPECT_EQ(counters.handled, 1);
  EXPECT_EQ(counters.refused, 0);
  EXPECT_EQ(counters.errors, 0);
  // Confirmed: Telegram keeps nothing for the next poller.
  EXPECT_EQ(poller_->offset(), update + 1);
  EXPECT_EQ(telegram_.pending_updates(), 0u);
  for (const std::string& body : GetUpdatesBodies()) {
    EXPECT_NE(body.find(R"("allowed_updates":["callback_query"])"), std::string::npos) << body;
  }
  EXPECT_EQ(log_.Matching("telegram_ack channel=tg-sec user_id=111 user=\"@kim\" relabel=1").size(),
            1u);
}

TEST_F(TelegramAckPollerTest, AUserNotOnTheAllowListIsRefusedAndTheHandlerNeverAsked) {
  StartPoller();
  telegram_.PressButton(kStranger, "mallory", "ack:7f3a9c", kChat, 55);
  telegram_.PressButton(kKim, "kim", "ack:7f3a9c", kChat, 55);
  ASSERT_TRUE(telegram_.WaitForCallbackAnswers(2, kWait));
  ASSERT_TRUE(telegram_.WaitForEdits(1, kWait));

  std::vector<TelegramCallbackAnswer> answers = telegram_.callback_answers();
  EXPECT_EQ(answers[0].text, std::string(kTelegramAckNotAllowed));
  EXPECT_EQ(answers[0].text, "확인 권한이 없습니다 (not on the allow-list)");
  std::vector<HandlerCall> handled = calls();
  ASSERT_EQ(handled.size(), 1u);  // kim's only
  EXPECT_EQ(handled[0].actor.user_id, kKim);
  EXPECT_EQ(poller_->counters().refused, 1);
  EXPECT_EQ(poller_->counters().handled, 1);

  std::vector<std::string> refused = log_.Matching("telegram_ack_refused");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].find("user_id=999 user=\"@mallory\" reason=not_on_allow_list"),
            std::string::npos)
      << refused[0];
}

TEST_F(TelegramAckPollerTest, NoopAndDatalessPressesAreAnsweredAndNothingElse) {
  StartPoller();
  telegram_.PressButton(kKim, "kim", "noop", kChat, 55);
  telegram_.PushRawUpdate(
      R"({"callback_query":{"id":"q-game","from":{"id":111,"is_bot":false,"first_name":"K"},)"
      R"("chat_instance":"1","game_short_name":"g"}})");
  ASSERT_TRUE(telegram_.WaitForCallbackAnswers(2, kWait));
  std::vector<TelegramCallbackAnswer> answers = telegram_.callback_answers();
  EXPECT_EQ(answers[0].text, std::string(kTelegramAckAlreadyDone));
  EXPECT_EQ(answers[1].callback_query_id, "q-game");
  EXPECT_EQ(answers[1].text, std::string(kTelegramAckUnknownButton));
  poller_->Stop();
  EXPECT_TRUE(calls().empty());
  EXPECT_TRUE(telegram_.edits().empty());
  EXPECT_EQ(poller_->counters().noop, 2);
  EXPECT_EQ(poller_->counters().handled, 0);
}

TEST_F(TelegramAckPollerTest, NoRelabelWhenTheHandlerSaysSoOrTheMessageIsOutOfReach) {
  reply_.button_label.reset();
  StartPoller();
  telegram_.PressButton(kKim, "kim", "ack:1", kChat, 55);
  ASSERT_TRUE(telegram_.WaitForCallbackAnswers(1, kWait));
  {
    std::lock_guard<std::mutex> lock(mu_);
    reply_.button_label = "✅ done";
  }
  telegram_.PushRawUpdate(  // a message too old for the bot: date 0
      R"({"callback_query":{"id":"q-old","from":{"id":111,"is_bot":false,"first_name":"K"},)"
      R"("chat_instance":"1","data":"ack:2","message":{"message_id":11,)"
      R"("chat":{"id":-100,"type":"group"},"date":0}}})");
  ASSERT_TRUE(telegram_.WaitForCallbackAnswers(2, kWait));
  poller_->Stop();
  EXPECT_EQ(calls().size(), 2u);
  EXPECT_TRUE(telegram_.edits().empty());
  EXPECT_EQ(log_.Matching("telegram_ack_relabel_skipped channel=tg-sec "
                          "reason=message_inaccessible")
                .size(),
            1u);
}

TEST_F(TelegramAckPollerTest, ARestartDoesNotHandleConfirmedPressesAgain) {
  StartPoller();
  const int64_t first = telegram_.PressButton(kKim, "kim", "ack:1", kChat, 55);
  const int64_t second = telegram_.PressButton(kKim, "kim", "ack:2", kChat, 56);
  ASSERT_TRUE(telegram_.WaitForCallbackAnswers(2, kWait));
  poller_->Stop();
  EXPECT_EQ(poller_->offset(), second + 1);
  EXPECT_GT(second, first);

  // The next process starts with offset 0, as after a restart: Telegram has nothing left.
  StartPoller();
  const int64_t third = telegram_.PressButton(kKim, "kim", "ack:3", kChat, 57);
  ASSERT_TRUE(telegram_.WaitForCallbackAnswers(3, kWait));
  poller_->Stop();
  std::vector<HandlerCall> handled = calls();
  ASSERT_EQ(handled.size(), 3u);
  EXPECT_EQ(handled[0].data, "ack:1");
  EXPECT_EQ(handled[1].data, "ack:2");
  EXPECT_EQ(handled[2].data, "ack:3");
  EXPECT_EQ(poller_->offset(), third + 1);
}

TEST_F(TelegramAckPollerTest, AConflictIsAnErrorNamingTheCauseAndBacksOffDoubling) {
  telegram_.Script({FakeTelegram::Conflict(), FakeTelegram::Conflict(), FakeTelegram::Conflict()});
  StartPoller();
  ASSERT_TRUE(telegram_.WaitForRequests(4, kWait));  // three conflicts, then a normal poll
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, kWait));
  poller_->Stop();

  std::vector<std::string> failures = log_.Matching("telegram_poll_failed");
  ASSERT_EQ(failures.size(), 3u);
  const char* waits[] = {"retry_in_ms=5000", "retry_in_ms=10000", "retry_in_ms=20000"};
  for (size_t i = 0; i < failures.size(); ++i) {
    EXPECT_EQ(failures[i].rfind("ERROR telegram_poll_failed channel=tg-sec reason=conflict "
                                "status=409 ",
                                0),
              0u)
        << failures[i];
    EXPECT_NE(failures[i].find(waits[i]), std::string::npos) << failures[i];
    EXPECT_NE(failures[i].find("another getUpdates poller or a webhook is set for this bot"),
              std::string::npos)
        << failures[i];
  }
  EXPECT_EQ(Slept(), milliseconds(35000));
  EXPECT_EQ(poller_->counters().errors, 3);
}

TEST_F(TelegramAckPollerTest, ServerErrorsBackOffUpToTheCapAndASuccessResetsIt) {
  TelegramAckPollerOptions options = Options();
  options.max_error_backoff = seconds(12);
  telegram_.Script({FakeTelegram::BadGateway(502), FakeTelegram::Error(500, "Internal"),
                    FakeTelegram::BadGateway(503), FakeTelegram::BadGateway(504)});
  StartPoller(options);
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, kWait));  // the fifth poll, a normal one
  // A press proves the poller recovered; then one more failure starts from the base again.
  telegram_.PressButton(kKim, "kim", "ack:1", kChat, 55);
  ASSERT_TRUE(telegram_.WaitForEdits(1, kWait));  // the press's last call
  const int polls = telegram_.get_updates_calls();
  telegram_.Script({FakeTelegram::BadGateway(502)});  // for the next poll
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(polls + 1, kWait));
  ASSERT_EQ(telegram_.scripted_left(), 0u);
  poller_->Stop();

  std::vector<std::string> failures = log_.Matching("telegram_poll_failed");
  ASSERT_EQ(failures.size(), 5u);
  const char* waits[] = {"retry_in_ms=5000 ", "retry_in_ms=10000 ", "retry_in_ms=12000 ",
                         "retry_in_ms=12000 ", "retry_in_ms=5000 "};
  for (size_t i = 0; i < failures.size(); ++i) {
    EXPECT_EQ(
        failures[i].rfind("WARNING telegram_poll_failed channel=tg-sec reason=server_error", 0), 0u)
        << failures[i];
    EXPECT_NE(failures[i].find(waits[i]), std::string::npos) << failures[i];
  }
  EXPECT_EQ(Slept(), milliseconds(5000 + 10000 + 12000 + 12000 + 5000));
  EXPECT_EQ(calls().size(), 1u);
}

TEST_F(TelegramAckPollerTest, FloodControlWaitsExactlyWhatTheServerSays) {
  telegram_.Script({FakeTelegram::Flood(42), FakeTelegram::BadGateway(502)});
  StartPoller();
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, kWait));
  poller_->Stop();
  std::vector<std::string> failures = log_.Matching("telegram_poll_failed");
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_NE(failures[0].find("reason=rate_limited status=429 retry_in_ms=42000 "),
            std::string::npos)
      << failures[0];
  // The server's wait does not count as a backoff step: the next failure starts at the base.
  EXPECT_NE(failures[1].find("reason=server_error status=502 retry_in_ms=5000 "), std::string::npos)
      << failures[1];
  EXPECT_EQ(Slept(), milliseconds(47000));
}

TEST_F(TelegramAckPollerTest, StopEndsTheLongPollInFlightAtOnce) {
  TelegramAckPollerOptions options = Options();
  options.poll_timeout = seconds(30);
  StartPoller(options);
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, kWait));
  const auto before = std::chrono::steady_clock::now();
  poller_->Stop();
  const auto took = std::chrono::steady_clock::now() - before;
  EXPECT_LT(took, seconds(5));  // far under the 30 s poll
  // How: Stop's own getUpdates made the server end the parked one, as the Bot API does.
  EXPECT_EQ(telegram_.conflicts(), 1);
  EXPECT_TRUE(log_.Matching("telegram_poll_failed").empty());  // not an error of ours
  EXPECT_EQ(poller_->counters().errors, 0);
}

TEST_F(TelegramAckPollerTest, StartRefusesWhatCannotWork) {
  auto make = [&](TelegramConfig config, std::set<int64_t> allowed, TelegramAckHandler handler,
                  TelegramAckPollerOptions options) {
    return std::make_unique<TelegramAckPoller>(std::move(config), std::move(allowed), client_,
                                               clock_, std::move(handler), options);
  };
  TelegramConfig no_token = Config();
  no_token.bot_token.clear();
  EXPECT_FALSE(make(no_token, {kKim}, Handler(), Options())->Start().ok());
  Status empty = make(Config(), {}, Handler(), Options())->Start();
  EXPECT_FALSE(empty.ok());
  EXPECT_NE(empty.message().find("allow-list is empty"), std::string::npos);
  EXPECT_FALSE(make(Config(), {kKim}, nullptr, Options())->Start().ok());
  TelegramAckPollerOptions short_polling = Options();
  short_polling.poll_timeout = seconds(0);
  EXPECT_FALSE(make(Config(), {kKim}, Handler(), short_polling)->Start().ok());

  StartPoller();
  EXPECT_FALSE(poller_->Start().ok());                      // twice
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, kWait));  // the started one does poll
}

TEST_F(TelegramAckPollerTest, TheBotTokenNeverReachesALogLine) {
  google::FlagSaver saver;
  FLAGS_v = 3;
  // Every path that writes about a call: each poll failure kind, the server quoting the token,
  // a refused press, a failed answer and a failed edit, and Stop's own poll.
  telegram_.Script(
      {FakeTelegram::Unauthorized(), FakeTelegram::Conflict(), FakeTelegram::BadGateway(502),
       FakeTelegram::Flood(1), ScriptedReply::Answer(200, "not json"),
       FakeTelegram::Error(400, std::string("Bad Request: bot ") + kPlantedToken + " unknown")});
  StartPoller();
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, kWait));
  telegram_.PressButton(kStranger, "mallory", "ack:1", kChat, 55);
  ASSERT_TRUE(telegram_.WaitForCallbackAnswers(1, kWait));
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(2, kWait));  // parked again
  // The next press: its answer is refused, and so is its edit (scripted in order).
  const size_t before = telegram_.request_count();
  telegram_.Script({FakeTelegram::Error(400, "Bad Request: query is too old"),
                    FakeTelegram::Error(400, std::string("Bad Request: token ") + kPlantedToken)});
  telegram_.PressButton(kKim, "kim", "ack:2", kChat, 56);
  ASSERT_TRUE(telegram_.WaitForRequests(before + 2, kWait));
  poller_->Stop();  // lets the poller finish the press first

  std::string all;
  for (const std::string& line : log_.lines()) all += line + "\n";
  EXPECT_EQ(all.find(kPlantedToken), std::string::npos) << all;
  EXPECT_EQ(all.find("AAPlantedAckPollerToken"), std::string::npos) << all;
  // ... and the log did say what happened.
  EXPECT_NE(all.find("reason=unauthorized"), std::string::npos) << all;
  EXPECT_NE(all.find("reason=conflict"), std::string::npos);
  EXPECT_NE(all.find("reason=server_error"), std::string::npos);
  EXPECT_NE(all.find("reason=rate_limited"), std::string::npos);
  EXPECT_NE(all.find("reason=bad_answer"), std::string::npos);
  EXPECT_NE(all.find("reason=rejected"), std::string::npos);
  EXPECT_NE(all.find("telegram_ack_refused"), std::string::npos);
  EXPECT_NE(all.find("telegram_answer_failed"), std::string::npos);
  EXPECT_NE(all.find("telegram_relabel_failed"), std::string::npos);
  EXPECT_NE(all.find("<redacted>"), std::string::npos);
  EXPECT_EQ(poller_->counters().errors, 6 + 2);
}

}  // namespace
}  // namespace rr
