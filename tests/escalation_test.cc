// Escalation end to end inside the daemon's pipeline: a real spool file, the loopback fakes of
// Dooray, Telegram and NHN SMS, and a fake clock that the test moves. Workers are off; the test
// runs whatever is due (AlertPipeline::RunDue), so every step of a ladder is exact.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "channels/http_client.h"
#include "responder/alert_pipeline.h"
#include "responder/channel_factory.h"
#include "responder/config.h"
#include "responder/dispatcher.h"
#include "responder/metrics.h"
#include "responder/setup.h"
#include "responder/spool.h"
#include "responder/sqlite_db.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/map_env.h"

namespace rr {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kAccount[] = "111122223333";

// A CloudWatch alarm notification as SNS POSTs it (unsigned: the pipeline trusts what the
// endpoint already verified).
std::string AlarmNotification(const std::string& message_id, const std::string& alarm_name,
                              const std::string& state, const std::string& account = kAccount,
                              const std::string& reason = "Threshold Crossed: 1 datapoint") {
  const std::string message =
      R"({"AlarmName":")" + alarm_name + R"(","AlarmDescription":null,"AWSAccountId":")" + account +
      R"(","NewStateValue":")" + state + R"(","NewStateReason":")" + reason +
      R"js(","StateChangeTime":"2026-09-01T03:14:07.000+0000","Region":"Asia Pacific (Seoul)",)js"
      R"("AlarmArn":"arn:aws:cloudwatch:ap-northeast-2:)" +
      account + ":alarm:" + alarm_name + R"(","OldStateValue":")" +
      (state == "OK" ? "ALARM" : "OK") +
      R"(","Trigger":{"MetricName":"RootAccountUsageCount","Namespace":"CloudTrailMetrics",)"
      R"("Statistic":"SUM","Period":300,"EvaluationPeriods":1,)"
      R"("ComparisonOperator":"GreaterThanOrEqualToThreshold","Threshold":1.0}})";
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return R"({"Type":"Notification","MessageId":")" + message_id +
         R"(","TopicArn":"arn:aws:sns:ap-northeast-2:)" + account +
         R"(:root-alert-topic","Subject":"ALARM","Message":")" + escaped +
         R"(","Timestamp":"2026-09-01T03:14:07.140Z"})";
}

// An EventBridge root sign-in (or, with event_name other than ConsoleLogin, a root API call).
std::string RootEvent(const std::string& id, const std::string& event_name = "ConsoleLogin",
                      const std::string& account = kAccount) {
  const bool login = event_name == "ConsoleLogin";
  return R"({"version":"0","id":")" + id + R"(","detail-type":")" +
         (login ? "AWS Console Sign In via CloudTrail" : "AWS API Call via CloudTrail") +
         R"(","source":")" + (login ? "aws.signin" : "aws.iam") + R"(","account":")" + account +
         R"(","time":"2026-09-01T03:12:00Z","region":"us-east-1","resources":[],)"
         R"("detail":{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":")" +
         account + R"(","arn":"arn:aws:iam::)" + account + R"(:root","accountId":")" + account +
         R"("},"eventTime":"2026-09-01T03:12:00Z","eventSource":")" +
         (login ? "signin.amazonaws.com" : "iam.amazonaws.com") + R"(","eventName":")" +
         event_name +
         R"(","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","userAgent":"Mozilla/5.0",)"
         R"("requestParameters":null,"responseElements":)" +
         (login ? R"({"ConsoleLogin":"Success"})" : "null") +
         R"(,"additionalEventData":{"MFAUsed":"No"},"eventID":"ev-)" + id +
         R"(","readOnly":false,"eventType":")" + (login ? "AwsConsoleSignIn" : "AwsApiCall") +
         R"(","managementEvent":true,"recipientAccountId":")" + account + R"("}})";
}

class EscalationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dooray_.Start().ok());
    ASSERT_TRUE(telegram_.Start().ok());
    ASSERT_TRUE(nhn_.Start().ok());
    std::string pattern =
        (std::filesystem::temp_directory_path() / "rr-escalation-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }

  void TearDown() override {
    pipeline_.reset();
    spool_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Chat at once, SMS after five minutes; repeats every ten minutes, twice; 15 min window.
  void Configure(const std::string& escalation_extra = "", const std::string& subjects_extra = "") {
    const std::string text = R"({
      "timezone": "Asia/Seoul",
      "subjects": {"root-alert": {"subject": "root 계정", "severity": "critical"},
                   "urgent-alarm": {"subject": "긴급", "escalate_immediately": true})" +
                             subjects_extra + R"(},
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
      "escalation": {
        "tiers": [{"channels": ["dooray-sec", "telegram-oncall"], "after_seconds": 0},
                  {"channels": ["sms-oncall"], "after_seconds": 300}],
        "repeat_seconds": 600, "max_repeats": 2, "correlation_window_seconds": 900)" +
                             escalation_extra + R"(
      },
      "retry": {"base_seconds": 1, "cap_seconds": 2, "max_attempts": 2, "deadline_seconds": 10}
    })";
    GetEnv env = testing::MapEnv({
        {"T_DOORAY_URL", dooray_.hook_url()},
        {"T_TELEGRAM_TOKEN", telegram_.token()},
        {"T_SMS_APP_KEY", nhn_.app_key()},
        {"T_SMS_SECRET_KEY", nhn_.secret_key()},
    });
    ConfigReport report = ParseConfig(text, "escalation_test", env);
    ASSERT_TRUE(report.ok()) << report.problems.front();
    RenderContext ctx;
    ctx.time_zone = *FindTimeZone("Asia/Seoul");
    dispatcher_ = std::make_unique<Dispatcher>(report.config, BuildChannels(report.config), ctx);
    OpenPipeline();
  }

  void OpenPipeline() {
    SpoolOptions options;
    options.path = dir_ + "/spool.db";
    Result<std::unique_ptr<Spool>> spool = Spool::Open(options, clock_);
    ASSERT_TRUE(spool.ok()) << spool.status().ToString();
    spool_ = std::move(*spool);
    PipelineOptions p;
    p.workers = 0;  // the test runs what is due
    p.first_round_delay = seconds(30);
    pipeline_ = std::make_unique<AlertPipeline>(*dispatcher_, *spool_, client_, clock_, random_,
                                                metrics_, p);
    ASSERT_TRUE(pipeline_->Start().ok());
  }

  // Stops the daemon and starts a new one on the same spool file, as a restart does.
  void Restart() {
    pipeline_.reset();
    spool_.reset();
    OpenPipeline();
  }

  AcceptAnswer Accept(const std::string& payload) {
    AcceptAnswer a = pipeline_->Accept(payload, "sns-http");
    pipeline_->RunDue();
    return a;
  }

  void Advance(std::chrono::seconds by) {
    clock_.Advance(by);
    pipeline_->RunDue();
  }

  int64_t IncidentOf(int64_t alert_id) {
    Result<std::optional<AlertRecord>> r = spool_->FindAlert(alert_id);
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && *r ? (*r)->incident_id : 0;
  }

  std::optional<AlertRecord> Record(int64_t alert_id) {
    Result<std::optional<AlertRecord>> r = spool_->FindAlert(alert_id);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::nullopt;
  }

  size_t Dooray() const { return dooray_.request_count(); }
  size_t Sms() const { return nhn_.request_count(); }
  size_t Telegram() const {
    size_t n = 0;
    for (const RecordedRequest& r : telegram_.requests()) n += r.path.ends_with("/sendMessage");
    return n;
  }

  FakeDooray dooray_;
  FakeTelegram telegram_;
  FakeNhnSms nhn_;
  std::string dir_;
  FakeClock clock_;
  FakeRandom random_{{}, 0.5};
  HttpClient client_;
  Metrics metrics_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Spool> spool_;
  std::unique_ptr<AlertPipeline> pipeline_;
};

