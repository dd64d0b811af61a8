// ParsePayload end to end: every shape in alarm/README.md "Shapes accepted", every verdict and
// reason phrase in "Verdicts and reasons", and dedup_key / console_url per shape. Payloads are
// built from the documented shapes in aws-formats.md §1, §2, §3.2, §4.1 and §5.
#include "alarm/payload.h"

#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rr {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

// --- Documented shapes ----------------------------------------------------------------------

// aws-formats.md §1.6, compact as in the SNS Message.
constexpr std::string_view kAlarm =
    R"js({"AlarmName":"root-alert","AlarmDescription":"Root account usage (CIS 4.3 / Security Hub CloudWatch.1)","AWSAccountId":"111122223333","AlarmConfigurationUpdatedTimestamp":"2026-03-02T08:11:05.402+0000","NewStateValue":"ALARM","NewStateReason":"Threshold Crossed: 1 out of the last 1 datapoints [1.0 (02/03/26 09:40:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).","StateChangeTime":"2026-03-02T09:45:31.077+0000","Region":"Asia Pacific (Seoul)","AlarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert","OldStateValue":"OK","OKActions":[],"AlarmActions":["arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic"],"InsufficientDataActions":[],"Trigger":{"MetricName":"RootAccountUsageCount","Namespace":"CloudTrailMetrics","StatisticType":"Statistic","Statistic":"SUM","Unit":null,"Dimensions":[],"Period":300,"EvaluationPeriods":1,"DatapointsToAlarm":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold","Threshold":1.0,"TreatMissingData":"notBreaching","EvaluateLowSampleCountPercentile":""}})js";

// aws-formats.md §5.1.
constexpr std::string_view kSignIn =
    R"({"version":"0","id":"5f2d8c1a-3b4e-4d6f-9a0b-1c2d3e4f5a6b","detail-type":"AWS Console Sign In via CloudTrail","source":"aws.signin","account":"111122223333","time":"2026-03-02T09:40:12Z","region":"us-east-1","resources":[],"detail":{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":""},"eventTime":"2026-03-02T09:40:12Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true","MobileVersion":"No","MFAIdentifier":"arn:aws:iam::111122223333:mfa/root-account-mfa-device","MFAUsed":"Yes"},"eventID":"0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}})";
constexpr char kSignInId[] = "5f2d8c1a-3b4e-4d6f-9a0b-1c2d3e4f5a6b";

// aws-formats.md §5.2.
constexpr std::string_view kApiCall =
    R"({"version":"0","id":"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","account":"111122223333","time":"2026-03-02T09:42:03Z","region":"us-east-1","resources":[],"detail":{"eventVersion":"1.09","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":"ASIAEXAMPLEEXAMPLE","sessionContext":{"sessionIssuer":{},"webIdFederationData":{},"attributes":{"creationDate":"2026-03-02T09:40:12Z","mfaAuthenticated":"true"}}},"eventTime":"2026-03-02T09:42:03Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"AWS Internal","requestParameters":{},"responseElements":{"accessKey":{"accessKeyId":"AKIAEXAMPLE","status":"Active","userName":"deploy"}},"requestID":"1b2c3d4e-0000-4000-8000-000000000002","eventID":"e1f2a3b4-0000-4000-8000-000000000003","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}})";
constexpr char kApiCallId[] = "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d";

// aws-formats.md §1.7, EventBridge alarm state change.
constexpr std::string_view kAlarmStateChange =
    R"({"version":"0","id":"2691a2b3-c4d5-46e7-8526-d7e8f9a0b1c2","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch","account":"111122223333","time":"2026-03-02T09:45:31Z","region":"ap-northeast-2","resources":["arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert"],"detail":{"alarmName":"root-alert","state":{"value":"ALARM","reason":"Threshold Crossed","timestamp":"2026-03-02T09:45:31.077+0000"},"previousState":{"value":"OK","reason":"Threshold Crossed","timestamp":"2026-03-01T22:15:31.510+0000"},"configuration":{"description":"Root account usage","metrics":[]}}})";

// aws-formats.md §1.7, alarm action invoking Lambda directly.
constexpr std::string_view kAlarmAction =
    R"({"source":"aws.cloudwatch","alarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert","accountId":"111122223333","time":"2026-03-19T04:20:00.840+0000","region":"ap-northeast-2","alarmData":{"alarmName":"root-alert","state":{"value":"ALARM","reason":"Threshold Crossed","timestamp":"2026-03-19T04:20:00.840+0000"},"previousState":{"value":"OK","reason":"Threshold Crossed","timestamp":"2026-03-18T06:16:06.606+0000"},"configuration":{"description":"Root account usage"}}})";

constexpr char kSubject[] = R"js("ALARM: \"root-alert\" in Asia Pacific (Seoul)")js";
constexpr char kMessageId[] = "7c3e5a1b-2d4f-5e6a-8b9c-0d1e2f3a4b5c";

