// The retry stage against the loopback fake providers over real sockets, with a fake clock and
// scripted jitter: every wait is virtual, so schedules are pinned exactly and nothing sleeps.
#include "channels/deliver.h"

#include <arpa/inet.h>
#include <date/tz.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alarm/json.h"
#include "channels/dooray.h"
#include "channels/nhn_sms.h"
#include "channels/telegram.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/sample_alerts.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr char kChatId[] = "-1001234567890";
constexpr int64_t kChatIdNumber = -1001234567890;
constexpr int64_t kNewChatId = -1001557912345;
constexpr char kSendNo[] = "0212345678";
constexpr char kRecipient[] = "01012345678";

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

std::vector<nanoseconds> Ms(std::initializer_list<long> values) {
  std::vector<nanoseconds> out;
  for (long v : values) out.push_back(milliseconds(v));
  return out;
}

Alert RootAlarm() {
  Alert a = testing::SampleRootAlarm();
  a.reason = "Threshold Crossed: 1 datapoint [1.0] was >= the threshold (1.0).";
  a.message_id.reset();
  return a;
}

// A sign-in whose user agent is long enough to split the Telegram message into parts.
Alert LongRootConsoleLogin() {
  Alert a;
  a.kind = AlertKind::kConsoleLogin;
  a.subject = "root 콘솔 로그인";
  a.severity = Severity::kCritical;
  a.account_id = "111122223333";
  a.region = "us-east-1";
  a.event_name = "ConsoleLogin";
  a.source_ip = "198.51.100.23";
  a.mfa_used = false;
  a.login_result = "Success";
  a.event_time = "2026-03-02T09:40:12Z";
  a.user_agent = std::string(5000, 'u');
  a.error_message = std::string(3000, 'e');
  a.console_url = "https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/x";
  return a;
}

RenderContext Seoul() { return RenderContext{date::locate_zone("Asia/Seoul")}; }

JsonDocument ParseBody(const std::string& body) {
  JsonDocument doc;
  doc.Parse(body.data(), body.size());
  EXPECT_FALSE(doc.HasParseError()) << body;
  EXPECT_TRUE(doc.IsObject()) << body;
  return doc;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class DeliverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dooray_.Start().ok());
    ASSERT_TRUE(telegram_.Start().ok());
    ASSERT_TRUE(nhn_.Start().ok());
  }

  DoorayChannel Dooray(std::string url = "") const {
    return DoorayChannel(DoorayConfig{"dooray-sec", url.empty() ? dooray_.hook_url() : url});
  }
  TelegramChannel Telegram(std::string token = "") const {
    return TelegramChannel(TelegramConfig{"tg-oncall", telegram_.api_base(),
                                          token.empty() ? telegram_.token() : token, kChatId,
                                          std::nullopt});
  }
  NhnSmsChannel Nhn(std::string send_no = kSendNo, std::string secret = "") const {
    return NhnSmsChannel(NhnSmsConfig{"sms-oncall",
                                      nhn_.api_base(),
                                      nhn_.app_key(),
                                      secret.empty() ? nhn_.secret_key() : secret,
                                      send_no,
                                      {kRecipient}});
  }

  DeliveryReport Run(const Channel& channel, const Alert& alert = RootAlarm()) {
    return Deliver(channel, channel.Render(alert, Seoul()), Env());
  }
  DeliveryEnv Env() { return DeliveryEnv{&client_, &clock_, random_.get(), policy_}; }
  // Scripts the jitter draws (0.5 once the script runs out).
  void Jitter(std::vector<double> draws) { random_ = std::make_unique<FakeRandom>(draws, 0.5); }

  // No secret of any fake (or phone number in full) in the report's words.
  void ExpectNoSecret(const DeliveryReport& r) const {
    for (const std::string& secret : {dooray_.token(), telegram_.token(), nhn_.app_key(),
                                      nhn_.secret_key(), std::string(kRecipient)}) {
      EXPECT_FALSE(Contains(r.error, secret)) << r.error;
      EXPECT_FALSE(Contains(r.config_hint, secret)) << r.config_hint;
    }
  }

  FakeDooray dooray_;
  FakeTelegram telegram_;
  FakeNhnSms nhn_;
  HttpClient client_;
  FakeClock clock_;
  std::unique_ptr<FakeRandom> random_ = std::make_unique<FakeRandom>(std::vector<double>{}, 0.5);
  RetryPolicy policy_;  // the defaults: 1 s base, 20 s cap, 5 attempts, 60 s deadline
};