TEST_F(EscalationTest, UnacknowledgedAlarmClimbsToSmsOnScheduleThenRepeatsABoundedNumber) {
  Configure();
  AcceptAnswer a = Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  ASSERT_EQ(a.kind, AcceptKind::kAccepted);
  EXPECT_EQ(Dooray(), 1u);
  EXPECT_EQ(Telegram(), 1u);
  EXPECT_EQ(Sms(), 0u) << "SMS waits five minutes for an acknowledgement";

  Advance(seconds(298));  // retries inside the first round moved the clock a little, too
  EXPECT_EQ(Sms(), 0u);
  Advance(seconds(2));
  EXPECT_EQ(Sms(), 1u) << "no acknowledgement after 300 s: the SMS tier";
  EXPECT_EQ(Dooray(), 1u) << "chat is not paged again when SMS goes";

  Advance(seconds(599));
  EXPECT_EQ(Sms(), 1u);
  Advance(seconds(1));
  EXPECT_EQ(Sms(), 2u) << "still firing, unacknowledged: the current tier again";
  EXPECT_EQ(Dooray(), 1u) << "repeats go to the current tier only";
  Advance(seconds(600));
  EXPECT_EQ(Sms(), 3u);
  Advance(minutes(60));
  EXPECT_EQ(Sms(), 3u) << "max_repeats is 2";
  std::optional<AlertRecord> record = Record(a.alert_ids.at(0));
  ASSERT_TRUE(record);
  EXPECT_EQ(record->outcome.value_or("unfinished"), "delivered");
  EXPECT_EQ(pipeline_->unfinished(), 0u);
}

TEST_F(EscalationTest, AcknowledgedBeforeTheSmsTierStopsTheLadderAndTellsTheChat) {
  Configure();
  AcceptAnswer a = Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  const int64_t incident = IncidentOf(a.alert_ids.at(0));
  ASSERT_GT(incident, 0);
  Advance(seconds(60));

  Result<AckAnswer> ack = pipeline_->Acknowledge(incident, "alice (link)");
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->kind, AckAnswer::Kind::kAcknowledged);
  pipeline_->RunDue();
  EXPECT_EQ(Dooray(), 2u) << "the acknowledged notice goes to the chat that was paged";
  EXPECT_EQ(Telegram(), 2u);

  Advance(minutes(30));
  EXPECT_EQ(Sms(), 0u) << "acknowledged: the SMS tier never goes";
  std::optional<AlertRecord> record = Record(a.alert_ids.at(0));
  ASSERT_TRUE(record);
  EXPECT_EQ(record->outcome.value_or("unfinished"), "delivered");
  ASSERT_TRUE(record->outcome_json);
  EXPECT_NE(record->outcome_json->find("acknowledged by alice (link)"), std::string::npos);

  Result<AckAnswer> again = pipeline_->Acknowledge(incident, "bob (Telegram)");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, AckAnswer::Kind::kAlreadyAcknowledged);
  EXPECT_EQ(again->by, "alice (link)");
  pipeline_->RunDue();
  EXPECT_EQ(Dooray(), 2u) << "a second acknowledgement tells nobody again";
}

TEST_F(EscalationTest, AcknowledgedAfterTheSmsStopsTheRepeatsAndTellsChatOnly) {
  Configure();
  AcceptAnswer a = Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  Advance(seconds(300));
  ASSERT_EQ(Sms(), 1u);
  ASSERT_TRUE(pipeline_->Acknowledge(IncidentOf(a.alert_ids.at(0)), "carol").ok());
  pipeline_->RunDue();
  EXPECT_EQ(Dooray(), 2u);
  EXPECT_EQ(Sms(), 1u) << "the acknowledged notice is for chat";
  Advance(minutes(60));
  EXPECT_EQ(Sms(), 1u) << "no repeats after an acknowledgement";
}

