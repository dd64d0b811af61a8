// CloudWatch alarm state changes in their three shapes (alarm/README.md "Field rules", alarm
// column; aws-formats.md §1): the SNS alarm message, the EventBridge "CloudWatch Alarm State
// Change" event, and the alarm action that invokes Lambda directly.
#include "alarm/cloudwatch_alarm.h"

#include <string>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rr {
namespace {

using ::testing::HasSubstr;

// aws-formats.md §1.6, compact as on the wire.
constexpr std::string_view kRootAlert =
    R"js({"AlarmName":"root-alert","AlarmDescription":"Root account usage (CIS 4.3 / Security Hub CloudWatch.1)","AWSAccountId":"111122223333","AlarmConfigurationUpdatedTimestamp":"2026-03-02T08:11:05.402+0000","NewStateValue":"ALARM","NewStateReason":"Threshold Crossed: 1 out of the last 1 datapoints [1.0 (02/03/26 09:40:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).","StateChangeTime":"2026-03-02T09:45:31.077+0000","Region":"Asia Pacific (Seoul)","AlarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert","OldStateValue":"OK","OKActions":[],"AlarmActions":["arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic"],"InsufficientDataActions":[],"Trigger":{"MetricName":"RootAccountUsageCount","Namespace":"CloudTrailMetrics","StatisticType":"Statistic","Statistic":"SUM","Unit":null,"Dimensions":[],"Period":300,"EvaluationPeriods":1,"DatapointsToAlarm":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold","Threshold":1.0,"TreatMissingData":"notBreaching","EvaluateLowSampleCountPercentile":""}})js";

// aws-formats.md §1.7 (EventBridge), the documented shape.
constexpr std::string_view kStateChangeEvent = R"js({"version":"0",
  "id":"2691a2b3-c4d5-46e7-8526-d7e8f9a0b1c2","detail-type":"CloudWatch Alarm State Change",
  "source":"aws.cloudwatch","account":"111122223333","time":"2026-03-02T09:45:31Z",
  "region":"ap-northeast-2",
  "resources":["arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert"],
  "detail":{"alarmName":"root-alert",
    "state":{"value":"ALARM","reason":"Threshold Crossed: 1 datapoint","timestamp":"2026-03-02T09:45:31.077+0000"},
    "previousState":{"value":"OK","reason":"Threshold Crossed: 0","timestamp":"2026-03-01T22:15:31.510+0000"},
    "configuration":{"description":"Root account usage","metrics":[]}}})js";

// aws-formats.md §1.7 (alarm action invoking Lambda directly), camelCase keys.
constexpr std::string_view kActionEvent = R"js({"source":"aws.cloudwatch",
  "alarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert",
  "accountId":"111122223333","time":"2026-03-19T04:20:00.840+0000","region":"ap-northeast-2",
  "alarmData":{"alarmName":"root-alert",
    "state":{"value":"ALARM","reason":"Threshold Crossed","reasonData":"{}","timestamp":"2026-03-19T04:20:00.840+0000"},
    "previousState":{"value":"OK","reason":"Threshold Crossed","timestamp":"2026-03-18T06:16:06.606+0000"},
    "configuration":{"description":"Root account usage","metrics":[]}}})js";

constexpr char kMessageId[] = "7c3e5a1b-2d4f-5e6a-8b9c-0d1e2f3a4b5c";