// aws-formats.md §2: one record of the SNS -> Lambda event.
constexpr std::string_view kSnsRecord = R"({"EventSource":"aws:sns","EventVersion":"1.0",
  "EventSubscriptionArn":"arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic:2f5c1d7e-0b1a-4c55-9d2e-6a7b8c9d0e1f",
  "Sns":{"Type":"Notification","MessageId":"@ID@",
    "TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic",
    "Subject":@SUBJECT@,"Message":@MESSAGE@,"Timestamp":"2026-03-02T09:45:31.140Z",
    "SignatureVersion":"1","Signature":"RXhhbXBsZQ==",
    "SigningCertUrl":"https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-0123abcd.pem",
    "UnsubscribeUrl":"https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x",
    "MessageAttributes":{}}})";

// aws-formats.md §3.2: an HTTP (and SQS body) Notification; Subject left out when empty.
constexpr std::string_view kHttpNotification = R"({"Type":"Notification","MessageId":"@ID@",
 "TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic",@SUBJECT_MEMBER@
 "Message":@MESSAGE@,"Timestamp":"2026-03-02T09:45:31.140Z",
 "SignatureVersion":"1","Signature":"c2ln",
 "SigningCertURL":"https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-0123abcd.pem",
 "UnsubscribeURL":"https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x"})";

// aws-formats.md §4.1 / §8: moto's SNS -> SQS body, pretty-printed with sorted keys.
constexpr std::string_view kMotoPrettyEnvelope = R"js({
  "Message": @MESSAGE@,
  "MessageId": "90182a3b-4c5d-4e6f-bc9d-4e5f60718293",
  "Signature": "c2ln",
  "SignatureVersion": "2",
  "SigningCertURL": "https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-9c64.pem",
  "Subject": "ALARM: \"root-alert\" in Asia Pacific (Seoul)",
  "Timestamp": "2026-03-17T02:03:04.112Z",
  "TopicArn": "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic",
  "Type": "Notification",
  "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x"
})js";

// One record of the SQS -> Lambda event.
constexpr std::string_view kSqsRecord = R"({"messageId":"@ID@",
  "receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a","body":@BODY@,
  "attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1772444731140",
    "SenderId":"AIDAIENQZJOLO23YVJ4VO","ApproximateFirstReceiveTimestamp":"1772444731200"},
  "messageAttributes":{},"md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3",
  "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:ap-northeast-2:111122223333:root-alerts",
  "awsRegion":"ap-northeast-2"})";

// aws-formats.md §3.2.
constexpr std::string_view kSubscriptionConfirmation = R"({"Type":"SubscriptionConfirmation",
 "MessageId":"165545c9-2a5c-472c-8df2-7ff2be2b3b1b","Token":"2336412f37fb687f5d51e6e2425",
 "TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic",
 "Message":"You have chosen to subscribe to the topic arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
 "SubscribeURL":"https://sns.ap-northeast-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic&Token=2336412f37fb687f5d51e6e2425",
 "Timestamp":"2026-03-02T09:00:00.000Z","SignatureVersion":"1","Signature":"c2ln",
 "SigningCertURL":"https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-0123abcd.pem"})";

// --- Helpers --------------------------------------------------------------------------------

// `text` as a JSON string literal: how SNS and SQS carry one document inside another.
std::string Quote(std::string_view text) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string Fill(std::string_view tmpl, std::string_view key, std::string_view value) {
  std::string s(tmpl);
  size_t at = s.find(key);
  EXPECT_NE(at, std::string::npos) << key;
  if (at != std::string::npos) s.replace(at, key.size(), value);
  return s;
}

std::string With(std::string_view text, std::string_view from, std::string_view to) {
  return Fill(text, from, to);
}

std::string SnsRecord(std::string_view message, std::string_view id = kMessageId,
                      std::string_view subject_json = kSubject) {
  std::string r = Fill(kSnsRecord, "@ID@", id);
  r = Fill(r, "@SUBJECT@", subject_json);
  return Fill(r, "@MESSAGE@", Quote(message));
}

std::string LambdaEvent(const std::vector<std::string>& records) {
  std::string s = R"({"Records":[)";
  for (size_t i = 0; i < records.size(); ++i) {
    if (i) s += ",";
    s += records[i];
  }
  return s + "]}";
}

std::string LambdaSns(std::string_view message, std::string_view subject_json = kSubject,
                      std::string_view id = kMessageId) {
  return LambdaEvent({SnsRecord(message, id, subject_json)});
}

std::string HttpNotification(std::string_view message, std::string_view id = kMessageId,
                             std::string_view subject_json = "") {
  std::string s = Fill(kHttpNotification, "@ID@", id);
  s = Fill(s, "@SUBJECT_MEMBER@",
           subject_json.empty() ? "" : "\"Subject\":" + std::string(subject_json) + ",");
  return Fill(s, "@MESSAGE@", Quote(message));
}

std::string SqsRecord(std::string_view body, std::string_view id = "sqs-1") {
  return Fill(Fill(kSqsRecord, "@ID@", id), "@BODY@", Quote(body));
}

std::string SqsEvent(std::string_view body) { return LambdaEvent({SqsRecord(body)}); }

// Exactly one result, and it is an alert.
Alert OneAlert(std::string_view payload) {
  std::vector<Parsed> out = ParsePayload(payload);
  EXPECT_THAT(out, SizeIs(1));
  if (out.size() != 1) return {};
  EXPECT_EQ(out[0].verdict, Verdict::kAlert) << out[0].reason;
  EXPECT_EQ(out[0].reason, "");
  EXPECT_TRUE(out[0].alert.has_value());
  return out[0].alert.value_or(Alert{});
}