// ---- Schedules -------------------------------------------------------------------------------

TEST_F(DeliverTest, PolicyDefaultsAreTheIssues) {
  EXPECT_EQ(policy_.base, milliseconds(1000));
  EXPECT_EQ(policy_.cap, milliseconds(20000));
  EXPECT_EQ(policy_.max_attempts, 5);
  EXPECT_EQ(policy_.deadline, milliseconds(60000));
}

TEST_F(DeliverTest, FullJitterScheduleIsExact) {
  Jitter({0.5, 0.5});
  telegram_.Script({FakeTelegram::BadGateway(503), FakeTelegram::BadGateway(503)});
  DeliveryReport r = Run(Telegram());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_TRUE(r.reason.empty());
  EXPECT_TRUE(r.error.empty());
  // U(0, 1 s) * 0.5, then U(0, 2 s) * 0.5.
  EXPECT_EQ(clock_.sleeps(), Ms({500, 1000}));
  EXPECT_EQ(r.elapsed, milliseconds(1500)) << "only the virtual waits pass";
  EXPECT_EQ(random_->calls(), 2u);
  EXPECT_EQ(telegram_.request_count(), 3u);
}

TEST_F(DeliverTest, TheWindowStopsGrowingAtTheCap) {
  policy_.cap = milliseconds(1500);
  Jitter({0.75, 0.75, 0.75, 0.75});
  dooray_.Script({FakeDooray::ServerError(503), FakeDooray::ServerError(500),
                  FakeDooray::ServerError(502), FakeDooray::ServerError(504)});
  DeliveryReport r = Run(Dooray());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 5);
  // Windows 1000, min(1500, 2000), min(1500, 4000), min(1500, 8000), each times 0.75.
  EXPECT_EQ(clock_.sleeps(), Ms({750, 1125, 1125, 1125}));
  EXPECT_EQ(r.elapsed, milliseconds(4125));
}

TEST_F(DeliverTest, AttemptsExhaustedAfterMaxAttempts) {
  dooray_.Script({FakeDooray::ServerError(503), FakeDooray::ServerError(503),
                  FakeDooray::ServerError(503), FakeDooray::ServerError(503),
                  FakeDooray::ServerError(503)});
  DeliveryReport r = Run(Dooray());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 5);
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(r.reason, "server_error");
  EXPECT_TRUE(Contains(r.error, "attempts exhausted")) << r.error;
  EXPECT_TRUE(Contains(r.error, "server_error")) << r.error;
  // Four waits between five attempts; none after the last.
  EXPECT_EQ(clock_.sleeps(), Ms({500, 1000, 2000, 4000}));
  EXPECT_EQ(r.elapsed, milliseconds(7500));
  EXPECT_EQ(dooray_.request_count(), 5u);
  EXPECT_EQ(dooray_.scripted_left(), 0u);
  ExpectNoSecret(r);
}

TEST_F(DeliverTest, MaxAttemptsIsConfigurable) {
  policy_.max_attempts = 2;
  nhn_.Script({FakeNhnSms::SystemError(), FakeNhnSms::SystemError(), FakeNhnSms::SystemError()});
  DeliveryReport r = Run(Nhn());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.reason, "vendor:-9999");
  EXPECT_TRUE(Contains(r.error, "attempts exhausted")) << r.error;
  EXPECT_EQ(clock_.sleeps(), Ms({500}));
  EXPECT_EQ(nhn_.request_count(), 2u);
}

TEST_F(DeliverTest, BaseIsConfigurable) {
  policy_.base = milliseconds(200);
  Jitter({0.5, 0.25});
  dooray_.Script({FakeDooray::ServerError(500), FakeDooray::ServerError(500)});
  DeliveryReport r = Run(Dooray());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(clock_.sleeps(), Ms({100, 100}));  // 200 * 0.5, 400 * 0.25
}