// Replaces the first `from` in `text` (the fixture must contain it).
std::string With(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture lacks " << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

enum class Shape { kMessage, kStateChange, kAction };

Parsed Run(std::string_view json, Shape shape, const EnvelopeFacts& envelope, std::string path) {
  JsonDocument doc;
  Status s = ParseJson(json, {}, "test", &doc);
  EXPECT_TRUE(s.ok()) << s.message();
  Status error;
  FieldReader r(doc, std::move(path), &error);
  switch (shape) {
    case Shape::kMessage:
      return ParseAlarmMessage(r, envelope);
    case Shape::kStateChange:
      return ParseAlarmStateChangeEvent(r, envelope);
    case Shape::kAction:
      return ParseAlarmActionEvent(r, envelope);
  }
  return Parsed::Reject("unreachable");
}

Parsed Message(std::string_view json, const EnvelopeFacts& envelope = {}, std::string path = "") {
  return Run(json, Shape::kMessage, envelope, std::move(path));
}
Parsed StateChange(std::string_view json, const EnvelopeFacts& envelope = {}) {
  return Run(json, Shape::kStateChange, envelope, "");
}
Parsed Action(std::string_view json, const EnvelopeFacts& envelope = {}) {
  return Run(json, Shape::kAction, envelope, "");
}

bool Recognised(std::string_view json, bool (*predicate)(const FieldReader&)) {
  JsonDocument doc;
  EXPECT_TRUE(ParseJson(json, {}, "test", &doc).ok());
  Status error;
  FieldReader r(doc, "", &error);
  return predicate(r);
}

void ExpectNoEventFields(const Alert& a) {
  EXPECT_EQ(a.event_name, std::nullopt);
  EXPECT_EQ(a.event_source, std::nullopt);
  EXPECT_EQ(a.principal_type, std::nullopt);
  EXPECT_EQ(a.principal_arn, std::nullopt);
  EXPECT_EQ(a.source_ip, std::nullopt);
  EXPECT_EQ(a.user_agent, std::nullopt);
  EXPECT_EQ(a.mfa_used, std::nullopt);
  EXPECT_EQ(a.login_result, std::nullopt);
  EXPECT_EQ(a.error_message, std::nullopt);
  EXPECT_EQ(a.event_id, std::nullopt);
  EXPECT_EQ(a.account_name, std::nullopt);
  EXPECT_EQ(a.subject, std::nullopt);
}

// --- The SNS alarm message ---------------------------------------------------------------

TEST(CloudWatchAlarmTest, SnsMessageFields) {
  Parsed p = Message(kRootAlert, EnvelopeFacts{kMessageId});
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.reason, "");
  ASSERT_TRUE(p.alert.has_value());
  const Alert& a = *p.alert;
  EXPECT_EQ(a.kind, AlertKind::kAlarm);
  EXPECT_EQ(a.state, "ALARM");
  EXPECT_EQ(a.previous_state, "OK");
  EXPECT_EQ(a.alarm_name, "root-alert");
  EXPECT_EQ(a.alarm_description, "Root account usage (CIS 4.3 / Security Hub CloudWatch.1)");
  EXPECT_EQ(a.reason,
            "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (02/03/26 09:40:00)] was "
            "greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM "
            "transition).");
  EXPECT_EQ(a.account_id, "111122223333");
  EXPECT_EQ(a.region, "ap-northeast-2");
  EXPECT_EQ(a.event_time, "2026-03-02T09:45:31Z");
  EXPECT_EQ(a.message_id, kMessageId);
  EXPECT_EQ(a.dedup_key, std::string("sns:") + kMessageId);
  EXPECT_EQ(a.console_url,
            "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2"
            "#alarmsV2:alarm/root-alert");
  EXPECT_FALSE(a.drill);
  ExpectNoEventFields(a);
}

TEST(CloudWatchAlarmTest, WithoutSnsTheKeyIsArnAtStateChangeTimeAsReceived) {
  Parsed p = Message(kRootAlert);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->message_id, std::nullopt);
  EXPECT_EQ(p.alert->dedup_key,
            "alarm:arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert"
            "@2026-03-02T09:45:31.077+0000");
}

TEST(CloudWatchAlarmTest, WithoutArnTheKeyUsesTheNameAndRegionTheDisplayName) {
  std::string old =
      With(kRootAlert,
           R"("AlarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert",)", "");
  Parsed p = Message(old);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->dedup_key, "alarm:root-alert@2026-03-02T09:45:31.077+0000");
  EXPECT_EQ(p.alert->region, "ap-northeast-2");
  EXPECT_EQ(p.alert->account_id, "111122223333");
  EXPECT_EQ(p.alert->console_url,
            "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2"
            "#alarmsV2:alarm/root-alert");
}