TEST_F(EscalationTest, WhenEveryChatChannelFailsSmsGoesAtOnce) {
  Configure();
  // Both chat services refuse for good (the hook and the bot were revoked).
  dooray_.Script({ScriptedReply::Answer(404, "{}")});
  telegram_.Script({FakeTelegram::Unauthorized()});
  Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  EXPECT_EQ(Sms(), 1u) << "every channel of tier 0 failed: tier 1 without waiting";
}

TEST_F(EscalationTest, ASubjectThatEscalatesImmediatelyPagesEveryTierAtOnce) {
  Configure();
  Accept(AlarmNotification("m-1", "urgent-alarm", "ALARM"));
  EXPECT_EQ(Dooray(), 1u);
  EXPECT_EQ(Sms(), 1u);
}

TEST_F(EscalationTest, ADrillPagesEveryTierAtOnceAndDoesNotRepeat) {
  Configure();
  Accept(AlarmNotification("m-1", "root-alert", "ALARM", kAccount,
                           "drill by root-responder id=abc123"));
  EXPECT_EQ(Dooray(), 1u);
  EXPECT_EQ(Sms(), 1u);
  Advance(minutes(60));
  EXPECT_EQ(Sms(), 1u);
}

TEST_F(EscalationTest, TheSameNotificationTwiceIsPagedOnce) {
  Configure();
  const std::string n = AlarmNotification("m-1", "root-alert", "ALARM");
  EXPECT_EQ(Accept(n).kind, AcceptKind::kAccepted);
  EXPECT_EQ(Accept(n).kind, AcceptKind::kDuplicate);
  Advance(seconds(300));
  EXPECT_EQ(Dooray(), 1u);
  EXPECT_EQ(Sms(), 1u);
}

TEST_F(EscalationTest, TheSignInThenItsAlarmAreOneIncidentPagedOnce) {
  Configure();
  AcceptAnswer login = Accept(RootEvent("e-1"));
  EXPECT_EQ(Dooray(), 1u);
  Advance(seconds(120));
  // The CIS alarm on the same root use, two minutes later through another path.
  AcceptAnswer alarm = Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  ASSERT_EQ(alarm.kind, AcceptKind::kAccepted);
  EXPECT_EQ(IncidentOf(alarm.alert_ids.at(0)), IncidentOf(login.alert_ids.at(0)));
  EXPECT_EQ(Dooray(), 1u) << "the alarm joined the sign-in's incident: not paged again";
  EXPECT_EQ(Telegram(), 1u);
  std::optional<AlertRecord> member = Record(alarm.alert_ids.at(0));
  ASSERT_TRUE(member);
  EXPECT_EQ(member->outcome.value_or(""), "correlated");

  Advance(seconds(180));
  ASSERT_EQ(Sms(), 1u) << "one SMS for the incident";
  // The SMS page shows both: the sign-in it is about and the alarm as related.
  const std::string sms = nhn_.requests().back().body;
  EXPECT_NE(sms.find("203.0.113.5"), std::string::npos) << sms;
}

TEST_F(EscalationTest, ASignInAfterItsAlarmIsToldOnceToTheChatThatWasPaged) {
  Configure();
  AcceptAnswer alarm = Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  ASSERT_EQ(Dooray(), 1u);
  Advance(seconds(30));
  AcceptAnswer login = Accept(RootEvent("e-1"));
  EXPECT_EQ(IncidentOf(login.alert_ids.at(0)), IncidentOf(alarm.alert_ids.at(0)));
  EXPECT_EQ(Dooray(), 2u) << "who, from where, with or without MFA: one follow-up to chat";
  EXPECT_EQ(Telegram(), 2u);
  EXPECT_EQ(Sms(), 0u) << "a follow-up is not a page: SMS keeps its schedule";
  const std::string follow_up = dooray_.requests().back().body;
  EXPECT_NE(follow_up.find("203.0.113.5"), std::string::npos) << follow_up;

  // The burst of API calls that follows the sign-in tells nobody again.
  for (int i = 0; i < 5; ++i) Accept(RootEvent("call-" + std::to_string(i), "CreateAccessKey"));
  EXPECT_EQ(Dooray(), 2u);
  EXPECT_EQ(Telegram(), 2u);
  Advance(seconds(270));
  EXPECT_EQ(Sms(), 1u);
}

