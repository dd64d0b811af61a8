// CloudWatchApi against moto_server (real SigV4 requests over loopback) and against
// FakeCloudWatch for what moto does not do: alarm history, Action items, pagination, actions
// that fire on SetAlarmState.
#include "responder/cloudwatch_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "alarm/field_reader.h"
#include "alarm/json.h"
#include "alarm/sns_envelope.h"
#include "alarm/sns_verifier.h"
#include "responder/aws_json_call.h"
#include "tests/fakes/fake_cloudwatch.h"
#include "tests/fakes/fake_providers.h"
#include "tests/fakes/moto_server.h"
#include "tests/support/map_env.h"
#include "tests/support/moto_suite.h"
#include "tests/support/sns_signer.h"

namespace rr {
namespace {

using std::chrono::system_clock;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kRegion[] = "ap-northeast-2";
constexpr char kSecret[] = "cwApiSecret/planted+00000000000000000001";
constexpr char kToken[] = "cwApiSessionTokenPlanted000000000001";
constexpr char kTopic[] = "arn:aws:sns:ap-northeast-2:123456789012:root-alert-topic";

AwsCredentials PlantedCredentials() {
  AwsCredentials c;
  c.access_key_id = "AKIACWAPITEST0000001";
  c.secret_access_key = kSecret;
  c.session_token = kToken;
  c.source = "test";
  return c;
}

GetEnv Env(std::map<std::string, std::string> vars) { return testing::MapEnv(std::move(vars)); }

void ExpectNoSecrets(const Status& status) {
  EXPECT_THAT(status.message(), Not(HasSubstr(kSecret)));
  EXPECT_THAT(status.message(), Not(HasSubstr(kToken)));
}

// ---- moto_server ------------------------------------------------------------------------------

class CloudWatchApiMotoTest : public testing::MotoSuiteTest {
 protected:
  void SetUp() override {
    MotoSuiteTest::SetUp();
    if (HasFatalFailure()) return;
    Result<AwsEndpoint> e =
        ResolveAwsEndpoint(kCloudWatchService, kRegion, Env(moto_->Environment(kRegion)));
    ASSERT_TRUE(e.ok()) << e.status().message();
    endpoint_ = *e;
    api_ = std::make_unique<CloudWatchApi>(client_, credentials_, endpoint_);
  }

  // PutMetricAlarm as the CIS root-usage alarm is made (reference 5.4), over JSON 1.0.
  void PutRootUsageAlarm(const std::string& name) {
    const std::string body = R"({"AlarmName":")" + name +
                             R"(","MetricName":"RootAccountUsageCount",)"
                             R"("Namespace":"CloudTrailMetrics","Statistic":"Sum","Period":300,)"
                             R"("EvaluationPeriods":1,"Threshold":1,)"
                             R"("ComparisonOperator":"GreaterThanOrEqualToThreshold",)"
                             R"("ActionsEnabled":true,"AlarmActions":[")" +
                             kTopic + R"("]})";
    AwsJsonCallOptions options;
    options.extra_headers = {{"x-amzn-query-mode", "true"}};
    AwsJsonReply r = AwsJsonCall(client_, credentials_, endpoint_,
                                 "GraniteServiceVersion20100801.PutMetricAlarm", body, options);
    ASSERT_TRUE(r.ok()) << r.status.message();
  }

  HttpClient client_;
  StaticAwsCredentials credentials_{PlantedCredentials()};
  AwsEndpoint endpoint_;
  std::unique_ptr<CloudWatchApi> api_;
};