// Exactly one result, and it has `verdict`; returns it.
Parsed One(std::string_view payload, Verdict verdict, const PayloadLimits& limits = {}) {
  std::vector<Parsed> out = ParsePayload(payload, limits);
  EXPECT_THAT(out, SizeIs(1));
  if (out.size() != 1) return Parsed::Reject("<no single result>");
  EXPECT_EQ(out[0].verdict, verdict) << out[0].reason;
  if (verdict == Verdict::kRejected) {
    EXPECT_FALSE(out[0].alert.has_value());
  }
  return out[0];
}

std::string Rejection(std::string_view payload, const PayloadLimits& limits = {}) {
  return One(payload, Verdict::kRejected, limits).reason;
}

constexpr char kRootAlertUrl[] =
    "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/"
    "root-alert";

// --- Lambda SNS event ------------------------------------------------------------------------

TEST(PayloadTest, LambdaSnsAlarm) {
  Alert a = OneAlert(LambdaSns(kAlarm));
  EXPECT_EQ(a.kind, AlertKind::kAlarm);
  EXPECT_EQ(a.alarm_name, "root-alert");
  EXPECT_EQ(a.state, "ALARM");
  EXPECT_EQ(a.previous_state, "OK");
  EXPECT_EQ(a.account_id, "111122223333");
  EXPECT_EQ(a.region, "ap-northeast-2");
  EXPECT_EQ(a.event_time, "2026-03-02T09:45:31Z");
  EXPECT_EQ(a.message_id, kMessageId);
  EXPECT_EQ(a.dedup_key, std::string("sns:") + kMessageId);
  EXPECT_EQ(a.console_url, kRootAlertUrl);
  EXPECT_FALSE(a.drill);
  EXPECT_EQ(a.event_id, std::nullopt);
  EXPECT_EQ(a.mfa_used, std::nullopt);
}

TEST(PayloadTest, LambdaSnsSubjectNull) {
  Alert a = OneAlert(LambdaSns(kAlarm, "null"));
  EXPECT_EQ(a.alarm_name, "root-alert");
  EXPECT_EQ(a.dedup_key, std::string("sns:") + kMessageId);
}

TEST(PayloadTest, LambdaTestInvokeSubject) {
  Alert a = OneAlert(LambdaSns(kAlarm, R"("TestInvoke")"));
  EXPECT_EQ(a.alarm_name, "root-alert");
}

TEST(PayloadTest, TruncatedSubjectIsNeverTheAlarmName) {
  const std::string name =
      "SharedInfra-Alpha-Database-DatabaseInstanceObservabilityHighDatabaseConnections-root";
  std::string message =
      With(kAlarm, R"("AlarmName":"root-alert")", R"("AlarmName":")" + name + "\"");
  // aws-formats.md §1.5: the Subject cuts the name to 74 characters plus "...".
  std::string subject = Quote("ALARM: \"" + name.substr(0, 74) + "...\" in Asia Pacific (Seoul)");
  Alert a = OneAlert(LambdaSns(message, subject));
  EXPECT_EQ(a.alarm_name, name);
  EXPECT_EQ(a.console_url,
            "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2"
            "#alarmsV2:alarm/" +
                name);
}

TEST(PayloadTest, AlarmNameOnlyInTheSubjectIsNeverUsed) {
  std::string message = With(kAlarm, R"("AlarmName":"root-alert",)", "");
  Parsed p = One(LambdaSns(message), Verdict::kRejected);
  EXPECT_FALSE(p.alert.has_value());
  EXPECT_THAT(p.reason, HasSubstr("Records[0].Sns.Message"));
}

TEST(PayloadTest, AlarmNameNullIsMissingEvenWithASubject) {
  std::string message = With(kAlarm, R"("AlarmName":"root-alert")", R"("AlarmName":null)");
  EXPECT_EQ(Rejection(LambdaSns(message)), "Records[0].Sns.Message.AlarmName: missing");
}

TEST(PayloadTest, LambdaEventWithTwoRecords) {
  std::string second_alarm = With(kAlarm, R"("AlarmName":"root-alert")", R"("AlarmName":"other")");
  std::vector<Parsed> out =
      ParsePayload(LambdaEvent({SnsRecord(kAlarm, "id-one"), SnsRecord(second_alarm, "id-two")}));
  ASSERT_THAT(out, SizeIs(2));
  ASSERT_EQ(out[0].verdict, Verdict::kAlert) << out[0].reason;
  ASSERT_EQ(out[1].verdict, Verdict::kAlert) << out[1].reason;
  EXPECT_EQ(out[0].alert->alarm_name, "root-alert");
  EXPECT_EQ(out[0].alert->dedup_key, "sns:id-one");
  EXPECT_EQ(out[1].alert->alarm_name, "other");
  EXPECT_EQ(out[1].alert->dedup_key, "sns:id-two");
}

TEST(PayloadTest, OneBadRecordDoesNotSpoilTheOther) {
  std::vector<Parsed> out =
      ParsePayload(LambdaEvent({SnsRecord(kAlarm, "id-one"), SnsRecord("not json", "id-two")}));
  ASSERT_THAT(out, SizeIs(2));
  EXPECT_EQ(out[0].verdict, Verdict::kAlert) << out[0].reason;
  EXPECT_EQ(out[1].verdict, Verdict::kRejected);
  EXPECT_THAT(out[1].reason, StartsWith("Records[1].Sns.Message: SNS Message is not valid JSON"));
}