TEST_F(EscalationTest, OtherAccountsAndLaterUsesAreIncidentsOfTheirOwn) {
  Configure();
  AcceptAnswer first = Accept(RootEvent("e-1"));
  AcceptAnswer other = Accept(RootEvent("e-2", "ConsoleLogin", "999988887777"));
  EXPECT_NE(IncidentOf(first.alert_ids.at(0)), IncidentOf(other.alert_ids.at(0)));
  EXPECT_EQ(Dooray(), 2u);
  Advance(seconds(901));
  AcceptAnswer later = Accept(RootEvent("e-3"));
  EXPECT_NE(IncidentOf(later.alert_ids.at(0)), IncidentOf(first.alert_ids.at(0)))
      << "past the correlation window a new root use pages again";
  EXPECT_EQ(Dooray(), 3u);
}

TEST_F(EscalationTest, AnOkForAFiringAlarmPostsResolvedToChatAndStopsRepeats) {
  Configure();
  Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  Advance(seconds(300));
  ASSERT_EQ(Sms(), 1u);
  AcceptAnswer ok = Accept(AlarmNotification("m-2", "root-alert", "OK"));
  ASSERT_EQ(ok.kind, AcceptKind::kAccepted);
  EXPECT_EQ(Dooray(), 2u) << "resolved, to the chat that was paged";
  EXPECT_EQ(Telegram(), 2u);
  EXPECT_EQ(Sms(), 1u) << "not to SMS unless resolved_to_sms";
  Advance(minutes(60));
  EXPECT_EQ(Sms(), 1u) << "no longer firing: no repeats";
}

TEST_F(EscalationTest, ResolvedGoesToSmsWhenConfigured) {
  Configure(R"(, "resolved_to_sms": true)");
  Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  Advance(seconds(300));
  Accept(AlarmNotification("m-2", "root-alert", "OK"));
  EXPECT_EQ(Sms(), 2u);
}

TEST_F(EscalationTest, AnOkWithNothingFiringIsIgnored) {
  Configure();
  AcceptAnswer ok = Accept(AlarmNotification("m-2", "root-alert", "OK"));
  EXPECT_EQ(ok.kind, AcceptKind::kIgnored);
  EXPECT_NE(ok.reason.find("notify_states"), std::string::npos) << ok.reason;
  EXPECT_EQ(Dooray(), 0u);
}

TEST_F(EscalationTest, ARestartInTheMiddleOfALadderContinuesWithoutRepaging) {
  Configure();
  AcceptAnswer a = Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  ASSERT_EQ(Dooray(), 1u);
  Advance(seconds(100));
  Restart();
  pipeline_->RunDue();
  EXPECT_EQ(Dooray(), 1u) << "chat took it before the restart: not paged again";
  EXPECT_EQ(Sms(), 0u);
  Advance(seconds(200));
  EXPECT_EQ(Sms(), 1u) << "the ladder goes on at its time, counted from the first alert";
  Restart();
  Advance(seconds(600));
  EXPECT_EQ(Sms(), 2u) << "the repeat count survived the restart";
  Advance(seconds(600));
  Advance(seconds(600));
  EXPECT_EQ(Sms(), 3u);
  EXPECT_EQ(Record(a.alert_ids.at(0))->outcome.value_or(""), "delivered");
}