TEST(CloudWatchAlarmTest, OldMessageWithUsNVirginiaDisplayName) {
  // A 2012-era message: no AlarmArn, no actions, no configuration timestamp, no Trigger.
  constexpr std::string_view kOld = R"js({"AlarmName":"alarm-test","AlarmDescription":null,
    "AWSAccountId":"111122223333","NewStateValue":"OK","NewStateReason":"Threshold Crossed",
    "StateChangeTime":"2012-11-05T19:38:56.153+0000","Region":"US - N. Virginia",
    "OldStateValue":"ALARM"})js";
  Parsed p = Message(kOld);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->region, "us-east-1");
  EXPECT_EQ(p.alert->event_time, "2012-11-05T19:38:56Z");
  EXPECT_EQ(p.alert->alarm_description, std::nullopt);
  EXPECT_EQ(p.alert->console_url,
            "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1"
            "#alarmsV2:alarm/alarm-test");
}

TEST(CloudWatchAlarmTest, EuMilanDisplayNameWithoutArn) {
  constexpr std::string_view kMilan = R"js({"AlarmName":"SharedInfra-Alpha-Database",
    "AWSAccountId":"111122223333","NewStateValue":"ALARM","NewStateReason":"x",
    "StateChangeTime":"2024-05-10T07:01:02.003+0000","Region":"EU (Milan)"})js";
  Parsed p = Message(kMilan);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->region, "eu-south-1");
}

TEST(CloudWatchAlarmTest, UnknownDisplayNameWithoutArnLeavesRegionAndUrlNull) {
  constexpr std::string_view kUnknown = R"js({"AlarmName":"a","NewStateValue":"ALARM",
    "StateChangeTime":"2026-03-02T09:45:31.077+0000","Region":"Somewhere (New)"})js";
  Parsed p = Message(kUnknown);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->region, std::nullopt);
  EXPECT_EQ(p.alert->console_url, std::nullopt);
}

TEST(CloudWatchAlarmTest, ArnRegionWinsOverTheDisplayName) {
  std::string msg =
      With(kRootAlert, "arn:aws:cloudwatch:ap-northeast-2:", "arn:aws:cloudwatch:us-east-1:");
  Parsed p = Message(msg);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->region, "us-east-1");
}

TEST(CloudWatchAlarmTest, MalformedArnFallsBackToTheDisplayName) {
  std::string msg =
      With(kRootAlert, "arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert", "nope");
  Parsed p = Message(msg);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->region, "ap-northeast-2");
}

TEST(CloudWatchAlarmTest, ChinaPartitionConsoleUrl) {
  constexpr std::string_view kCn = R"js({"AlarmName":"root-alert","AWSAccountId":"111122223333",
    "NewStateValue":"ALARM","StateChangeTime":"2026-03-02T09:45:31.077+0000",
    "Region":"China (Beijing)","AlarmArn":"arn:aws-cn:cloudwatch:cn-north-1:111122223333:alarm:root-alert"})js";
  Parsed p = Message(kCn);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->region, "cn-north-1");
  EXPECT_EQ(p.alert->console_url,
            "https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1"
            "#alarmsV2:alarm/root-alert");
}

TEST(CloudWatchAlarmTest, GovCloudPartitionConsoleUrl) {
  constexpr std::string_view kGov = R"js({"AlarmName":"root-alert","AWSAccountId":"111122223333",
    "NewStateValue":"ALARM","StateChangeTime":"2026-03-02T09:45:31.077+0000",
    "Region":"AWS GovCloud (US-West)","AlarmArn":"arn:aws-us-gov:cloudwatch:us-gov-west-1:111122223333:alarm:root-alert"})js";
  Parsed p = Message(kGov);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->region, "us-gov-west-1");
  EXPECT_EQ(p.alert->console_url,
            "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1"
            "#alarmsV2:alarm/root-alert");
}