TEST(PayloadTest, MessageOfWrongTypeNamesThePath) {
  std::string event =
      Fill(Fill(Fill(kSnsRecord, "@ID@", kMessageId), "@SUBJECT@", "null"), "@MESSAGE@", "42");
  EXPECT_EQ(Rejection(LambdaEvent({event})), "Records[0].Sns.Message: expected string, got number");
}

TEST(PayloadTest, MessageThatIsNotJsonGivesTheOffset) {
  std::string reason = Rejection(LambdaSns(R"({"AlarmName":"root-alert",})"));
  EXPECT_THAT(reason, StartsWith("Records[0].Sns.Message: SNS Message is not valid JSON: "));
  EXPECT_THAT(reason, ContainsRegex("\\(at byte [0-9]+\\)"));
}

TEST(PayloadTest, EmptyMessageIsNotValidJson) {
  std::string reason = Rejection(LambdaSns(""));
  EXPECT_THAT(reason, HasSubstr("Records[0].Sns.Message"));
  EXPECT_THAT(reason, HasSubstr("not valid JSON"));
  EXPECT_THAT(reason, HasSubstr("(at byte 0)"));
}

TEST(PayloadTest, MessageThatIsAnArrayIsRejected) {
  std::string reason = Rejection(LambdaSns("[1]"));
  EXPECT_THAT(reason, StartsWith("Records[0].Sns.Message: "));
  EXPECT_THAT(reason, HasSubstr("unrecognised payload"));
  EXPECT_THAT(reason, HasSubstr("expected a JSON object, got array"));
}

TEST(PayloadTest, NotificationWithoutMessage) {
  std::string http = With(HttpNotification(kAlarm), R"("Message":)", R"("NoMessage":)");
  EXPECT_EQ(Rejection(http), "Message: missing");
}

TEST(PayloadTest, UnknownSnsTypeIsRejectedNamingType) {
  std::string http =
      With(HttpNotification(kAlarm), R"("Type":"Notification")", R"("Type":"Announcement")");
  std::string reason = Rejection(http);
  EXPECT_THAT(reason, StartsWith("Type:"));
  EXPECT_THAT(reason, HasSubstr("Announcement"));
}

TEST(PayloadTest, SnsEnvelopeFieldOfWrongTypeNamesThePath) {
  std::string event =
      With(LambdaSns(kAlarm), R"("MessageId":"7c3e5a1b-2d4f-5e6a-8b9c-0d1e2f3a4b5c")",
           R"("MessageId":7)");
  EXPECT_EQ(Rejection(event), "Records[0].Sns.MessageId: expected string, got number");
}

TEST(PayloadTest, SnsThatIsNotAnObject) {
  EXPECT_EQ(Rejection(R"({"Records":[{"EventSource":"aws:sns","Sns":"hello"}]})"),
            "Records[0].Sns: expected object, got string");
}

// --- SNS over HTTP ---------------------------------------------------------------------------

TEST(PayloadTest, HttpNotificationWithoutSubject) {
  std::string body = HttpNotification(kAlarm, "http-id-1");
  ASSERT_EQ(body.find("\"Subject\""), std::string::npos);
  Alert a = OneAlert(body);
  EXPECT_EQ(a.alarm_name, "root-alert");
  EXPECT_EQ(a.message_id, "http-id-1");
  EXPECT_EQ(a.dedup_key, "sns:http-id-1");
  EXPECT_EQ(a.console_url, kRootAlertUrl);
}

TEST(PayloadTest, HttpNotificationWithSubjectAndAttributes) {
  std::string body =
      With(HttpNotification(kAlarm, "http-id-2", kSubject), R"("SignatureVersion")",
           R"("MessageAttributes":{"k":{"Type":"String","Value":"v"}},"SignatureVersion")");
  Alert a = OneAlert(body);
  EXPECT_EQ(a.dedup_key, "sns:http-id-2");
}

TEST(PayloadTest, SubscriptionConfirmationIsIgnored) {
  Parsed p = One(kSubscriptionConfirmation, Verdict::kIgnored);
  EXPECT_THAT(p.reason, HasSubstr("SubscriptionConfirmation"));
  EXPECT_FALSE(p.alert.has_value());
}

TEST(PayloadTest, UnsubscribeConfirmationIsIgnored) {
  std::string body = With(kSubscriptionConfirmation, R"("Type":"SubscriptionConfirmation")",
                          R"("Type":"UnsubscribeConfirmation")");
  Parsed p = One(body, Verdict::kIgnored);
  EXPECT_THAT(p.reason, HasSubstr("UnsubscribeConfirmation"));
}

// --- SQS ---------------------------------------------------------------------------------------

TEST(PayloadTest, SqsToLambdaWithCompactSnsEnvelope) {
  Alert a = OneAlert(SqsEvent(HttpNotification(kAlarm, "inner-sns-id", kSubject)));
  EXPECT_EQ(a.alarm_name, "root-alert");
  EXPECT_EQ(a.message_id, "inner-sns-id");
  EXPECT_EQ(a.dedup_key, "sns:inner-sns-id");  // the SNS MessageId, not the SQS messageId
  EXPECT_EQ(a.console_url, kRootAlertUrl);
}