// ---- Server hints and the deadline ------------------------------------------------------------

TEST_F(DeliverTest, RetryAfterSecondsOn429IsHonoured) {
  dooray_.Script({FakeDooray::RateLimited(7)});
  DeliveryReport r = Run(Dooray());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 2);
  ASSERT_EQ(clock_.sleeps().size(), 1u);
  EXPECT_GE(clock_.sleeps()[0], milliseconds(7000)) << "never sooner than the server asked";
  EXPECT_LE(clock_.sleeps()[0], milliseconds(7700)) << "at most a little jitter on top";
  EXPECT_GE(r.elapsed, milliseconds(7000));
  EXPECT_EQ(dooray_.request_count(), 2u);
}

TEST_F(DeliverTest, RetryAfterHttpDateIsMeasuredOnTheWallClock) {
  // The fake wall clock starts at Tue, 01 Sep 2026 03:14:07 GMT: this is 10 s later.
  dooray_.Script(
      {ScriptedReply::Answer(503, "", {{"Retry-After", "Tue, 01 Sep 2026 03:14:17 GMT"}})});
  DeliveryReport r = Run(Dooray());
  EXPECT_TRUE(r.sent) << r.error;
  ASSERT_EQ(clock_.sleeps().size(), 1u);
  EXPECT_GE(clock_.sleeps()[0], milliseconds(10000));
  EXPECT_LE(clock_.sleeps()[0], milliseconds(11000));
}

TEST_F(DeliverTest, TelegramFloodRetryAfterIsHonoured) {
  telegram_.Script({FakeTelegram::Flood(3)});
  DeliveryReport r = Run(Telegram());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.http_status, 200);
  ASSERT_EQ(clock_.sleeps().size(), 1u);
  EXPECT_GE(clock_.sleeps()[0], milliseconds(3000));
  EXPECT_LE(clock_.sleeps()[0], milliseconds(3300));
}

TEST_F(DeliverTest, TelegramFloodParameterWithoutAHeaderIsHonouredToo) {
  telegram_.Script({ScriptedReply::Answer(
      429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 4",)"
           R"("parameters":{"retry_after":4}})")});
  DeliveryReport r = Run(Telegram());
  EXPECT_TRUE(r.sent) << r.error;
  ASSERT_EQ(clock_.sleeps().size(), 1u);
  EXPECT_GE(clock_.sleeps()[0], milliseconds(4000));
}

TEST_F(DeliverTest, HintBeyondTheDeadlineGivesUpAtOnceWithoutSleeping) {
  telegram_.Script({FakeTelegram::Flood(90)});
  DeliveryReport r = Run(Telegram());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.http_status, 429);
  EXPECT_EQ(r.reason, "deadline");
  EXPECT_TRUE(clock_.sleeps().empty()) << "no point waiting for a retry that cannot happen";
  EXPECT_EQ(r.elapsed, milliseconds(0));
  EXPECT_TRUE(Contains(r.error, "deadline")) << r.error;
  EXPECT_TRUE(Contains(r.error, "90000")) << "says what the server asked: " << r.error;
  EXPECT_TRUE(Contains(r.error, "rate_limited")) << "and what the answer was: " << r.error;
  EXPECT_EQ(telegram_.request_count(), 1u);
  ExpectNoSecret(r);
}

TEST_F(DeliverTest, AnAbsurdFloodHintGivesUpInsteadOfRetryingAtOnce) {
  // retry_after * 1000 does not fit in 64 bits: it must not wrap into a short wait.
  telegram_.Script({ScriptedReply::Answer(
      429, R"({"ok":false,"error_code":429,"description":"Too Many Requests",)"
           R"("parameters":{"retry_after":9223372036854775807}})")});
  DeliveryReport r = Run(Telegram());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.reason, "deadline");
  EXPECT_TRUE(clock_.sleeps().empty());
  EXPECT_EQ(telegram_.request_count(), 1u);
}