TEST_F(CloudWatchApiMotoTest, DescribeAlarmFindsTheMetricAlarmAndItsAction) {
  PutRootUsageAlarm("root-alert");
  PutRootUsageAlarm("root-alert-2");  // a longer name must not match
  Result<std::optional<AlarmInfo>> r = api_->DescribeAlarm("root-alert");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(r->has_value());
  const AlarmInfo& a = **r;
  EXPECT_EQ(a.name, "root-alert");
  EXPECT_EQ(a.arn, "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:root-alert");
  EXPECT_FALSE(a.composite);
  EXPECT_TRUE(a.actions_enabled);
  EXPECT_THAT(a.alarm_actions, ElementsAre(kTopic));
  EXPECT_TRUE(a.ok_actions.empty());
  EXPECT_EQ(a.namespace_, "CloudTrailMetrics");
  EXPECT_EQ(a.metric_name, "RootAccountUsageCount");
  EXPECT_EQ(a.state_value, "OK");  // moto starts alarms in OK (reference 8)
  ASSERT_TRUE(a.state_updated.has_value());
  EXPECT_LT(std::chrono::abs(system_clock::now() - *a.state_updated), std::chrono::minutes(5));
}

TEST_F(CloudWatchApiMotoTest, UnknownAlarmIsNullopt) {
  PutRootUsageAlarm("root-alert");
  Result<std::optional<AlarmInfo>> r = api_->DescribeAlarm("no-such-alarm");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->has_value());
}

TEST_F(CloudWatchApiMotoTest, SetAlarmStateOkThenAlarmIsVisible) {
  PutRootUsageAlarm("root-alert");
  ASSERT_TRUE(api_->SetAlarmState("root-alert", "OK", "drill rrd-1 reset").ok());
  Status alarm = api_->SetAlarmState("root-alert", "ALARM", "drill rrd-1: root-responder test",
                                     R"({"drill":"rrd-1"})");
  ASSERT_TRUE(alarm.ok()) << alarm.message();
  Result<std::optional<AlarmInfo>> r = api_->DescribeAlarm("root-alert");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->state_value, "ALARM");
  EXPECT_EQ((*r)->state_reason, "drill rrd-1: root-responder test");
}

TEST_F(CloudWatchApiMotoTest, SetAlarmStateOnAMissingAlarmIsNotFound) {
  Status s = api_->SetAlarmState("no-such-alarm", "ALARM", "drill");
  EXPECT_EQ(s.code(), Status::Code::kNotFound) << s.message();
  EXPECT_THAT(s.message(), HasSubstr("alarm \"no-such-alarm\" does not exist"));
  EXPECT_THAT(s.message(), HasSubstr("ResourceNotFound"));
  ExpectNoSecrets(s);
}

TEST_F(CloudWatchApiMotoTest, HistoryIsNotSupportedAndAnswersQuickly) {
  PutRootUsageAlarm("root-alert");
  const auto started = std::chrono::steady_clock::now();
  Result<std::vector<AlarmHistoryItem>> r =
      api_->DescribeAlarmHistory("root-alert", system_clock::now() - std::chrono::hours(1));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable);
  EXPECT_THAT(r.status().message(), StartsWith("not supported by this endpoint"));
  EXPECT_THAT(r.status().message(), HasSubstr("HTTP 500"));
  EXPECT_TRUE(IsHistoryNotSupported(r.status()));
  EXPECT_LT(took, std::chrono::seconds(5));  // one attempt, no retry loop
  ExpectNoSecrets(r.status());
}

// ---- FakeCloudWatch ---------------------------------------------------------------------------

class CloudWatchApiFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fake_.Start().ok());
    Result<AwsEndpoint> e = ResolveAwsEndpoint(
        kCloudWatchService, kRegion, Env({{"AWS_ENDPOINT_URL_CLOUDWATCH", fake_.base_url()}}));
    ASSERT_TRUE(e.ok()) << e.status().message();
    api_ = std::make_unique<CloudWatchApi>(client_, credentials_, *e);
    FakeAlarm alarm;
    alarm.name = "root-alert";
    alarm.alarm_actions = {fake_.TopicArn("root-alert-topic")};
    fake_.SetAlarm(alarm);
  }

  FakeCloudWatch fake_;
  HttpClient client_;
  StaticAwsCredentials credentials_{PlantedCredentials()};
  std::unique_ptr<CloudWatchApi> api_;
  const system_clock::time_point t0_ = system_clock::now() - std::chrono::minutes(10);
};