TEST(PayloadTest, SqsToLambdaWithMotoPrettyPrintedEnvelope) {
  std::string body = Fill(kMotoPrettyEnvelope, "@MESSAGE@", Quote(kAlarm));
  ASSERT_NE(body.find("\n  \"MessageId\": "), std::string::npos);
  Alert a = OneAlert(SqsEvent(body));
  EXPECT_EQ(a.alarm_name, "root-alert");
  EXPECT_EQ(a.dedup_key, "sns:90182a3b-4c5d-4e6f-bc9d-4e5f60718293");
}

TEST(PayloadTest, SqsPrettyPrintedEnvelopeDirectly) {
  // The daemon reading SQS itself hands over just the body.
  Alert a = OneAlert(Fill(kMotoPrettyEnvelope, "@MESSAGE@", Quote(kAlarm)));
  EXPECT_EQ(a.dedup_key, "sns:90182a3b-4c5d-4e6f-bc9d-4e5f60718293");
}

TEST(PayloadTest, SqsRawDeliveryOfTheAlarm) {
  Alert a = OneAlert(SqsEvent(kAlarm));
  EXPECT_EQ(a.message_id, std::nullopt);
  EXPECT_EQ(a.dedup_key,
            "alarm:arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert"
            "@2026-03-02T09:45:31.077+0000");
}

TEST(PayloadTest, SqsBodyOfWrongType) {
  std::string record = Fill(Fill(kSqsRecord, "@ID@", "m"), "@BODY@", R"({"AlarmName":"x"})");
  EXPECT_EQ(Rejection(LambdaEvent({record})), "Records[0].body: expected string, got object");
}

TEST(PayloadTest, SqsBodyThatIsNotJson) {
  std::string reason = Rejection(SqsEvent("hello"));
  EXPECT_THAT(reason, StartsWith("Records[0].body: SQS message body is not valid JSON"));
  EXPECT_THAT(reason, HasSubstr("at byte"));
}

TEST(PayloadTest, TwoSqsRecords) {
  std::vector<Parsed> out =
      ParsePayload(LambdaEvent({SqsRecord(HttpNotification(kAlarm, "a-1"), "q1"),
                                SqsRecord(HttpNotification(kSignIn, "a-2"), "q2")}));
  ASSERT_THAT(out, SizeIs(2));
  ASSERT_EQ(out[0].verdict, Verdict::kAlert) << out[0].reason;
  ASSERT_EQ(out[1].verdict, Verdict::kAlert) << out[1].reason;
  EXPECT_EQ(out[0].alert->dedup_key, "sns:a-1");
  EXPECT_EQ(out[1].alert->kind, AlertKind::kConsoleLogin);
  EXPECT_EQ(out[1].alert->dedup_key, std::string("eb:") + kSignInId);
}

// --- Records -----------------------------------------------------------------------------------

TEST(PayloadTest, EmptyRecordsIsRejected) {
  EXPECT_THAT(Rejection(R"({"Records":[]})"), StartsWith("Records: empty"));
}

TEST(PayloadTest, RecordsOfWrongType) {
  EXPECT_EQ(Rejection(R"({"Records":{"Sns":{}}})"), "Records: expected array, got object");
}

TEST(PayloadTest, RecordThatIsNotAnObject) {
  EXPECT_EQ(Rejection(R"({"Records":["x"]})"), "Records[0]: expected object, got string");
}

TEST(PayloadTest, RecordThatIsNeitherSnsNorSqs) {
  std::string reason = Rejection(R"({"Records":[{"eventSource":"aws:s3","s3":{}}]})");
  EXPECT_THAT(reason, StartsWith("Records[0]: unrecognised record"));
}

TEST(PayloadTest, RecordCountLimit) {
  PayloadLimits limits;
  limits.max_records = 2;
  std::vector<Parsed> two =
      ParsePayload(LambdaEvent({SnsRecord(kAlarm, "1"), SnsRecord(kAlarm, "2")}), limits);
  EXPECT_THAT(two, SizeIs(2));
  std::string reason = Rejection(
      LambdaEvent({SnsRecord(kAlarm, "1"), SnsRecord(kAlarm, "2"), SnsRecord(kAlarm, "3")}),
      limits);
  EXPECT_EQ(reason, "Records: 3 records, more than the limit of 2");
}

TEST(PayloadTest, DefaultRecordLimitIsOneHundred) {
  std::vector<std::string> records(100, "{}");
  EXPECT_THAT(ParsePayload(LambdaEvent(records)), SizeIs(100));
  records.push_back("{}");
  EXPECT_EQ(Rejection(LambdaEvent(records)), "Records: 101 records, more than the limit of 100");
}

// --- Nested wrappers are refused ---------------------------------------------------------------

// An SNS Message never holds another SNS envelope. The reason must say so, not claim the
// document is "neither ... an SNS envelope".
TEST(PayloadTest, SnsEnvelopeInsideSnsMessageIsRejectedClearly) {
  std::string inner = HttpNotification(kAlarm, "inner-id");
  std::string reason = Rejection(LambdaSns(inner));
  EXPECT_THAT(reason, HasSubstr("Records[0].Sns.Message"));
  EXPECT_THAT(reason, HasSubstr("SNS envelope"));
  EXPECT_THAT(reason, Not(HasSubstr("neither")))
      << "the reason denies that the nested document is an SNS envelope";
}

