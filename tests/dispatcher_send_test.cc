// Dispatcher::Send end to end: a configuration pointing at the loopback fakes, the real clock,
// every channel of an alert in parallel, and the overall verdict with its exit status.
#include <date/tz.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "channels/clock.h"
#include "channels/http_client.h"
#include "responder/channel_factory.h"
#include "responder/config.h"
#include "responder/dispatcher.h"
#include "responder/outcome.h"
#include "responder/setup.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/testdata.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using testing::ReadFile;
using testing::TestdataDir;

class DispatcherSendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dooray_.Start().ok());
    ASSERT_TRUE(telegram_.Start().ok());
    ASSERT_TRUE(nhn_.Start().ok());
  }

  // The three fakes as configured channels; small real waits (50 ms base, 3 attempts).
  std::unique_ptr<Dispatcher> MakeDispatcher(
      const std::string& retry = R"({"base_seconds": 0.05, "cap_seconds": 0.2,
                                     "max_attempts": 3, "deadline_seconds": 5})",
      const std::string& escalation = "") {
    const std::string text = R"({
      "timezone": "Asia/Seoul",
      "accounts": {"111122223333": "prod-main"},
      "subjects": {"root-alert": {"subject": "root 계정", "severity": "critical"}},
      "notify_states": ["ALARM"],
      "channels": [
        {"name": "dooray-sec", "type": "dooray", "url": "env:T_DOORAY_URL"},
        {"name": "telegram-oncall", "type": "telegram", "api_base": ")" +
                             telegram_.api_base() + R"(",
         "bot_token": "env:T_TELEGRAM_TOKEN", "chat_id": "-1001234567890"},
        {"name": "sms-oncall", "type": "nhn_sms", "api_base": ")" +
                             nhn_.api_base() + R"(",
         "app_key": "env:T_SMS_APP_KEY", "secret_key": "env:T_SMS_SECRET_KEY",
         "send_no": "0212345678", "recipients": ["01012345678"]}
      ],
      )" + (escalation.empty() ? "" : "\"escalation\": " + escalation + ",") +
                             R"("retry": )" + retry + R"(
    })";
    const std::map<std::string, std::string> vars = {
        {"T_DOORAY_URL", dooray_.hook_url()},
        {"T_TELEGRAM_TOKEN", telegram_.token()},
        {"T_SMS_APP_KEY", nhn_.app_key()},
        {"T_SMS_SECRET_KEY", nhn_.secret_key()},
    };
    GetEnv env = [vars](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
    ConfigReport report = ParseConfig(text, "dispatcher_send_test", env);
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    RenderContext ctx;
    std::optional<DisplayZone> zone = FindTimeZone(report.config.timezone);
    EXPECT_TRUE(zone.has_value());
    if (zone) ctx.time_zone = *zone;
    return std::make_unique<Dispatcher>(report.config, BuildChannels(report.config), ctx);
  }

  static std::string RootAlarmPayload() {
    return ReadFile(TestdataDir() + "/sns/lambda-root-alert-alarm.json");
  }

  // The one outcome of sending `payload` with the real clock and randomness.
  Outcome SendOne(const std::string& payload) {
    std::unique_ptr<Dispatcher> dispatcher = MakeDispatcher();
    std::vector<Outcome> outcomes =
        dispatcher->Send(payload, client_, SystemClock(), SystemRandom());
    EXPECT_EQ(outcomes.size(), 1u);
    return outcomes.empty() ? Outcome{} : outcomes.front();
  }

  static const Delivery* Find(const Outcome& o, const std::string& channel) {
    for (const Delivery& d : o.deliveries) {
      if (d.channel == channel) return &d;
    }
    ADD_FAILURE() << "no delivery for " << channel;
    return nullptr;
  }

  void ExpectNoSecret(const std::string& text) const {
    for (const std::string& secret :
         {dooray_.token(), telegram_.token(), nhn_.app_key(), nhn_.secret_key()}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << text;
    }
    EXPECT_EQ(text.find("01012345678"), std::string::npos) << text;
  }

  FakeDooray dooray_;
  FakeTelegram telegram_;
  FakeNhnSms nhn_;
  HttpClient client_;
};

// Lambda and `once` keep no timers: a tier with a delay goes at once (the default), or, with
// lambda_delayed_tiers "skip", not at all, and the outcome says why.
TEST_F(DispatcherSendTest, WithoutTheDaemonDelayedTiersGoAtOnceOrAreSkippedAsConfigured) {
  std::unique_ptr<Dispatcher> all = MakeDispatcher();
  std::vector<Outcome> sent = all->Send(RootAlarmPayload(), client_, SystemClock(), SystemRandom());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, OutcomeKind::kDelivered);
  EXPECT_EQ(nhn_.request_count(), 1u) << "the SMS tier (300 s by default) went at once";

  std::unique_ptr<Dispatcher> skip = MakeDispatcher(
      R"({"base_seconds": 0.05, "cap_seconds": 0.2, "max_attempts": 3, "deadline_seconds": 5})",
      R"({"lambda_delayed_tiers": "skip"})");
  std::vector<Outcome> skipped =
      skip->Send(RootAlarmPayload(), client_, SystemClock(), SystemRandom());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].kind, OutcomeKind::kDelivered) << "every channel that was due got it";
  EXPECT_EQ(nhn_.request_count(), 1u) << "no second SMS";
  const Delivery* sms = Find(skipped[0], "sms-oncall");
  ASSERT_NE(sms, nullptr);
  EXPECT_EQ(sms->status, "skipped");
  EXPECT_EQ(sms->tier, 1);
  EXPECT_NE(sms->error.value_or("").find("needs the daemon"), std::string::npos)
      << sms->error.value_or("");
}