TEST_F(DeliverTest, HintIsComparedWithWhatIsLeftOfTheDeadline) {
  // After one 503 and a 500 ms wait, 59.5 s remain: a 60 s hint no longer fits.
  telegram_.Script({FakeTelegram::BadGateway(503), FakeTelegram::Flood(60)});
  DeliveryReport r = Run(Telegram());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.reason, "deadline");
  EXPECT_EQ(clock_.sleeps(), Ms({500}));
  EXPECT_TRUE(Contains(r.error, "59500")) << r.error;
}

TEST_F(DeliverTest, RetryAfterDateBeyondTheDeadlineGivesUpAtOnce) {
  // Two minutes after the fake wall clock's start.
  dooray_.Script(
      {ScriptedReply::Answer(503, "", {{"Retry-After", "Tue, 01 Sep 2026 03:16:07 GMT"}})});
  DeliveryReport r = Run(Dooray());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.reason, "deadline");
  EXPECT_TRUE(clock_.sleeps().empty());
  EXPECT_TRUE(Contains(r.error, "120000")) << r.error;
}

TEST_F(DeliverTest, JitteredWaitBeyondTheDeadlineGivesUp) {
  policy_.deadline = milliseconds(1500);
  Jitter({0.5, 0.9});
  dooray_.Script(
      {FakeDooray::ServerError(503), FakeDooray::ServerError(503), FakeDooray::ServerError(503)});
  DeliveryReport r = Run(Dooray());
  // 500 ms fits; then 0.9 * 2000 ms does not fit the 1000 ms left.
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.reason, "deadline");
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(clock_.sleeps(), Ms({500}));
  EXPECT_EQ(r.elapsed, milliseconds(500));
  EXPECT_TRUE(Contains(r.error, "deadline")) << r.error;
}

// ---- Permanent failures
// --------------------------------------------------------------------------

TEST_F(DeliverTest, PermanentFailuresAreTriedExactlyOnce) {
  struct Case {
    const char* name;
    std::function<DeliveryReport()> run;
    long status;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"telegram bot blocked",
       [&] {
         telegram_.Script({FakeTelegram::BotBlocked()});
         return Run(Telegram());
       },
       403, "auth_error"},
      {"telegram token revoked",
       [&] { return Run(Telegram("7700112233:AARevokedTokenNotTheFakesOne_999")); }, 401,
       "auth_error"},
      {"telegram chat not found",
       [&] {
         telegram_.Script({FakeTelegram::ChatNotFound()});
         return Run(Telegram());
       },
       400, "client_error"},
      {"dooray hook deleted",
       [&] {
         return Run(Dooray(dooray_.base_url() +
                           "/services/3570000000000000001/3570000000000000002/DeletedHookTok"));
       },
       404, "client_error"},
      {"nhn 401",
       [&] {
         nhn_.Script({ScriptedReply::Answer(401, "")});
         return Run(Nhn());
       },
       401, "auth_error"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.name);
    const size_t sleeps_before = clock_.sleeps().size();
    const size_t draws_before = random_->calls();
    DeliveryReport r = k.run();
    EXPECT_FALSE(r.sent);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(r.http_status, k.status);
    EXPECT_EQ(r.reason, k.reason);
    EXPECT_TRUE(Contains(r.error, k.reason)) << r.error;
    EXPECT_FALSE(Contains(r.error, "attempts exhausted")) << r.error;
    EXPECT_EQ(clock_.sleeps().size(), sleeps_before);
    EXPECT_EQ(random_->calls(), draws_before);
    EXPECT_EQ(r.elapsed, milliseconds(0));
    ExpectNoSecret(r);
  }
  EXPECT_EQ(telegram_.request_count(), 3u);
  EXPECT_EQ(dooray_.request_count(), 1u);
  EXPECT_EQ(nhn_.request_count(), 1u);
}

TEST_F(DeliverTest, DoorayHeaderFailureIsPermanent) {
  dooray_.Script({FakeDooray::HeaderFailure()});
  DeliveryReport r = Run(Dooray());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.reason, "vendor:-400");
  EXPECT_TRUE(Contains(r.error, "invalid hook payload")) << r.error;
  EXPECT_TRUE(clock_.sleeps().empty());
  ExpectNoSecret(r);
}

// ---- Telegram's corrected re-sends
// ---------------------------------------------------------------