TEST(CloudWatchAlarmTest, KoreanSpaceAndSlashNameIsPercentEncodedInTheUrl) {
  constexpr std::string_view kKorean = R"js({"AlarmName":"루트 계정/사용",
    "AWSAccountId":"111122223333","NewStateValue":"ALARM",
    "StateChangeTime":"2026-03-02T09:45:31.077+0000","Region":"Asia Pacific (Seoul)",
    "AlarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:루트 계정/사용"})js";
  Parsed p = Message(kKorean);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->alarm_name, "루트 계정/사용");
  EXPECT_EQ(p.alert->console_url,
            "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2"
            "#alarmsV2:alarm/%EB%A3%A8%ED%8A%B8%20%EA%B3%84%EC%A0%95%2F%EC%82%AC%EC%9A%A9");
}

TEST(CloudWatchAlarmTest, DescriptionNullStaysNull) {
  std::string msg =
      With(kRootAlert, R"js("Root account usage (CIS 4.3 / Security Hub CloudWatch.1)")js", "null");
  Parsed p = Message(msg);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->alarm_description, std::nullopt);
}

TEST(CloudWatchAlarmTest, EveryStateIsReportedByTheParser) {
  for (const char* state : {"ALARM", "OK", "INSUFFICIENT_DATA"}) {
    std::string msg = With(kRootAlert, R"("NewStateValue":"ALARM")",
                           std::string(R"("NewStateValue":")") + state + "\"");
    Parsed p = Message(msg);
    ASSERT_EQ(p.verdict, Verdict::kAlert) << state << ": " << p.reason;
    EXPECT_EQ(p.alert->state, state);
  }
}

TEST(CloudWatchAlarmTest, UnknownStateIsRejectedNamingThePath) {
  std::string msg = With(kRootAlert, R"("NewStateValue":"ALARM")", R"("NewStateValue":"FIRING")");
  Parsed p = Message(msg, {}, "Records[0].Sns.Message");
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_FALSE(p.alert.has_value());
  EXPECT_THAT(p.reason, HasSubstr("Records[0].Sns.Message.NewStateValue"));
  EXPECT_THAT(p.reason, HasSubstr("FIRING"));
}

TEST(CloudWatchAlarmTest, CompositeAlarmWithoutTrigger) {
  constexpr std::string_view kComposite = R"js({"AlarmName":"root-composite",
    "AlarmDescription":"composite","AWSAccountId":"111122223333","NewStateValue":"ALARM",
    "NewStateReason":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:child transitioned to ALARM at Wednesday 10 November, 2021 02:45:55 UTC",
    "StateChangeTime":"2021-11-10T02:45:55.640+0000","Region":"Asia Pacific (Seoul)",
    "AlarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-composite",
    "OldStateValue":"OK","AlarmRule":"ALARM(\"a\") OR ALARM(\"b\")",
    "TriggeringChildren":[{"Arn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:child",
      "State":{"Value":"ALARM","Timestamp":"2021-11-10T02:45:55.640+0000"}}]})js";
  Parsed p = Message(kComposite);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->alarm_name, "root-composite");
  EXPECT_EQ(p.alert->event_time, "2021-11-10T02:45:55Z");
}

TEST(CloudWatchAlarmTest, ActionsAsStringsAndMetricMathTriggerAreAccepted) {
  constexpr std::string_view kOdd = R"js({"AlarmName":"root-alert","AWSAccountId":"111122223333",
    "NewStateValue":"ALARM","NewStateReason":"x","StateChangeTime":"2026-03-02T09:45:31.077+0000",
    "Region":"Asia Pacific (Seoul)","AlarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert",
    "OKActions":"","AlarmActions":"[arn:aws:sns:ap-northeast-2:111122223333:t]","InsufficientDataActions":"",
    "Trigger":{"Period":60,"EvaluationPeriods":1,"ComparisonOperator":"LessThanLowerOrGreaterThanUpperThreshold",
      "Threshold":null,"TreatMissingData":"- TreatMissingData:                    missing",
      "Metrics":[{"Expression":"m1*1","Id":"e1","Label":"Expression1","ReturnData":true}]}})js";
  Parsed p = Message(kOdd);
  EXPECT_EQ(p.verdict, Verdict::kAlert) << p.reason;
}

