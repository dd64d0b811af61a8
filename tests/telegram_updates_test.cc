// The Bot API calls of the "Acknowledge" button (channels/telegram_updates), against the
// FakeTelegram over loopback sockets, and the fake's own Bot API behaviour for those calls.

#include "channels/telegram_updates.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "alarm/json.h"
#include "channels/utf16_length.h"
#include "tests/fakes/fake_providers.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kPlantedToken[] = "7700112233:AAPlantedAckPollerToken_Zq8-w4";
constexpr int64_t kChat = -1001234567890;

JsonDocument Parse(const std::string& body) {
  JsonDocument doc;
  Status status = ParseJson(body, JsonLimits{}, "body", &doc);
  EXPECT_TRUE(status.ok()) << status.message() << "\n" << body;
  return doc;
}

// A TCP port on 127.0.0.1 with nothing listening (bound, then closed).
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class TelegramUpdatesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(telegram_.Start().ok()); }

  TelegramConfig Config() const {
    TelegramConfig config;
    config.name = "tg";
    config.api_base = telegram_.api_base() + "/";  // a trailing slash is tolerated
    config.bot_token = telegram_.token();
    config.chat_id = std::to_string(kChat);
    return config;
  }
  TelegramUpdates Poll(int64_t offset, seconds timeout = seconds(0)) {
    HttpRequest request = TelegramGetUpdatesRequest(Config(), offset, timeout);
    return ParseTelegramUpdates(request, client_.Send(request));
  }

  FakeTelegram telegram_{kPlantedToken};
  HttpClient client_;
};

// ---- requests --------------------------------------------------------------------------------

TEST_F(TelegramUpdatesTest, GetUpdatesAsksForCallbackQueriesAndOutlastsItsLongPoll) {
  HttpRequest request = TelegramGetUpdatesRequest(Config(), 800000007, seconds(20));
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, telegram_.api_base() + "/bot" + kPlantedToken + "/getUpdates");
  EXPECT_EQ(request.body,
            R"({"offset":800000007,"timeout":20,"allowed_updates":["callback_query"]})");
  ASSERT_TRUE(request.timeout.has_value());
  EXPECT_EQ(*request.timeout, seconds(20) + kTelegramPollGrace);
  EXPECT_EQ(request.secrets, std::vector<std::string>{kPlantedToken});
}

TEST_F(TelegramUpdatesTest, AnswerTextIsCutToTwoHundredCharactersOnACharacterBoundary) {
  std::string long_text;
  for (int i = 0; i < 250; ++i) long_text += "확";  // 3 bytes, 1 UTF-16 unit each
  HttpRequest request = TelegramAnswerCallbackRequest(Config(), "5883477201", long_text);
  EXPECT_EQ(request.url, telegram_.api_base() + "/bot" + kPlantedToken + "/answerCallbackQuery");
  JsonDocument body = Parse(request.body);
  EXPECT_STREQ(body["callback_query_id"].GetString(), "5883477201");
  const std::string text = body["text"].GetString();
  EXPECT_LE(Utf16Length(text), kTelegramMaxAnswerUnits);
  EXPECT_GT(Utf16Length(text), kTelegramMaxAnswerUnits - 5);
  for (size_t i = 0; i < text.size(); i += Utf8SequenceLength(text.substr(i))) {
    ASSERT_GT(Utf8SequenceLength(text.substr(i)), 0u) << "broken UTF-8 at byte " << i;
  }
  EXPECT_EQ(request.secrets, std::vector<std::string>{kPlantedToken});

  // No text: the field is left out (the client just stops its spinner).
  EXPECT_EQ(TelegramAnswerCallbackRequest(Config(), "1", "").body, R"({"callback_query_id":"1"})");
}

TEST_F(TelegramUpdatesTest, EditRequestLeavesOneNoopButtonWithTheLabel) {
  HttpRequest request = TelegramEditButtonRequest(Config(), kChat, 55, "✅ @kim 14:03 확인");
  EXPECT_EQ(request.url, telegram_.api_base() + "/bot" + kPlantedToken + "/editMessageReplyMarkup");
  EXPECT_EQ(request.body,
            R"({"chat_id":-1001234567890,"message_id":55,"reply_markup":{"inline_keyboard":)"
            R"([[{"text":"✅ @kim 14:03 확인","callback_data":"noop"}]]}})");
  EXPECT_EQ(request.secrets, std::vector<std::string>{kPlantedToken});
}

// ---- against the fake ------------------------------------------------------------------------