TEST_F(CloudWatchApiFakeTest, SendsTheJson10QueryCompatibleShape) {
  ASSERT_TRUE(api_->DescribeAlarm("root-alert").ok());
  const RecordedRequest r = fake_.requests().at(0);
  EXPECT_EQ(*r.header("x-amz-target"), "GraniteServiceVersion20100801.DescribeAlarms");
  EXPECT_EQ(*r.header("content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(*r.header("x-amzn-query-mode"), "true");
  EXPECT_EQ(*r.header("x-amz-security-token"), kToken);
  EXPECT_THAT(*r.header("authorization"), HasSubstr("/ap-northeast-2/monitoring/aws4_request"));
  EXPECT_EQ(r.body,
            R"({"AlarmNames":["root-alert"],"AlarmTypes":["MetricAlarm","CompositeAlarm"]})");
}

TEST_F(CloudWatchApiFakeTest, FindsACompositeAlarm) {
  FakeAlarm composite;
  composite.name = "root-composite";
  composite.composite = true;
  composite.state_value = "INSUFFICIENT_DATA";
  composite.ok_actions = {fake_.TopicArn("ok-topic")};
  fake_.SetAlarm(composite);
  Result<std::optional<AlarmInfo>> r = api_->DescribeAlarm("root-composite");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(r->has_value());
  EXPECT_TRUE((*r)->composite);
  EXPECT_EQ((*r)->state_value, "INSUFFICIENT_DATA");
  EXPECT_THAT((*r)->ok_actions, ElementsAre(fake_.TopicArn("ok-topic")));
  EXPECT_TRUE((*r)->metric_name.empty());
  EXPECT_TRUE((*r)->namespace_.empty());
}

TEST_F(CloudWatchApiFakeTest, ActionsDisabledIsReported) {
  FakeAlarm quiet = *fake_.alarm("root-alert");
  quiet.actions_enabled = false;
  fake_.SetAlarm(quiet);
  Result<std::optional<AlarmInfo>> r = api_->DescribeAlarm("root-alert");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_FALSE((*r)->actions_enabled);
}

TEST_F(CloudWatchApiFakeTest, HistoryWithSucceededAndFailedActions) {
  const std::string topic = fake_.TopicArn("root-alert-topic");
  const std::string error = FakeCloudWatch::NotAuthorizedError(topic);
  fake_.AddHistory("root-alert", FakeCloudWatch::StateUpdate(t0_ + std::chrono::seconds(1), "OK",
                                                             "ALARM", "drill rrd-1"));
  fake_.AddHistory("root-alert", FakeCloudWatch::SucceededAction(t0_ + std::chrono::seconds(2),
                                                                 topic, R"({"default":"{}"})"));
  fake_.AddHistory("root-alert",
                   FakeCloudWatch::FailedAction(t0_ + std::chrono::seconds(3), topic, error));
  fake_.AddHistory("other-alarm", FakeCloudWatch::SucceededAction(t0_, topic));

  Result<std::vector<AlarmHistoryItem>> r = api_->DescribeAlarmHistory("root-alert", t0_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  // Newest first.
  EXPECT_EQ((*r)[0].type, "Action");
  EXPECT_EQ((*r)[0].timestamp,
            std::chrono::floor<std::chrono::milliseconds>(t0_ + std::chrono::seconds(3)));
  EXPECT_EQ((*r)[1].type, "Action");
  EXPECT_EQ((*r)[2].type, "StateUpdate");
  EXPECT_EQ((*r)[2].summary, "Alarm updated from OK to ALARM");

  std::optional<ActionResult> failed = ParseActionHistory((*r)[0]);
  ASSERT_TRUE(failed.has_value());
  EXPECT_FALSE(failed->succeeded);
  EXPECT_EQ(failed->resource, topic);
  EXPECT_EQ(failed->error, error);
  EXPECT_THAT((*r)[0].summary,
              StartsWith("Failed to execute action " + topic + ": Received error: \""));

  std::optional<ActionResult> ok = ParseActionHistory((*r)[1]);
  ASSERT_TRUE(ok.has_value());
  EXPECT_TRUE(ok->succeeded);
  EXPECT_EQ(ok->resource, topic);
  EXPECT_EQ(ok->error, "");
  EXPECT_FALSE(ParseActionHistory((*r)[2]).has_value());  // a StateUpdate

  // The request asked for both alarm types, newest first, from t0.
  JsonDocument sent;
  ASSERT_TRUE(ParseJson(fake_.requests().back().body, JsonLimits{}, "request", &sent).ok());
  EXPECT_EQ(std::string(AsView(sent["ScanBy"])), "TimestampDescending");
  EXPECT_EQ(sent["AlarmTypes"].Size(), 2u);
  EXPECT_NEAR(sent["StartDate"].GetDouble(),
              std::chrono::duration<double>(t0_.time_since_epoch()).count(), 0.002);
}

TEST_F(CloudWatchApiFakeTest, HistoryFollowsNextTokenAndHonoursMaxItemsAndStart) {
  for (int i = 0; i < 7; ++i) {
    fake_.AddHistory("root-alert",
                     FakeCloudWatch::StateUpdate(t0_ + std::chrono::seconds(i), "OK", "ALARM",
                                                 "item " + std::to_string(i)));
  }
  fake_.AddHistory("root-alert", FakeCloudWatch::StateUpdate(t0_ - std::chrono::hours(1), "OK",
                                                             "ALARM", "before start"));
  fake_.set_history_page_size(2);

  Result<std::vector<AlarmHistoryItem>> all = api_->DescribeAlarmHistory("root-alert", t0_);
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 7u);
  for (size_t i = 1; i < all->size(); ++i) {
    EXPECT_GT((*all)[i - 1].timestamp, (*all)[i].timestamp);
  }
  EXPECT_THAT(all->front().data, HasSubstr("item 6"));
  EXPECT_THAT(all->back().data, HasSubstr("item 0"));
  EXPECT_EQ(fake_.request_count(), 4u);  // 2 + 2 + 2 + 1
  EXPECT_THAT(fake_.requests()[1].body, HasSubstr(R"("NextToken":"fake-page-2")"));

  const size_t before = fake_.request_count();
  Result<std::vector<AlarmHistoryItem>> three = api_->DescribeAlarmHistory("root-alert", t0_, 3);
  ASSERT_TRUE(three.ok()) << three.status().message();
  ASSERT_EQ(three->size(), 3u);
  EXPECT_THAT((*three)[2].data, HasSubstr("item 4"));
  EXPECT_EQ(fake_.request_count() - before, 2u);
  EXPECT_THAT(fake_.requests()[before].body, HasSubstr(R"("MaxRecords":3)"));
}

TEST_F(CloudWatchApiFakeTest, SetAlarmStateFiresActionsOnlyOnAChange) {
  const std::string topic = fake_.TopicArn("root-alert-topic");
  ASSERT_TRUE(api_->SetAlarmState("root-alert", "OK", "drill rrd-2 reset").ok());  // already OK
  ASSERT_TRUE(api_->SetAlarmState("root-alert", "ALARM", "drill rrd-2").ok());
  const std::vector<FakeSetAlarmStateCall> calls = fake_.set_alarm_state_calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].state, "ALARM");
  EXPECT_EQ(calls[1].reason, "drill rrd-2");

  Result<std::vector<AlarmHistoryItem>> r = api_->DescribeAlarmHistory("root-alert", t0_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 2u);  // the StateUpdate and one Action; nothing for OK -> OK
  std::optional<ActionResult> action;
  for (const AlarmHistoryItem& item : *r) {
    if (auto a = ParseActionHistory(item)) action = a;
  }
  ASSERT_TRUE(action.has_value());
  EXPECT_TRUE(action->succeeded);
  EXPECT_EQ(action->resource, topic);

  // Now the topic policy is broken: the next ALARM shows a failed action.
  fake_.FailActions(FakeCloudWatch::NotAuthorizedError(topic));
  ASSERT_TRUE(api_->SetAlarmState("root-alert", "OK", "drill rrd-3 reset").ok());
  ASSERT_TRUE(api_->SetAlarmState("root-alert", "ALARM", "drill rrd-3").ok());
  r = api_->DescribeAlarmHistory("root-alert", t0_, 1);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  std::optional<ActionResult> failed = ParseActionHistory(r->front());
  ASSERT_TRUE(failed.has_value());
  EXPECT_FALSE(failed->succeeded);
  EXPECT_THAT(failed->error, HasSubstr("not authorized to perform: SNS:Publish"));
}