TEST_F(DispatcherSendTest, EveryChannelGetsTheAlertAndTheOutcomeIsDelivered) {
  Outcome o = SendOne(RootAlarmPayload());
  EXPECT_EQ(o.kind, OutcomeKind::kDelivered);
  EXPECT_EQ(ExitCodeFor({o}), 0);
  ASSERT_EQ(o.deliveries.size(), 3u);
  const std::vector<std::string> types = {"dooray", "telegram", "nhn_sms"};
  for (size_t i = 0; i < o.deliveries.size(); ++i) {
    const Delivery& d = o.deliveries[i];
    SCOPED_TRACE(d.channel);
    EXPECT_EQ(d.type, types[i]);
    EXPECT_EQ(d.status, "sent");
    EXPECT_EQ(d.attempts, 1);
    EXPECT_EQ(d.http_status, 200);
    EXPECT_FALSE(d.error.has_value());
  }
  EXPECT_EQ(dooray_.request_count(), 1u);
  EXPECT_EQ(telegram_.request_count(), 1u);
  EXPECT_EQ(nhn_.request_count(), 1u);
}

TEST_F(DispatcherSendTest, ASlowDoorayNeverDelaysTelegramOrSms) {
  dooray_.Script({ScriptedReply::Slow(milliseconds(1500))});
  std::unique_ptr<Dispatcher> dispatcher = MakeDispatcher();
  const auto start = std::chrono::steady_clock::now();
  std::future<std::vector<Outcome>> sending = std::async(std::launch::async, [&] {
    return dispatcher->Send(RootAlarmPayload(), client_, SystemClock(), SystemRandom());
  });
  // Dooray is listed first; Telegram and SMS must not wait for its answer to go out.
  EXPECT_TRUE(telegram_.WaitForRequests(1, milliseconds(1000)));
  EXPECT_TRUE(nhn_.WaitForRequests(1, milliseconds(1000)));
  const auto others_sent = std::chrono::steady_clock::now() - start;
  EXPECT_LT(others_sent, milliseconds(1000));

  std::vector<Outcome> outcomes = sending.get();
  ASSERT_EQ(outcomes.size(), 1u);
  const Outcome& o = outcomes[0];
  EXPECT_EQ(o.kind, OutcomeKind::kDelivered);
  const Delivery* dooray = Find(o, "dooray-sec");
  const Delivery* telegram = Find(o, "telegram-oncall");
  const Delivery* sms = Find(o, "sms-oncall");
  ASSERT_TRUE(dooray && telegram && sms);
  EXPECT_EQ(dooray->status, "sent");
  EXPECT_GE(dooray->elapsed_ms, 1500);
  EXPECT_EQ(telegram->status, "sent");
  EXPECT_LT(telegram->elapsed_ms, 500) << "far below Dooray's 1500 ms";
  EXPECT_EQ(sms->status, "sent");
  EXPECT_LT(sms->elapsed_ms, 500);
}

TEST_F(DispatcherSendTest, ASlowServiceIsCutOffAtTheDeadline) {
  dooray_.Script({ScriptedReply::Slow(milliseconds(3000))});
  std::unique_ptr<Dispatcher> dispatcher = MakeDispatcher(
      R"({"base_seconds": 0.05, "cap_seconds": 0.2, "max_attempts": 3,
          "deadline_seconds": 0.3})");
  std::vector<Outcome> outcomes =
      dispatcher->Send(RootAlarmPayload(), client_, SystemClock(), SystemRandom());
  ASSERT_EQ(outcomes.size(), 1u);
  const Outcome& o = outcomes[0];
  EXPECT_EQ(o.kind, OutcomeKind::kPartial);
  const Delivery* dooray = Find(o, "dooray-sec");
  ASSERT_NE(dooray, nullptr);
  EXPECT_EQ(dooray->status, "failed");
  EXPECT_GE(dooray->elapsed_ms, 250);
  EXPECT_LT(dooray->elapsed_ms, 1500) << "the attempt is bounded by what is left of 300 ms";
  ASSERT_TRUE(dooray->error.has_value());
  EXPECT_NE(dooray->error->find("deadline"), std::string::npos) << *dooray->error;
  EXPECT_FALSE(dooray->http_status.has_value());
  ExpectNoSecret(*dooray->error);
  EXPECT_EQ(Find(o, "telegram-oncall")->status, "sent");
  EXPECT_EQ(Find(o, "sms-oncall")->status, "sent");
}