TEST_F(DeliverTest, TelegramMigrationResendsToTheNewChatAndReportsAConfigHint) {
  telegram_.MigrateChat(kChatIdNumber, kNewChatId);
  DeliveryReport r = Run(Telegram());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_TRUE(clock_.sleeps().empty()) << "the corrected re-send goes at once";
  EXPECT_TRUE(Contains(r.config_hint, std::to_string(kNewChatId))) << r.config_hint;
  EXPECT_TRUE(Contains(r.config_hint, "tg-oncall")) << r.config_hint;
  ExpectNoSecret(r);

  std::vector<RecordedRequest> requests = telegram_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, requests[1].path);
  JsonDocument first = ParseBody(requests[0].body);
  JsonDocument second = ParseBody(requests[1].body);
  EXPECT_EQ(first["chat_id"].GetInt64(), kChatIdNumber);
  EXPECT_EQ(second["chat_id"].GetInt64(), kNewChatId);
  EXPECT_EQ(AsView(second["text"]), AsView(first["text"]));
  EXPECT_EQ(AsView(second["parse_mode"]), "HTML");
}

TEST_F(DeliverTest, TelegramCantParseEntitiesResendsAsPlainText) {
  telegram_.Script({FakeTelegram::CantParseEntities(12)});
  DeliveryReport r = Run(Telegram());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_TRUE(clock_.sleeps().empty());
  EXPECT_TRUE(r.config_hint.empty());

  std::vector<RecordedRequest> requests = telegram_.requests();
  ASSERT_EQ(requests.size(), 2u);
  JsonDocument first = ParseBody(requests[0].body);
  JsonDocument second = ParseBody(requests[1].body);
  EXPECT_EQ(AsView(first["parse_mode"]), "HTML");
  EXPECT_FALSE(second.HasMember("parse_mode"));
  const std::string plain(AsView(second["text"]));
  EXPECT_FALSE(Contains(plain, "<b>")) << plain;
  EXPECT_FALSE(Contains(plain, "<a href")) << plain;
  EXPECT_TRUE(Contains(plain, "root 계정")) << plain;
  EXPECT_EQ(second["chat_id"].GetInt64(), kChatIdNumber);
}

TEST_F(DeliverTest, ACorrectedResendHappensOnlyOnce) {
  telegram_.Script({FakeTelegram::CantParseEntities(), FakeTelegram::CantParseEntities()});
  DeliveryReport plain = Run(Telegram());
  EXPECT_FALSE(plain.sent);
  EXPECT_EQ(plain.attempts, 2);
  EXPECT_EQ(plain.reason, "client_error");
  EXPECT_TRUE(Contains(plain.error, "can't parse entities")) << plain.error;

  telegram_.Script({FakeTelegram::Migrated(kNewChatId), FakeTelegram::Migrated(-1009999999999)});
  DeliveryReport migrated = Run(Telegram());
  EXPECT_FALSE(migrated.sent);
  EXPECT_EQ(migrated.attempts, 2);
  EXPECT_EQ(migrated.reason, "client_error");
  EXPECT_TRUE(clock_.sleeps().empty());
  EXPECT_EQ(telegram_.request_count(), 4u);
}

TEST_F(DeliverTest, ARetryAfterAResendKeepsTheCorrection) {
  telegram_.MigrateChat(kChatIdNumber, kNewChatId);
  telegram_.Script({ScriptedReply::Normal(), FakeTelegram::BadGateway(502)});
  DeliveryReport r = Run(Telegram());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 3);
  std::vector<RecordedRequest> requests = telegram_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(ParseBody(requests[2].body)["chat_id"].GetInt64(), kNewChatId);
  EXPECT_EQ(clock_.sleeps().size(), 1u);
}

// ---- NHN Cloud SMS -----------------------------------------------------------------------------

TEST_F(DeliverTest, NhnSystemErrorThenSuccess) {
  nhn_.Script({FakeNhnSms::SystemError()});
  DeliveryReport r = Run(Nhn());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(clock_.sleeps(), Ms({500}));
  EXPECT_EQ(nhn_.request_count(), 2u);
}