TEST_F(TelegramUpdatesTest, ReadsPressesWithWhoPressedWhatWhere) {
  const int64_t first = telegram_.PressButton(111, "kim", "ack:7f3a9c", kChat, 55);
  const int64_t second = telegram_.PressButton(222, "", "ack:other", kChat, 56);
  TelegramUpdates updates = Poll(0);
  ASSERT_TRUE(updates.reply.ok()) << updates.reply.status.message();
  ASSERT_EQ(updates.presses.size(), 2u);
  const TelegramCallbackPress& kim = updates.presses[0];
  EXPECT_EQ(kim.update_id, first);
  EXPECT_EQ(kim.callback_query_id, FakeTelegram::callback_query_id_of(first));
  EXPECT_EQ(kim.from_user_id, 111);
  EXPECT_EQ(kim.from_display, "@kim");
  EXPECT_EQ(kim.data, "ack:7f3a9c");
  EXPECT_EQ(kim.chat_id, kChat);
  EXPECT_EQ(kim.message_id, 55);
  EXPECT_FALSE(kim.message_inaccessible);
  EXPECT_EQ(updates.presses[1].from_display, "Tester");  // no username: the first name
  EXPECT_EQ(updates.next_offset, second + 1);
  EXPECT_EQ(updates.skipped, 0u);

  // Updates stay until an offset confirms them.
  EXPECT_EQ(Poll(0).presses.size(), 2u);
  EXPECT_EQ(Poll(first + 1).presses.size(), 1u);
  EXPECT_EQ(telegram_.pending_updates(), 1u);
  TelegramUpdates last = Poll(second + 1);
  EXPECT_TRUE(last.reply.ok());
  EXPECT_TRUE(last.presses.empty());
  EXPECT_FALSE(last.next_offset.has_value());
  EXPECT_EQ(telegram_.pending_updates(), 0u);
}

TEST_F(TelegramUpdatesTest, OddUpdatesAreSkippedOrReadAsFarAsTheyGo) {
  const int64_t message = telegram_.PushRawUpdate(
      R"({"message":{"message_id":9,"chat":{"id":5,"type":"private"},"date":1,"text":"hi"}})");
  telegram_.PushRawUpdate(  // no data: a game button
      R"({"callback_query":{"id":"q-nodata","from":{"id":111,"is_bot":false,"first_name":"A"},)"
      R"("chat_instance":"1","game_short_name":"g","message":{"message_id":10,)"
      R"("chat":{"id":-100,"type":"group"},"date":1}}})");
  telegram_.PushRawUpdate(  // no id: cannot be answered, so nothing to do
      R"({"callback_query":{"from":{"id":111,"is_bot":false,"first_name":"A"},"data":"x"}})");
  telegram_.PushRawUpdate(  // an old message the bot cannot reach any more (date 0)
      R"({"callback_query":{"id":"q-old","from":{"id":111,"is_bot":false,)"
      R"("first_name":"\u202eKim\n","last_name":" Minsu\u0007"},"chat_instance":"1",)"
      R"("data":"ack:1","message":{"message_id":11,"chat":{"id":-100,"type":"group"},"date":0}}})");
  telegram_.PushRawUpdate(  // sent in inline mode: no message, and no from
      R"({"callback_query":{"id":"q-inline","inline_message_id":"AAA","chat_instance":"1",)"
      R"("data":"ack:2"}})");
  const int64_t last = telegram_.PushRawUpdate(  // fields of the wrong type
      R"({"callback_query":{"id":"q-odd","from":{"id":"111","username":7},"data":42,)"
      R"("message":{"message_id":"12","chat":{"id":-100}}}})");

  TelegramUpdates updates = Poll(0);
  ASSERT_TRUE(updates.reply.ok()) << updates.reply.status.message();
  EXPECT_EQ(updates.skipped, 2u);  // the message and the query without an id
  EXPECT_EQ(updates.next_offset, last + 1);
  EXPECT_GT(last, message);
  ASSERT_EQ(updates.presses.size(), 4u);

  const TelegramCallbackPress& no_data = updates.presses[0];
  EXPECT_EQ(no_data.callback_query_id, "q-nodata");
  EXPECT_FALSE(no_data.data.has_value());
  EXPECT_EQ(no_data.chat_id, -100);

  const TelegramCallbackPress& old = updates.presses[1];
  EXPECT_EQ(old.from_display, "Kim Minsu");  // override, line break and bell removed
  EXPECT_TRUE(old.message_inaccessible);
  EXPECT_EQ(old.message_id, 11);

  const TelegramCallbackPress& inline_press = updates.presses[2];
  EXPECT_EQ(inline_press.from_user_id, 0);
  EXPECT_FALSE(inline_press.chat_id.has_value());
  EXPECT_FALSE(inline_press.message_id.has_value());
  EXPECT_EQ(inline_press.data, "ack:2");

  const TelegramCallbackPress& odd = updates.presses[3];
  EXPECT_EQ(odd.from_user_id, 0);  // a string id is not an id
  EXPECT_EQ(odd.from_display, "user 0");
  EXPECT_FALSE(odd.data.has_value());
  EXPECT_FALSE(odd.chat_id.has_value());  // both or neither
  EXPECT_FALSE(odd.message_id.has_value());
}