TEST(PayloadTest, SnsEnvelopeInsideHttpSnsMessageIsRejected) {
  std::string reason = Rejection(HttpNotification(HttpNotification(kAlarm, "inner")));
  EXPECT_THAT(reason, StartsWith("Message: "));
}

TEST(PayloadTest, SnsEnvelopeInsideSnsEnvelopeInsideSqsBodyIsRejected) {
  std::string reason = Rejection(SqsEvent(HttpNotification(HttpNotification(kAlarm, "x"), "y")));
  EXPECT_THAT(reason, StartsWith("Records[0].body.Message: "));
}

TEST(PayloadTest, SqsBodyHoldingRecordsIsRejected) {
  std::string reason = Rejection(SqsEvent(LambdaSns(kAlarm)));
  EXPECT_THAT(reason, StartsWith("Records[0].body: "));
  EXPECT_THAT(reason, HasSubstr("Records"));
}

TEST(PayloadTest, SnsMessageHoldingRecordsIsRejected) {
  std::string reason = Rejection(LambdaSns(SqsEvent(kAlarm)));
  EXPECT_THAT(reason, StartsWith("Records[0].Sns.Message: "));
  EXPECT_THAT(reason, HasSubstr("Records"));
}

// --- EventBridge -------------------------------------------------------------------------------

TEST(PayloadTest, EventBridgeRootSignInDirect) {
  Alert a = OneAlert(kSignIn);
  EXPECT_EQ(a.kind, AlertKind::kConsoleLogin);
  EXPECT_EQ(a.message_id, std::nullopt);
  EXPECT_EQ(a.dedup_key, std::string("eb:") + kSignInId);
  EXPECT_EQ(a.console_url,
            "https://console.aws.amazon.com/cloudtrail/home?region=us-east-1"
            "#/events/0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5");
  EXPECT_EQ(a.mfa_used, true);
  EXPECT_EQ(a.login_result, "Success");
}

TEST(PayloadTest, EventBridgeThroughSnsAndSqsGivesTheSameKey) {
  Alert direct = OneAlert(kSignIn);
  Alert via_sns = OneAlert(LambdaSns(kSignIn, "null", "sns-id-for-eb"));
  Alert via_http = OneAlert(HttpNotification(kSignIn, "http-id-for-eb"));
  Alert via_sqs = OneAlert(SqsEvent(HttpNotification(kSignIn, "sqs-sns-id")));
  Alert sqs_target = OneAlert(SqsEvent(kSignIn));
  EXPECT_EQ(via_sns.message_id, "sns-id-for-eb");
  EXPECT_EQ(via_sqs.message_id, "sqs-sns-id");
  for (const Alert* a : {&direct, &via_sns, &via_http, &via_sqs, &sqs_target}) {
    EXPECT_EQ(a->dedup_key, std::string("eb:") + kSignInId);
    EXPECT_EQ(a->kind, AlertKind::kConsoleLogin);
  }
}

TEST(PayloadTest, EventBridgeRootApiCallThroughSqs) {
  Alert a = OneAlert(SqsEvent(HttpNotification(kApiCall, "sns-api")));
  EXPECT_EQ(a.kind, AlertKind::kApiCall);
  EXPECT_EQ(a.event_name, "CreateAccessKey");
  EXPECT_EQ(a.mfa_used, true);
  EXPECT_EQ(a.dedup_key, std::string("eb:") + kApiCallId);
}

TEST(PayloadTest, NonRootSignInIsIgnored) {
  std::string ev = With(kSignIn, R"("type":"Root")", R"("type":"IAMUser")");
  Parsed p = One(LambdaSns(ev, "null"), Verdict::kIgnored);
  EXPECT_THAT(p.reason, HasSubstr("not root usage"));
}

TEST(PayloadTest, InvokedByIsIgnored) {
  std::string ev =
      With(kApiCall, R"("accessKeyId":"ASIAEXAMPLEEXAMPLE",)",
           R"("accessKeyId":"ASIAEXAMPLEEXAMPLE","invokedBy":"cloudformation.amazonaws.com",)");
  Parsed p = One(ev, Verdict::kIgnored);
  EXPECT_THAT(p.reason, HasSubstr("invokedBy"));
}

TEST(PayloadTest, AwsServiceEventIsIgnored) {
  std::string ev =
      With(kApiCall, R"("eventType":"AwsApiCall")", R"("eventType":"AwsServiceEvent")");
  Parsed p = One(ev, Verdict::kIgnored);
  EXPECT_THAT(p.reason, HasSubstr("AwsServiceEvent"));
}

TEST(PayloadTest, AssumedRootApiCallIsAnAlert) {
  std::string ev = With(kApiCall, R"("type":"Root")", R"("type":"AssumedRole")");
  ev = With(ev, R"("sessionContext":{)", R"("sessionContext":{"assumedRoot":"true",)");
  Alert a = OneAlert(ev);
  EXPECT_EQ(a.principal_type, "AssumedRole");
}