TEST(CloudWatchAlarmTest, DrillReasonInAnyCase) {
  for (const char* reason :
       {"root-responder drill 2026-03-02T09:45:31Z", "DRILL", "Drill run 42", "monthly dRiLl"}) {
    std::string msg = With(kRootAlert, "Threshold Crossed: 1 out of", reason);
    Parsed p = Message(msg);
    ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
    EXPECT_TRUE(p.alert->drill) << reason;
  }
}

TEST(CloudWatchAlarmTest, NoDrillWithoutTheWordOrWithoutAReason) {
  Parsed p = Message(kRootAlert);
  ASSERT_EQ(p.verdict, Verdict::kAlert);
  EXPECT_FALSE(p.alert->drill);
  constexpr std::string_view kNoReason = R"({"AlarmName":"a","NewStateValue":"ALARM",
    "StateChangeTime":"2026-03-02T09:45:31.077+0000"})";
  Parsed q = Message(kNoReason);
  ASSERT_EQ(q.verdict, Verdict::kAlert) << q.reason;
  EXPECT_FALSE(q.alert->drill);
  EXPECT_EQ(q.alert->reason, std::nullopt);
}

TEST(CloudWatchAlarmTest, IsDrillReason) {
  EXPECT_TRUE(IsDrillReason("drill"));
  EXPECT_TRUE(IsDrillReason("DRILL"));
  EXPECT_TRUE(IsDrillReason("root-responder drill run 42"));
  EXPECT_TRUE(IsDrillReason("xxDrIlLxx"));
  EXPECT_FALSE(IsDrillReason(""));
  EXPECT_FALSE(IsDrillReason("dril"));
  EXPECT_FALSE(IsDrillReason("d r i l l"));
  EXPECT_FALSE(IsDrillReason("Threshold Crossed: 1 datapoint"));
}

TEST(CloudWatchAlarmTest, AlarmNameOfWrongTypeNamesTheFullPath) {
  std::string msg = With(kRootAlert, R"("AlarmName":"root-alert")", R"("AlarmName":12)");
  Parsed p = Message(msg, {}, "Records[0].Sns.Message");
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_EQ(p.reason, "Records[0].Sns.Message.AlarmName: expected string, got number");
}

TEST(CloudWatchAlarmTest, NewStateValueNullIsMissing) {
  std::string msg = With(kRootAlert, R"("NewStateValue":"ALARM")", R"("NewStateValue":null)");
  Parsed p = Message(msg);
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_EQ(p.reason, "NewStateValue: missing");
}

TEST(CloudWatchAlarmTest, DescriptionOfWrongTypeIsRejected) {
  std::string msg =
      With(kRootAlert, R"js("Root account usage (CIS 4.3 / Security Hub CloudWatch.1)")js", "{}");
  Parsed p = Message(msg);
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_EQ(p.reason, "AlarmDescription: expected string, got object");
}

// README: a rejection reason for a bad field names the path.
TEST(CloudWatchAlarmTest, EmptyAlarmNameRejectionNamesThePath) {
  std::string msg = With(kRootAlert, R"("AlarmName":"root-alert")", R"("AlarmName":"")");
  Parsed p = Message(msg, {}, "Records[0].Sns.Message");
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_THAT(p.reason, HasSubstr("Records[0].Sns.Message.AlarmName"));
}

TEST(CloudWatchAlarmTest, GarbageStateChangeTimeIsRejectedNamingThePath) {
  std::string msg = With(kRootAlert, "2026-03-02T09:45:31.077+0000", "yesterday");
  Parsed p = Message(msg, {}, "Records[0].Sns.Message");
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_THAT(p.reason, HasSubstr("Records[0].Sns.Message.StateChangeTime"));
}