TEST_F(DeliverTest, NhnQueueInsertFailedIsRetriedToo) {
  nhn_.Script({FakeNhnSms::QueueInsertFailed(), FakeNhnSms::SystemError()});
  DeliveryReport r = Run(Nhn());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(clock_.sleeps(), Ms({500, 1000}));
}

TEST_F(DeliverTest, NhnSendNoNotRegisteredIsPermanent) {
  nhn_.Script({FakeNhnSms::SendNoNotRegistered()});
  DeliveryReport scripted = Run(Nhn());
  EXPECT_FALSE(scripted.sent);
  EXPECT_EQ(scripted.attempts, 1);
  EXPECT_EQ(scripted.http_status, 200);
  EXPECT_EQ(scripted.reason, "vendor:-2312");
  EXPECT_TRUE(Contains(scripted.error, "Not regist sendno.")) << scripted.error;

  // The same from the fake's own check of an unregistered sender number.
  DeliveryReport real = Run(Nhn("0299999999"));
  EXPECT_FALSE(real.sent);
  EXPECT_EQ(real.attempts, 1);
  EXPECT_EQ(real.reason, "vendor:-2312");
  EXPECT_TRUE(clock_.sleeps().empty());
  EXPECT_EQ(nhn_.request_count(), 2u);
  ExpectNoSecret(real);
}

TEST_F(DeliverTest, NhnWrongSecretKeyIsPermanentAndNotShown) {
  DeliveryReport r = Run(Nhn(kSendNo, "WrongSecretKeyPlanted77"));
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.reason, "vendor:-1000");
  EXPECT_FALSE(Contains(r.error, "WrongSecretKeyPlanted77")) << r.error;
  ExpectNoSecret(r);
}

TEST_F(DeliverTest, NhnRecipientFailureShowsOnlyTheLastFourDigits) {
  nhn_.Script({ScriptedReply::Answer(
      200, R"({"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},)"
           R"("body":{"data":{"requestId":"r1","statusCode":"2","sendResultList":[)"
           R"({"recipientNo":"01012345678","resultCode":-2019,"resultMessage":"Invalid recipient",)"
           R"("recipientSeq":1}]}}})")});
  DeliveryReport r = Run(Nhn());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.reason, "vendor:-2019");
  EXPECT_TRUE(Contains(r.error, "5678")) << r.error;
  ExpectNoSecret(r);
}

// ---- Transport failures
// ----------------------------------------------------------------------------

TEST_F(DeliverTest, ConnectionRefusedIsANetworkFailureAndRetried) {
  policy_.max_attempts = 3;
  const std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) +
                          "/services/3570000000000000001/3570000000000000002/" + dooray_.token();
  DeliveryReport r = Run(Dooray(url));
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_FALSE(r.http_status.has_value()) << "no answer ever came";
  EXPECT_EQ(r.reason, "network");
  EXPECT_TRUE(Contains(r.error, "network")) << r.error;
  EXPECT_TRUE(Contains(r.error, "attempts exhausted")) << r.error;
  EXPECT_EQ(clock_.sleeps(), Ms({500, 1000}));
  ExpectNoSecret(r);
}

TEST_F(DeliverTest, ADroppedConnectionIsRetried) {
  telegram_.Script({ScriptedReply::Drop()});
  DeliveryReport r = Run(Telegram());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(clock_.sleeps(), Ms({500}));
  EXPECT_EQ(telegram_.request_count(), 2u);
}

TEST_F(DeliverTest, HttpStatusIsTheLastAnswerThatCame) {
  policy_.max_attempts = 3;
  // 503, then drops until the attempts run out (curl itself re-sends once when a reused
  // keep-alive connection drops, so more drops are scripted than attempts are made).
  nhn_.Script({ScriptedReply::Answer(503, ""), ScriptedReply::Drop(), ScriptedReply::Drop(),
               ScriptedReply::Drop(), ScriptedReply::Drop()});
  DeliveryReport r = Run(Nhn());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(r.reason, "network");
  EXPECT_EQ(clock_.sleeps(), Ms({500, 1000}));
}

// ---- Telegram's parts
// ----------------------------------------------------------------------------