TEST(PayloadTest, EventBridgeAlarmStateChangeDirect) {
  Alert a = OneAlert(kAlarmStateChange);
  EXPECT_EQ(a.kind, AlertKind::kAlarm);
  EXPECT_EQ(a.alarm_name, "root-alert");
  EXPECT_EQ(a.dedup_key, "eb:2691a2b3-c4d5-46e7-8526-d7e8f9a0b1c2");
  EXPECT_EQ(a.console_url, kRootAlertUrl);
  EXPECT_EQ(a.event_time, "2026-03-02T09:45:31Z");
}

// One event, one key, whichever path it took (alarm/README.md, dedup_key).
TEST(PayloadTest, EventBridgeAlarmStateChangeThroughSnsKeepsTheEventBridgeKey) {
  Alert a = OneAlert(LambdaSns(kAlarmStateChange, "null", "sns-for-alarm-event"));
  EXPECT_EQ(a.message_id, "sns-for-alarm-event");
  EXPECT_EQ(a.dedup_key, "eb:2691a2b3-c4d5-46e7-8526-d7e8f9a0b1c2");
}

TEST(PayloadTest, UnknownEventBridgeDetailTypeIsRejected) {
  std::string ev =
      With(kApiCall, "AWS API Call via CloudTrail", "EC2 Instance State-change Notification");
  std::string reason = Rejection(ev);
  EXPECT_THAT(reason, HasSubstr("unrecognised"));
  EXPECT_THAT(reason, HasSubstr("EC2 Instance State-change Notification"));
}

TEST(PayloadTest, DetailTypeOfWrongType) {
  EXPECT_EQ(Rejection(R"({"detail-type":1,"source":"aws.iam","detail":{}})"),
            "detail-type: expected string, got number");
}

// --- Direct alarm shapes -----------------------------------------------------------------------

TEST(PayloadTest, AlarmActionInvokingLambdaDirectly) {
  Alert a = OneAlert(kAlarmAction);
  EXPECT_EQ(a.kind, AlertKind::kAlarm);
  EXPECT_EQ(a.region, "ap-northeast-2");
  EXPECT_EQ(a.dedup_key,
            "alarm:arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert"
            "@2026-03-19T04:20:00.840+0000");
  EXPECT_EQ(a.console_url, kRootAlertUrl);
}

TEST(PayloadTest, RawAlarmMessageFromAFile) {
  Alert a = OneAlert(kAlarm);
  EXPECT_EQ(a.message_id, std::nullopt);
  EXPECT_EQ(a.dedup_key,
            "alarm:arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert"
            "@2026-03-02T09:45:31.077+0000");
}

TEST(PayloadTest, OldRawAlarmWithoutArnKeysOnTheName) {
  std::string old =
      With(kAlarm,
           R"("AlarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert",)", "");
  old = With(old, R"js("Region":"Asia Pacific (Seoul)")js", R"("Region":"US - N. Virginia")");
  Alert a = OneAlert(old);
  EXPECT_EQ(a.dedup_key, "alarm:root-alert@2026-03-02T09:45:31.077+0000");
  EXPECT_EQ(a.region, "us-east-1");
  EXPECT_EQ(a.console_url,
            "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1"
            "#alarmsV2:alarm/root-alert");
}

TEST(PayloadTest, EveryAlarmStateIsReportedByTheParser) {
  for (const char* state : {"OK", "INSUFFICIENT_DATA"}) {
    std::string msg = With(kAlarm, R"("NewStateValue":"ALARM")",
                           std::string(R"("NewStateValue":")") + state + "\"");
    Alert a = OneAlert(LambdaSns(msg));
    EXPECT_EQ(a.state, state);
  }
}

TEST(PayloadTest, DrillThroughSns) {
  std::string msg = With(kAlarm, "Threshold Crossed: 1 out of the last 1 datapoints",
                         "Root-Responder DRILL 2026-03-02T09:45:00Z");
  Alert a = OneAlert(LambdaSns(msg));
  EXPECT_TRUE(a.drill);
}

TEST(PayloadTest, KoreanAlarmNameThroughSns) {
  std::string msg = With(kAlarm, R"("AlarmName":"root-alert")", R"("AlarmName":"루트 계정/사용")");
  Alert a = OneAlert(LambdaSns(msg));
  EXPECT_EQ(a.alarm_name, "루트 계정/사용");
  EXPECT_EQ(a.console_url,
            "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2"
            "#alarmsV2:alarm/%EB%A3%A8%ED%8A%B8%20%EA%B3%84%EC%A0%95%2F%EC%82%AC%EC%9A%A9");
}

TEST(PayloadTest, ChinaAndGovCloudAlarmsThroughSns) {
  std::string cn =
      With(kAlarm, "arn:aws:cloudwatch:ap-northeast-2:", "arn:aws-cn:cloudwatch:cn-northwest-1:");
  EXPECT_EQ(OneAlert(LambdaSns(cn)).console_url,
            "https://console.amazonaws.cn/cloudwatch/home?region=cn-northwest-1"
            "#alarmsV2:alarm/root-alert");
  std::string gov = With(
      kAlarm, "arn:aws:cloudwatch:ap-northeast-2:", "arn:aws-us-gov:cloudwatch:us-gov-east-1:");
  EXPECT_EQ(OneAlert(LambdaSns(gov)).console_url,
            "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-east-1"
            "#alarmsV2:alarm/root-alert");
}

// --- Top-level rejections ------------------------------------------------------------------