TEST_F(CloudWatchApiFakeTest, ActionsCanBePublishedToAnHttpSubscriber) {
  FakeHttpServer subscriber;
  ASSERT_TRUE(subscriber.Start().ok());
  fake_.PublishTo(subscriber.base_url() + "/sns");
  ASSERT_TRUE(api_->SetAlarmState("root-alert", "ALARM", "drill rrd-4").ok());
  ASSERT_EQ(subscriber.request_count(), 1u);  // synchronously, like moto
  const RecordedRequest got = subscriber.requests()[0];
  EXPECT_EQ(got.path, "/sns");
  JsonDocument body;
  ASSERT_TRUE(ParseJson(got.body, JsonLimits{}, "notification", &body).ok()) << got.body;
  EXPECT_EQ(std::string(AsView(body["Type"])), "Notification");
  EXPECT_EQ(std::string(AsView(body["TopicArn"])), fake_.TopicArn("root-alert-topic"));
  EXPECT_EQ(std::string(AsView(body["Subject"])), "ALARM: \"root-alert\" in Asia Pacific (Seoul)");
  EXPECT_THAT(std::string(AsView(body["Message"])), HasSubstr("drill rrd-4"));
  EXPECT_FALSE(std::string(AsView(body["Signature"])).empty());
  ASSERT_EQ(fake_.publishes().size(), 1u);
  EXPECT_EQ(fake_.publishes()[0].http_status, 200);

  // Signed with the test key: the real verifier accepts it with the test certificate pinned.
  std::ifstream pem_file(testing::TestSigningCertPath());
  std::stringstream pem;
  pem << pem_file.rdbuf();
  SnsVerifierOptions options;
  options.allowed_topic_arns = {fake_.TopicArn("root-alert-topic")};
  options.pinned_cert_for_any_url = pem.str();
  Result<std::unique_ptr<SnsVerifier>> verifier = SnsVerifier::Create(options, nullptr);
  ASSERT_TRUE(verifier.ok()) << verifier.status().message();
  Status error;
  FieldReader reader(body, "notification", &error);
  SnsEnvelope envelope = ReadSnsEnvelope(reader);
  ASSERT_TRUE(error.ok()) << error.message();
  Status verified = (*verifier)->Verify(envelope, system_clock::now());
  EXPECT_TRUE(verified.ok()) << verified.message();
}