TEST(CloudWatchAlarmTest, StateChangeTimeFormsAreNormalised) {
  for (const char* ts : {"2026-03-02T09:45:31Z", "2026-03-02T09:45:31.077+00:00",
                         "2026-03-02T18:45:31.077+0900", "2026-03-02T04:45:31-0500"}) {
    std::string msg = With(kRootAlert, "2026-03-02T09:45:31.077+0000", ts);
    Parsed p = Message(msg);
    ASSERT_EQ(p.verdict, Verdict::kAlert) << ts << ": " << p.reason;
    EXPECT_EQ(p.alert->event_time, "2026-03-02T09:45:31Z") << ts;
    // The key keeps the time exactly as received.
    EXPECT_EQ(
        p.alert->dedup_key,
        std::string("alarm:arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert@") + ts);
  }
}

TEST(CloudWatchAlarmTest, IsAlarmMessage) {
  EXPECT_TRUE(Recognised(kRootAlert, IsAlarmMessage));
  EXPECT_TRUE(Recognised(R"({"AlarmName":"a","NewStateValue":"OK"})", IsAlarmMessage));
  EXPECT_FALSE(Recognised(R"({"AlarmName":"a"})", IsAlarmMessage));
  EXPECT_FALSE(Recognised(R"js({"NewStateValue":"ALARM","Region":"Asia Pacific (Seoul)"})js",
                          IsAlarmMessage));
  EXPECT_FALSE(Recognised(kActionEvent, IsAlarmMessage));
  EXPECT_FALSE(Recognised(kStateChangeEvent, IsAlarmMessage));
}

// --- EventBridge "CloudWatch Alarm State Change" -----------------------------------------

TEST(CloudWatchAlarmTest, StateChangeEventFields) {
  Parsed p = StateChange(kStateChangeEvent);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  const Alert& a = *p.alert;
  EXPECT_EQ(a.kind, AlertKind::kAlarm);
  EXPECT_EQ(a.alarm_name, "root-alert");
  EXPECT_EQ(a.state, "ALARM");
  EXPECT_EQ(a.previous_state, "OK");
  EXPECT_EQ(a.reason, "Threshold Crossed: 1 datapoint");
  EXPECT_EQ(a.alarm_description, "Root account usage");
  EXPECT_EQ(a.account_id, "111122223333");
  EXPECT_EQ(a.region, "ap-northeast-2");
  EXPECT_EQ(a.event_time, "2026-03-02T09:45:31Z");
  EXPECT_EQ(a.message_id, std::nullopt);
  EXPECT_EQ(a.dedup_key, "eb:2691a2b3-c4d5-46e7-8526-d7e8f9a0b1c2");
  EXPECT_EQ(a.console_url,
            "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2"
            "#alarmsV2:alarm/root-alert");
  EXPECT_FALSE(a.drill);
  ExpectNoEventFields(a);
}

// An EventBridge id names the event on every path, so the same state change delivered
// directly and through SNS has one dedup key (alarm/README.md, dedup_key).
TEST(CloudWatchAlarmTest, StateChangeEventThroughSnsKeepsTheEventBridgeId) {
  Parsed p = StateChange(kStateChangeEvent, EnvelopeFacts{kMessageId});
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->message_id, kMessageId);
  EXPECT_EQ(p.alert->dedup_key, "eb:2691a2b3-c4d5-46e7-8526-d7e8f9a0b1c2");
}

TEST(CloudWatchAlarmTest, StateChangeEventWithoutStateTimestampUsesTime) {
  std::string ev = With(kStateChangeEvent, R"(,"timestamp":"2026-03-02T09:45:31.077+0000")", "");
  Parsed p = StateChange(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->event_time, "2026-03-02T09:45:31Z");
}

// README: a field of the wrong type is rejected, naming the path.
TEST(CloudWatchAlarmTest, StateChangeEventTimeOfWrongTypeIsRejected) {
  std::string ev = With(kStateChangeEvent, R"(,"timestamp":"2026-03-02T09:45:31.077+0000")", "");
  ev = With(ev, R"("time":"2026-03-02T09:45:31Z")", R"("time":1772444731)");
  Parsed p = StateChange(ev);
  EXPECT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_THAT(p.reason, HasSubstr("time: expected string, got number"));
}

TEST(CloudWatchAlarmTest, StateChangeEventRegionFromItsFieldWhenNoResources) {
  std::string ev =
      With(kStateChangeEvent,
           R"(["arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert"])", "[]");
  ev = With(ev, R"("region":"ap-northeast-2")", R"("region":"eu-south-1")");
  Parsed p = StateChange(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->region, "eu-south-1");
}