TEST_F(DispatcherSendTest, AllChannelsFailingPermanentlyIsFailedWithExitCode1) {
  dooray_.Script({FakeDooray::HeaderFailure()});
  telegram_.Script({FakeTelegram::Unauthorized()});
  nhn_.Script({FakeNhnSms::SendNoNotRegistered()});
  Outcome o = SendOne(RootAlarmPayload());
  EXPECT_EQ(o.kind, OutcomeKind::kFailed);
  EXPECT_EQ(o.reason, "no channel got through");
  EXPECT_EQ(ExitCodeFor({o}), 1);
  ASSERT_EQ(o.deliveries.size(), 3u);
  for (const Delivery& d : o.deliveries) {
    SCOPED_TRACE(d.channel);
    EXPECT_EQ(d.status, "failed");
    EXPECT_EQ(d.attempts, 1) << "permanent failures are not retried";
    ASSERT_TRUE(d.error.has_value());
    ExpectNoSecret(*d.error);
  }
  EXPECT_NE(Find(o, "dooray-sec")->error->find("vendor:-400"), std::string::npos);
  EXPECT_NE(Find(o, "telegram-oncall")->error->find("auth_error"), std::string::npos);
  EXPECT_EQ(Find(o, "telegram-oncall")->http_status, 401);
  EXPECT_NE(Find(o, "sms-oncall")->error->find("vendor:-2312"), std::string::npos);
  ExpectNoSecret(OutcomeToJson(o));
}

TEST_F(DispatcherSendTest, OneChannelFailingIsPartial) {
  nhn_.Script({FakeNhnSms::SendNoNotRegistered()});
  Outcome o = SendOne(RootAlarmPayload());
  EXPECT_EQ(o.kind, OutcomeKind::kPartial);
  EXPECT_EQ(ExitCodeFor({o}), 0);
  EXPECT_EQ(Find(o, "dooray-sec")->status, "sent");
  EXPECT_EQ(Find(o, "telegram-oncall")->status, "sent");
  const Delivery* sms = Find(o, "sms-oncall");
  ASSERT_NE(sms, nullptr);
  EXPECT_EQ(sms->status, "failed");
  EXPECT_EQ(sms->attempts, 1);
  ASSERT_TRUE(sms->error.has_value());
  EXPECT_NE(sms->error->find("vendor:-2312"), std::string::npos) << *sms->error;
}

TEST_F(DispatcherSendTest, TheConfiguredRetryPolicyIsUsed) {
  // max_attempts 3 from the configuration (the default would be 5), 50 ms base.
  nhn_.Script({FakeNhnSms::SystemError(), FakeNhnSms::SystemError(), FakeNhnSms::SystemError(),
               FakeNhnSms::SystemError(), FakeNhnSms::SystemError()});
  telegram_.Script({FakeTelegram::BadGateway(503)});
  Outcome o = SendOne(RootAlarmPayload());
  EXPECT_EQ(o.kind, OutcomeKind::kPartial);
  const Delivery* sms = Find(o, "sms-oncall");
  ASSERT_NE(sms, nullptr);
  EXPECT_EQ(sms->status, "failed");
  EXPECT_EQ(sms->attempts, 3);
  ASSERT_TRUE(sms->error.has_value());
  EXPECT_NE(sms->error->find("attempts exhausted"), std::string::npos) << *sms->error;
  EXPECT_LT(sms->elapsed_ms, 1000) << "waits of at most 50 ms and 100 ms";
  const Delivery* telegram = Find(o, "telegram-oncall");
  ASSERT_NE(telegram, nullptr);
  EXPECT_EQ(telegram->status, "sent");
  EXPECT_EQ(telegram->attempts, 2);
  EXPECT_EQ(nhn_.request_count(), 3u);
}

TEST_F(DispatcherSendTest, AnIgnoredPayloadSendsNothing) {
  Outcome o = SendOne(ReadFile(TestdataDir() + "/sns/lambda-ok-state.json"));
  EXPECT_EQ(o.kind, OutcomeKind::kIgnored);
  EXPECT_TRUE(o.deliveries.empty());
  EXPECT_EQ(ExitCodeFor({o}), 0);
  EXPECT_EQ(dooray_.request_count(), 0u);
  EXPECT_EQ(telegram_.request_count(), 0u);
  EXPECT_EQ(nhn_.request_count(), 0u);
}

TEST_F(DispatcherSendTest, ARejectedPayloadSendsNothing) {
  Outcome o = SendOne("{\"hello\":");
  EXPECT_EQ(o.kind, OutcomeKind::kRejected);
  EXPECT_TRUE(o.deliveries.empty());
  EXPECT_EQ(ExitCodeFor({o}), 2);
  EXPECT_EQ(dooray_.request_count() + telegram_.request_count() + nhn_.request_count(), 0u);
}

}  // namespace
}  // namespace rr