TEST_F(TelegramUpdatesTest, UpdatesWithoutAUsableIdNeverBecomeAnOffset) {
  HttpRequest request = TelegramGetUpdatesRequest(Config(), 0, seconds(0));
  HttpResponse response;
  response.status = 200;
  response.body = R"({"ok":true,"result":[{"update_id":-5,"callback_query":{"id":"a","data":"x"}},)"
                  R"({"update_id":"7","callback_query":{"id":"b","data":"x"}},)"
                  R"({"update_id":9223372036854775807,"callback_query":{"id":"c","data":"x"}},)"
                  R"(17,{"update_id":40,"callback_query":{"id":"d","data":"x"}}]})";
  TelegramUpdates updates = ParseTelegramUpdates(request, response);
  ASSERT_TRUE(updates.reply.ok());
  EXPECT_EQ(updates.skipped, 4u);
  ASSERT_EQ(updates.presses.size(), 1u);
  EXPECT_EQ(updates.presses[0].callback_query_id, "d");
  EXPECT_EQ(updates.next_offset, 41);
}

TEST_F(TelegramUpdatesTest, LongPollReturnsAsSoonAsAButtonIsPressed) {
  auto poll = std::async(std::launch::async, [&] { return Poll(0, seconds(10)); });
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, seconds(5)));
  const int64_t update = telegram_.PressButton(111, "kim", "ack:1", kChat, 55);
  ASSERT_EQ(poll.wait_for(seconds(8)), std::future_status::ready) << "still waiting";
  TelegramUpdates updates = poll.get();
  ASSERT_TRUE(updates.reply.ok()) << updates.reply.status.message();
  ASSERT_EQ(updates.presses.size(), 1u);
  EXPECT_EQ(updates.presses[0].update_id, update);
}

TEST_F(TelegramUpdatesTest, ASecondPollerEndsTheFirstWithAConflictNamingTheCause) {
  auto first = std::async(std::launch::async, [&] { return Poll(0, seconds(10)); });
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, seconds(5)));
  TelegramUpdates second = Poll(0);
  EXPECT_TRUE(second.reply.ok()) << second.reply.status.message();
  ASSERT_EQ(first.wait_for(seconds(5)), std::future_status::ready);
  TelegramUpdates ended = first.get();
  EXPECT_EQ(ended.reply.failure, TelegramFailure::kConflict);
  EXPECT_EQ(ended.reply.http_status, 409);
  const std::string& message = ended.reply.status.message();
  EXPECT_NE(message.find("telegram getUpdates: HTTP 409: Conflict: terminated by other getUpdates"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("another getUpdates poller or a webhook is set for this bot"),
            std::string::npos)
      << message;
  EXPECT_EQ(telegram_.conflicts(), 1);

  telegram_.SetWebhook(true);
  TelegramUpdates webhook = Poll(0);
  EXPECT_EQ(webhook.reply.failure, TelegramFailure::kConflict);
  EXPECT_NE(webhook.reply.status.message().find("webhook is active"), std::string::npos);
}