TEST(CloudWatchAlarmTest, StateChangeEventDrill) {
  std::string ev =
      With(kStateChangeEvent, "Threshold Crossed: 1 datapoint", "root-responder DRILL");
  Parsed p = StateChange(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_TRUE(p.alert->drill);
}

TEST(CloudWatchAlarmTest, StateChangeEventMissingStateValueNamesThePath) {
  std::string ev = With(kStateChangeEvent, R"({"value":"ALARM",)", "{");
  Parsed p = StateChange(ev);
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_EQ(p.reason, "detail.state.value: missing");
}

TEST(CloudWatchAlarmTest, StateChangeEventAlarmNameOfWrongType) {
  std::string ev = With(kStateChangeEvent, R"("alarmName":"root-alert")", R"("alarmName":[])");
  Parsed p = StateChange(ev);
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_EQ(p.reason, "detail.alarmName: expected string, got array");
}

// --- Alarm action invoking Lambda directly --------------------------------------------------

TEST(CloudWatchAlarmTest, ActionEventFields) {
  Parsed p = Action(kActionEvent);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  const Alert& a = *p.alert;
  EXPECT_EQ(a.kind, AlertKind::kAlarm);
  EXPECT_EQ(a.alarm_name, "root-alert");
  EXPECT_EQ(a.state, "ALARM");
  EXPECT_EQ(a.previous_state, "OK");
  EXPECT_EQ(a.reason, "Threshold Crossed");
  EXPECT_EQ(a.alarm_description, "Root account usage");
  EXPECT_EQ(a.account_id, "111122223333");
  EXPECT_EQ(a.region, "ap-northeast-2");
  EXPECT_EQ(a.event_time, "2026-03-19T04:20:00Z");
  EXPECT_EQ(a.message_id, std::nullopt);
  EXPECT_EQ(a.dedup_key,
            "alarm:arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert"
            "@2026-03-19T04:20:00.840+0000");
  EXPECT_EQ(a.console_url,
            "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2"
            "#alarmsV2:alarm/root-alert");
  EXPECT_FALSE(a.drill);
  ExpectNoEventFields(a);
}

TEST(CloudWatchAlarmTest, ActionEventWithoutArnUsesRegionCodeAndName) {
  std::string ev =
      With(kActionEvent,
           R"("alarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert",)", "");
  ev = With(ev, R"("region":"ap-northeast-2")", R"("region":"us-gov-east-1")");
  Parsed p = Action(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->region, "us-gov-east-1");
  EXPECT_EQ(p.alert->dedup_key, "alarm:root-alert@2026-03-19T04:20:00.840+0000");
  EXPECT_EQ(p.alert->console_url,
            "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-east-1"
            "#alarmsV2:alarm/root-alert");
}

TEST(CloudWatchAlarmTest, ActionEventDrill) {
  std::string ev = With(kActionEvent, R"("reason":"Threshold Crossed","reasonData")",
                        R"("reason":"Drill by root-responder","reasonData")");
  Parsed p = Action(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_TRUE(p.alert->drill);
}

TEST(CloudWatchAlarmTest, ActionEventStateOfWrongTypeNamesThePath) {
  std::string ev = With(kActionEvent, R"("state":{"value":"ALARM",)", R"("state":{"value":1,)");
  Parsed p = Action(ev);
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_EQ(p.reason, "alarmData.state.value: expected string, got number");
}

TEST(CloudWatchAlarmTest, IsAlarmActionEvent) {
  EXPECT_TRUE(Recognised(kActionEvent, IsAlarmActionEvent));
  EXPECT_FALSE(Recognised(kRootAlert, IsAlarmActionEvent));
  EXPECT_FALSE(Recognised(kStateChangeEvent, IsAlarmActionEvent));
  EXPECT_FALSE(Recognised(R"({"alarmData":{}})", IsAlarmActionEvent));
}

}  // namespace
}  // namespace rr