TEST_F(EscalationTest, AnAcknowledgementSurvivesARestart) {
  Configure();
  AcceptAnswer a = Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  ASSERT_TRUE(pipeline_->Acknowledge(IncidentOf(a.alert_ids.at(0)), "dave").ok());
  Restart();
  Advance(minutes(30));
  EXPECT_EQ(Sms(), 0u);
  EXPECT_EQ(Dooray(), 2u) << "the notice is sent once, by whichever run gets to it";
}

TEST_F(EscalationTest, AnUnknownIncidentCannotBeAcknowledged) {
  Configure();
  Result<AckAnswer> ack = pipeline_->Acknowledge(4242, "mallory");
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->kind, AckAnswer::Kind::kUnknownIncident);
}

TEST_F(EscalationTest, WithoutCorrelationEveryAlertIsItsOwnIncident) {
  Configure(R"(, "correlation_window_seconds": 0)");
  Accept(RootEvent("e-1"));
  Accept(AlarmNotification("m-1", "root-alert", "ALARM"));
  EXPECT_EQ(Dooray(), 2u);
}

// A spool written before escalation (schema version 1) with an alert still unfinished: the new
// program migrates it and delivers that alert as it was promised then, every channel at once.
TEST_F(EscalationTest, AnUnfinishedAlertFromBeforeEscalationIsDeliveredAsBefore) {
  {
    Result<SqliteDb> db =
        SqliteDb::Open(dir_ + "/spool.db", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "v1 spool");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(db->Exec(R"sql(
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT, dedup_key TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL, payload BLOB NOT NULL, drill_id TEXT,
        accepted_at_ms INTEGER NOT NULL, finished_at_ms INTEGER, outcome TEXT, outcome_json TEXT,
        CHECK ((finished_at_ms IS NULL) = (outcome IS NULL)));
      CREATE INDEX alerts_unfinished ON alerts (id) WHERE finished_at_ms IS NULL;
      CREATE INDEX alerts_finished_at ON alerts (finished_at_ms) WHERE finished_at_ms IS NOT NULL;
      CREATE INDEX alerts_drill_id ON alerts (drill_id) WHERE drill_id IS NOT NULL;
      CREATE TABLE deliveries (
        alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL CHECK (attempts >= 0), http_status INTEGER, error TEXT,
        updated_at_ms INTEGER NOT NULL, PRIMARY KEY (alert_id, channel)) WITHOUT ROWID;
      PRAGMA user_version = 1;
      PRAGMA application_id = 1920103280;  -- "rrsp"
    )sql",
                         "create v1 spool")
                    .ok());
    Result<SqliteStatement> insert = db->Prepare(
        "INSERT INTO alerts (dedup_key, source, payload, accepted_at_ms) VALUES "
        "('sns:m-old', 'sns-http', ?1, 1788000000000)",
        "insert v1 alert");
    ASSERT_TRUE(insert.ok());
    insert->BindBlob(1, AlarmNotification("m-old", "root-alert", "ALARM"));
    ASSERT_TRUE(insert->Run().ok());
    Result<SqliteStatement> sent = db->Prepare(
        "INSERT INTO deliveries VALUES (1, 'dooray-sec', 'sent', 1, 200, NULL, 1788000000000)",
        "insert v1 delivery");
    ASSERT_TRUE(sent.ok());
    ASSERT_TRUE(sent->Run().ok());
  }
  Configure();
  EXPECT_EQ(spool_->settings().schema_version, 2);
  pipeline_->RunDue();
  EXPECT_EQ(Dooray(), 0u) << "dooray took it before the upgrade";
  EXPECT_EQ(Telegram(), 1u);
  EXPECT_EQ(Sms(), 1u) << "an alert without an incident goes to every tier at once, as in v1";
  std::optional<AlertRecord> old = Record(1);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->role, AlertRole::kNone);
  EXPECT_EQ(old->outcome.value_or(""), "delivered");
}

}  // namespace
}  // namespace rr