TEST_F(TelegramUpdatesTest, FailuresAreNamed) {
  telegram_.Script({FakeTelegram::Unauthorized(), FakeTelegram::Flood(7),
                    FakeTelegram::BadGateway(502),
                    FakeTelegram::Error(500, "Internal Server Error"),
                    ScriptedReply::Answer(200, "<html>proxy says hi</html>"),
                    ScriptedReply::Answer(200, R"({"ok":true,"result":{"not":"a list"}})"),
                    ScriptedReply::Answer(200, R"({"ok":false})"),
                    FakeTelegram::Error(400, "Bad Request: wrong parameter")});
  TelegramUpdates unauthorized = Poll(0);
  EXPECT_EQ(unauthorized.reply.failure, TelegramFailure::kUnauthorized);
  EXPECT_EQ(unauthorized.reply.status.message(),
            "telegram getUpdates: HTTP 401: Unauthorized (the bot token is wrong or revoked)");

  TelegramUpdates flood = Poll(0);
  EXPECT_EQ(flood.reply.failure, TelegramFailure::kRateLimited);
  EXPECT_EQ(flood.reply.retry_after, seconds(7));
  EXPECT_EQ(flood.reply.status.message(),
            "telegram getUpdates: HTTP 429: Too Many Requests: retry after 7");

  TelegramUpdates gateway = Poll(0);
  EXPECT_EQ(gateway.reply.failure, TelegramFailure::kServerError);
  EXPECT_EQ(gateway.reply.status.message(),
            "telegram getUpdates: HTTP 502: answer is not a JSON object");
  EXPECT_EQ(Poll(0).reply.failure, TelegramFailure::kServerError);

  TelegramUpdates html = Poll(0);
  EXPECT_EQ(html.reply.failure, TelegramFailure::kBadAnswer);
  EXPECT_EQ(html.reply.status.message(),
            "telegram getUpdates: HTTP 200: answer is not a JSON object");
  TelegramUpdates not_a_list = Poll(0);
  EXPECT_EQ(not_a_list.reply.failure, TelegramFailure::kBadAnswer);
  EXPECT_NE(not_a_list.reply.status.message().find("without an array of updates"),
            std::string::npos);
  EXPECT_EQ(Poll(0).reply.failure, TelegramFailure::kBadAnswer);  // ok:false on a 200
  TelegramUpdates rejected = Poll(0);
  EXPECT_EQ(rejected.reply.failure, TelegramFailure::kRejected);
  EXPECT_EQ(rejected.reply.http_status, 400);

  TelegramConfig nowhere = Config();
  nowhere.api_base = "http://127.0.0.1:" + std::to_string(ClosedPort());
  HttpRequest request = TelegramGetUpdatesRequest(nowhere, 0, seconds(0));
  TelegramUpdates network = ParseTelegramUpdates(request, client_.Send(request));
  EXPECT_EQ(network.reply.failure, TelegramFailure::kNetwork);
  EXPECT_EQ(network.reply.status.message().rfind("telegram getUpdates: no answer: ", 0), 0u)
      << network.reply.status.message();
}

TEST_F(TelegramUpdatesTest, TheBotTokenNeverAppearsInAnError) {
  // The server quoting the token back, and a wrong token: neither may show it.
  telegram_.Script({FakeTelegram::Error(
      400, std::string("Bad Request: bot ") + kPlantedToken + " is not allowed here")});
  TelegramUpdates quoted = Poll(0);
  EXPECT_EQ(quoted.reply.failure, TelegramFailure::kRejected);
  EXPECT_EQ(quoted.reply.status.message().find(kPlantedToken), std::string::npos);
  EXPECT_NE(quoted.reply.status.message().find("<redacted>"), std::string::npos)
      << quoted.reply.status.message();

  TelegramConfig wrong = Config();
  wrong.bot_token = "7700112233:AAPlantedWrongAckToken_Vb4q";
  HttpRequest request = TelegramAnswerCallbackRequest(wrong, "1", "x");
  TelegramReply reply = ReadTelegramReply(request, client_.Send(request));
  EXPECT_EQ(reply.failure, TelegramFailure::kUnauthorized);
  EXPECT_EQ(reply.status.message().find(wrong.bot_token), std::string::npos);
  EXPECT_EQ(reply.status.message().find("AAPlanted"), std::string::npos);
  EXPECT_EQ(reply.status.message().rfind("telegram answerCallbackQuery: HTTP 401", 0), 0u)
      << reply.status.message();
}

TEST_F(TelegramUpdatesTest, AnswerAndEditAgainstTheFake) {
  const int64_t update = telegram_.PressButton(111, "kim", "ack:1", kChat, 55);
  HttpRequest answer =
      TelegramAnswerCallbackRequest(Config(), FakeTelegram::callback_query_id_of(update), "ok");
  EXPECT_TRUE(ReadTelegramReply(answer, client_.Send(answer)).ok());
  // A query is answered once; the second answer is refused like the Bot API refuses it.
  TelegramReply again = ReadTelegramReply(answer, client_.Send(answer));
  EXPECT_EQ(again.failure, TelegramFailure::kRejected);
  EXPECT_NE(again.status.message().find("query is too old"), std::string::npos);

  HttpRequest edit = TelegramEditButtonRequest(Config(), kChat, 55, "✅ @kim 확인");
  TelegramReply edited = ReadTelegramReply(edit, client_.Send(edit));
  EXPECT_TRUE(edited.ok()) << edited.status.message();
  EXPECT_EQ(telegram_.reply_markup_of(kChat, 55),
            R"({"inline_keyboard":[[{"text":"✅ @kim 확인","callback_data":"noop"}]]})");
  TelegramReply unchanged = ReadTelegramReply(edit, client_.Send(edit));
  EXPECT_EQ(unchanged.failure, TelegramFailure::kRejected);
  EXPECT_NE(unchanged.status.message().find("message is not modified"), std::string::npos);
}

}  // namespace
}  // namespace rr