TEST_F(DeliverTest, EveryTelegramPartIsSentInOrder) {
  TelegramChannel channel = Telegram();
  const Alert alert = LongRootConsoleLogin();
  std::vector<HttpRequest> parts = channel.Render(alert, Seoul());
  ASSERT_GE(parts.size(), 3u);
  DeliveryReport r = Deliver(channel, parts, Env());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, static_cast<int>(parts.size()));
  std::vector<RecordedRequest> requests = telegram_.requests();
  ASSERT_EQ(requests.size(), parts.size());
  for (size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(requests[i].body, parts[i].body) << "part " << i;
  }
  EXPECT_TRUE(clock_.sleeps().empty());
}

TEST_F(DeliverTest, AFailingPartIsRetriedAloneThenTheRestFollow) {
  TelegramChannel channel = Telegram();
  std::vector<HttpRequest> parts = channel.Render(LongRootConsoleLogin(), Seoul());
  ASSERT_EQ(parts.size(), 3u);
  telegram_.Script({ScriptedReply::Normal(), FakeTelegram::BadGateway(503)});
  DeliveryReport r = Deliver(channel, parts, Env());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_EQ(r.attempts, 4);
  EXPECT_EQ(clock_.sleeps(), Ms({500}));
  std::vector<RecordedRequest> requests = telegram_.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].body, parts[0].body);
  EXPECT_EQ(requests[1].body, parts[1].body);
  EXPECT_EQ(requests[2].body, parts[1].body);
  EXPECT_EQ(requests[3].body, parts[2].body);
}

TEST_F(DeliverTest, APartThatFailsForGoodStopsTheRest) {
  TelegramChannel channel = Telegram();
  std::vector<HttpRequest> parts = channel.Render(LongRootConsoleLogin(), Seoul());
  ASSERT_EQ(parts.size(), 3u);
  telegram_.Script({ScriptedReply::Normal(), FakeTelegram::BotBlocked()});
  DeliveryReport r = Deliver(channel, parts, Env());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.reason, "auth_error");
  EXPECT_EQ(r.http_status, 403);
  EXPECT_EQ(telegram_.request_count(), 2u) << "the third part is never sent";
}

TEST_F(DeliverTest, AMigratedChatGetsEveryPartOfASplitMessage) {
  telegram_.MigrateChat(kChatIdNumber, kNewChatId);
  TelegramChannel channel = Telegram();
  std::vector<HttpRequest> parts = channel.Render(LongRootConsoleLogin(), Seoul());
  ASSERT_EQ(parts.size(), 3u);
  DeliveryReport r = Deliver(channel, parts, Env());
  EXPECT_TRUE(r.sent) << r.error;
  EXPECT_TRUE(Contains(r.config_hint, std::to_string(kNewChatId))) << r.config_hint;
  EXPECT_TRUE(clock_.sleeps().empty());
  // Every part reached the new chat, in order.
  std::vector<std::string> delivered;
  for (const RecordedRequest& request : telegram_.requests()) {
    JsonDocument body = ParseBody(request.body);
    if (body["chat_id"].GetInt64() == kNewChatId) delivered.emplace_back(AsView(body["text"]));
  }
  ASSERT_EQ(delivered.size(), parts.size());
  for (size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(delivered[i], AsView(ParseBody(parts[i].body)["text"])) << "part " << i;
  }
}

TEST_F(DeliverTest, TheDeadlineCoversAllPartsTogether) {
  policy_.deadline = milliseconds(1200);
  TelegramChannel channel = Telegram();
  std::vector<HttpRequest> parts = channel.Render(LongRootConsoleLogin(), Seoul());
  ASSERT_EQ(parts.size(), 3u);
  // Each part fails once: 500 ms + 500 ms of waits leave 200 ms, too little for the third.
  telegram_.Script({FakeTelegram::BadGateway(503), ScriptedReply::Normal(),
                    FakeTelegram::BadGateway(503), ScriptedReply::Normal(),
                    FakeTelegram::BadGateway(503)});
  DeliveryReport r = Deliver(channel, parts, Env());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 5);
  EXPECT_EQ(r.reason, "deadline");
  EXPECT_EQ(clock_.sleeps(), Ms({500, 500}));
  EXPECT_EQ(r.elapsed, milliseconds(1000));
}

}  // namespace
}  // namespace rr