TEST(PayloadTest, EmptyInput) {
  std::string reason = Rejection("");
  EXPECT_THAT(reason, StartsWith("payload is not valid JSON"));
  EXPECT_THAT(reason, HasSubstr("(at byte 0)"));
}

TEST(PayloadTest, NotJsonAtAll) {
  std::string reason = Rejection("ALARM: root-alert");
  EXPECT_THAT(reason, StartsWith("payload is not valid JSON"));
  EXPECT_THAT(reason, HasSubstr("at byte"));
}

TEST(PayloadTest, TrailingGarbage) {
  std::string reason = Rejection(std::string(kAlarm) + "garbage");
  EXPECT_THAT(reason, StartsWith("payload is not valid JSON"));
  EXPECT_THAT(reason, HasSubstr("(at byte " + std::to_string(kAlarm.size()) + ")"));
}

TEST(PayloadTest, TopLevelArray) {
  std::string reason = Rejection("[]");
  EXPECT_THAT(reason, HasSubstr("unrecognised payload"));
  EXPECT_THAT(reason, HasSubstr("expected a JSON object, got array"));
  EXPECT_THAT(Rejection(R"("just a string")"), HasSubstr("got string"));
  EXPECT_THAT(Rejection("null"), HasSubstr("got null"));
  EXPECT_THAT(Rejection("42"), HasSubstr("got number"));
}

TEST(PayloadTest, UnrecognisedPayloadNamesSomeKeys) {
  std::string reason = Rejection(R"({"hello":"world","AlarmName":"no state"})");
  EXPECT_THAT(reason, HasSubstr("unrecognised payload"));
  EXPECT_THAT(reason, HasSubstr("hello"));
  EXPECT_THAT(reason, HasSubstr("AlarmName"));
}

TEST(PayloadTest, UnrecognisedPayloadWithNoKeys) {
  EXPECT_THAT(Rejection("{}"), HasSubstr("unrecognised payload"));
}

TEST(PayloadTest, UnrecognisedKeysAreShownWithoutControlCharacters) {
  std::string reason = Rejection(R"({"bad\nkey\u001b[31m":1})");
  EXPECT_THAT(reason, HasSubstr("unrecognised payload"));
  EXPECT_EQ(reason.find('\n'), std::string::npos);
  EXPECT_EQ(reason.find('\x1b'), std::string::npos);
}

// Reasons go to one-line log records (DESIGN.md: one event per glog line) and echo values
// from the payload; a value must not be able to start a new log line or inject terminal codes.
TEST(PayloadTest, ReasonsCarryNoControlCharacters) {
  auto has_control = [](const std::string& text) {
    for (unsigned char c : text) {
      if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
  };
  const std::string payloads[] = {
      With(HttpNotification(kAlarm), R"("Type":"Notification")",
           R"("Type":"Notice\nINFO forged line")"),
      With(kAlarm, R"("NewStateValue":"ALARM")", R"("NewStateValue":"ALARM\r\nINFO forged")"),
      With(kApiCall, "AWS API Call via CloudTrail", R"(Other\nINFO forged)"),
      With(kApiCall, R"("type":"Root")", R"("type":"IAMUser\nINFO forged")"),
      With(kApiCall, R"("accessKeyId":"ASIAEXAMPLEEXAMPLE",)",
           R"("accessKeyId":"ASIAEXAMPLEEXAMPLE","invokedBy":"svc\u001b[2J",)"),
  };
  for (const std::string& payload : payloads) {
    std::vector<Parsed> out = ParsePayload(payload);
    ASSERT_THAT(out, SizeIs(1));
    EXPECT_NE(out[0].verdict, Verdict::kAlert);
    EXPECT_FALSE(has_control(out[0].reason)) << ::testing::PrintToString(out[0].reason);
  }
}

TEST(PayloadTest, OversizePayload) {
  PayloadLimits limits;
  limits.json.max_bytes = 1000;
  std::string reason = Rejection(std::string(kAlarm) + std::string(1000, ' '), limits);
  EXPECT_THAT(reason, HasSubstr("more than the limit of 1000"));
  EXPECT_THAT(reason, StartsWith("payload is "));
}

TEST(PayloadTest, DeepPayload) {
  std::string deep = R"({"a":)" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_EQ(Rejection(deep), "payload nests deeper than 32 levels");
}

TEST(PayloadTest, DeepMessageInsideTheEnvelopeNamesThePath) {
  std::string deep = R"({"AlarmName":"x","NewStateValue":"ALARM","Trigger":)" +
                     std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_EQ(Rejection(LambdaSns(deep)),
            "Records[0].Sns.Message: SNS Message nests deeper than 32 levels");
}

TEST(PayloadTest, InvalidUtf8IsRejected) {
  std::string event = LambdaSns(kAlarm);
  event = With(event, "root-alert-topic", "root-\xC3-topic");
  std::string reason = Rejection(event);
  EXPECT_THAT(reason, StartsWith("payload is not valid JSON"));
}

TEST(PayloadTest, TruncatedDelivery) {
  std::string event = LambdaSns(kAlarm);
  std::string reason = Rejection(event.substr(0, event.size() / 2));
  EXPECT_THAT(reason, StartsWith("payload is not valid JSON"));
  EXPECT_THAT(reason, HasSubstr("at byte"));
}

}  // namespace
}  // namespace rr