TEST_F(CloudWatchApiFakeTest, MissingAlarmAndBadInputFromTheService) {
  Status missing = api_->SetAlarmState("nope", "ALARM", "drill");
  EXPECT_EQ(missing.code(), Status::Code::kNotFound) << missing.message();
  ExpectNoSecrets(missing);
  Result<std::optional<AlarmInfo>> none = api_->DescribeAlarm("nope");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(CloudWatchApiFakeTest, BadInputIsRefusedBeforeSending) {
  struct Case {
    std::string name, state, reason, data, expect;
  };
  const std::vector<Case> cases = {
      {"", "ALARM", "r", "", "alarm name is empty"},
      {std::string(256, 'a'), "ALARM", "r", "", "at most 255"},
      {"root-alert", "alarm", "r", "", "state \"alarm\" is not OK, ALARM or INSUFFICIENT_DATA"},
      {"root-alert", "ALARM", std::string(1024, 'r'), "", "reason is 1024 bytes"},
      {"root-alert", "ALARM", "r", "{not json", "reason data"},
      {"root-alert", "ALARM", "r", "{\"a\":\"" + std::string(4000, 'x') + "\"}", "at most 4000"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expect);
    Status s = api_->SetAlarmState(c.name, c.state, c.reason, c.data);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr(c.expect));
  }
  EXPECT_EQ(api_->DescribeAlarm("").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(api_->DescribeAlarmHistory("", t0_).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(fake_.request_count(), 0u);
  // A reason of exactly 1023 bytes is fine.
  EXPECT_TRUE(api_->SetAlarmState("root-alert", "ALARM", std::string(1023, 'r')).ok());
}

TEST_F(CloudWatchApiFakeTest, HistoryNotSupportedOnlyWhenTheEndpointLacksTheCall) {
  fake_.set_history_unsupported(true);
  Result<std::vector<AlarmHistoryItem>> moto_like = api_->DescribeAlarmHistory("root-alert", t0_);
  EXPECT_TRUE(IsHistoryNotSupported(moto_like.status())) << moto_like.status().message();
  fake_.set_history_unsupported(false);

  const HttpHeaders json = {{"Content-Type", "application/x-amz-json-1.0"}};
  struct Case {
    std::string name;
    ScriptedReply reply;
    bool not_supported;
    Status::Code code;
  };
  const std::vector<Case> cases = {
      {"unknown operation",
       ScriptedReply::Answer(400, R"({"__type":"com.amazon#UnknownOperationException"})", json),
       true, Status::Code::kUnavailable},
      {"501", ScriptedReply::Answer(501, "", json), true, Status::Code::kUnavailable},
      {"AWS internal failure",
       ScriptedReply::Answer(500, R"({"__type":"InternalFailure","message":"oops"})", json), false,
       Status::Code::kUnavailable},
      {"throttled",
       ScriptedReply::Answer(400, R"({"__type":"Throttling","message":"Rate exceeded"})", json),
       false, Status::Code::kUnavailable},
      {"access denied",
       ScriptedReply::Answer(400, R"({"__type":"AccessDenied","message":"no"})", json), false,
       Status::Code::kInvalidArgument},
      {"not a list", ScriptedReply::Answer(200, R"({"AlarmHistoryItems":{}})", json), false,
       Status::Code::kInternal},
      {"no timestamp",
       ScriptedReply::Answer(200, R"({"AlarmHistoryItems":[{"HistoryItemType":"Action"}]})", json),
       false, Status::Code::kInternal},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    fake_.Script({c.reply});
    Result<std::vector<AlarmHistoryItem>> r = api_->DescribeAlarmHistory("root-alert", t0_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(IsHistoryNotSupported(r.status()), c.not_supported) << r.status().message();
    EXPECT_EQ(r.status().code(), c.code) << r.status().message();
    ExpectNoSecrets(r.status());
  }
}

TEST_F(CloudWatchApiFakeTest, ARepeatedNextTokenStopsTheWalk) {
  const std::string page =
      R"({"AlarmHistoryItems":[{"Timestamp":1767225600.5,"HistoryItemType":"StateUpdate"}],)"
      R"("NextToken":"same"})";
  fake_.Script({ScriptedReply::Answer(200, page), ScriptedReply::Answer(200, page)});
  Result<std::vector<AlarmHistoryItem>> r = api_->DescribeAlarmHistory("root-alert", t0_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInternal);
  EXPECT_THAT(r.status().message(), HasSubstr("same NextToken twice"));
}

TEST_F(CloudWatchApiFakeTest, IsoTimestampsAreReadToo) {
  fake_.Script({ScriptedReply::Answer(
      200, R"({"AlarmHistoryItems":[{"Timestamp":"2026-01-01T00:00:00.000Z",)"
           R"("HistoryItemType":"StateUpdate","HistorySummary":"s","HistoryData":"{}"}]})")});
  Result<std::vector<AlarmHistoryItem>> r = api_->DescribeAlarmHistory("root-alert", t0_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].timestamp, system_clock::time_point(std::chrono::seconds(1767225600)));
}

TEST_F(CloudWatchApiFakeTest, AnErrorQuotingTheCredentialsIsRedacted) {
  fake_.Script({ScriptedReply::Answer(
      403, std::string(R"({"__type":"SignatureDoesNotMatch","message":"secret )") + kSecret +
               " token " + kToken + "\"}")});
  Status s = api_->SetAlarmState("root-alert", "ALARM", "drill");
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.message();
  EXPECT_THAT(s.message(), HasSubstr("SignatureDoesNotMatch: secret <redacted> token <redacted>"));
  ExpectNoSecrets(s);
}

TEST_F(CloudWatchApiFakeTest, NoAnswerIsUnavailableWithoutSecrets) {
  fake_.Script({ScriptedReply::Drop()});
  Status s = api_->SetAlarmState("root-alert", "ALARM", "drill");
  EXPECT_EQ(s.code(), Status::Code::kUnavailable) << s.message();
  ExpectNoSecrets(s);
}

// ---- ParseActionHistory -----------------------------------------------------------------------

AlarmHistoryItem Action(std::string summary, std::string data) {
  return {system_clock::time_point(), "Action", std::move(summary), std::move(data)};
}

TEST(ParseActionHistoryTest, ReadsHistoryDataFirst) {
  std::optional<ActionResult> r = ParseActionHistory(
      Action("Successfully executed action arn:aws:sns:ap-northeast-2:1:t",
             R"({"actionState":"Succeeded","stateUpdateTimestamp":1667756633496,)"
             R"("notificationResource":"arn:aws:sns:ap-northeast-2:1:t",)"
             R"("publishedMessage":"{\"default\":\"{}\"}","error":null})"));
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->succeeded);
  EXPECT_EQ(r->resource, "arn:aws:sns:ap-northeast-2:1:t");
  EXPECT_EQ(r->error, "");

  // actionState other than Succeeded is a failure even with a hopeful summary.
  r = ParseActionHistory(Action("Successfully executed action arn:aws:sns:r:1:t",
                                R"({"actionState":"Throttled","error":"Rate exceeded"})"));
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->succeeded);
  EXPECT_EQ(r->error, "Rate exceeded");
  EXPECT_EQ(r->resource, "arn:aws:sns:r:1:t");
}

TEST(ParseActionHistoryTest, FallsBackToTheSummaryWhenHistoryDataIsMalformed) {
  const std::string kms =
      "CloudWatch Alarms does not have authorization to access the SNS topic encryption key.";
  for (const std::string& data : {std::string("{not json"), std::string(""), std::string("[1]"),
                                  std::string(R"({"actionState":5})")}) {
    SCOPED_TRACE(data);
    std::optional<ActionResult> r = ParseActionHistory(
        Action("Failed to execute action arn:aws:sns:ap-northeast-2:1:topic. Received error: \"" +
                   kms + "\"",
               data));
    ASSERT_TRUE(r.has_value());
    EXPECT_FALSE(r->succeeded);
    EXPECT_EQ(r->resource, "arn:aws:sns:ap-northeast-2:1:topic");
    EXPECT_EQ(r->error, kms);
  }
  std::optional<ActionResult> ok =
      ParseActionHistory(Action("Successfully executed action arn:aws:sns:r:1:t", "garbage"));
  ASSERT_TRUE(ok.has_value());
  EXPECT_TRUE(ok->succeeded);
  EXPECT_EQ(ok->resource, "arn:aws:sns:r:1:t");

  // A failure without the usual "Received error" still says something.
  std::optional<ActionResult> terse =
      ParseActionHistory(Action("Failed to execute action arn:aws:sns:r:1:t", "{}"));
  ASSERT_TRUE(terse.has_value());
  EXPECT_FALSE(terse->succeeded);
  EXPECT_FALSE(terse->error.empty());
}

TEST(ParseActionHistoryTest, SaysNothingItCannotRead) {
  EXPECT_FALSE(ParseActionHistory(Action("Something else happened", "{malformed")).has_value());
  EXPECT_FALSE(ParseActionHistory(Action("", "")).has_value());
  AlarmHistoryItem state{system_clock::time_point(), "StateUpdate", "Alarm updated",
                         R"({"actionState":"Succeeded"})"};
  EXPECT_FALSE(ParseActionHistory(state).has_value());
}

}  // namespace
}  // namespace rr
