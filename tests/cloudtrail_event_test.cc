// EventBridge events for console sign-ins and API calls (alarm/README.md "Field rules",
// console_login / api_call column; "Root usage"; aws-formats.md §5).
#include "alarm/cloudtrail_event.h"

#include <string>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rr {
namespace {

using ::testing::HasSubstr;

// aws-formats.md §5.1.
constexpr std::string_view kRootSignIn =
    R"({"version":"0","id":"5f2d8c1a-3b4e-4d6f-9a0b-1c2d3e4f5a6b",
 "detail-type":"AWS Console Sign In via CloudTrail","source":"aws.signin",
 "account":"111122223333","time":"2026-03-02T09:40:12Z","region":"us-east-1","resources":[],
 "detail":{
   "eventVersion":"1.08",
   "userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root",
                   "accountId":"111122223333","accessKeyId":""},
   "eventTime":"2026-03-02T09:40:12Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin",
   "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23",
   "userAgent":"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
   "requestParameters":null,
   "responseElements":{"ConsoleLogin":"Success"},
   "additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
                          "MobileVersion":"No","MFAIdentifier":"arn:aws:iam::111122223333:mfa/root-account-mfa-device","MFAUsed":"Yes"},
   "eventID":"0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5","readOnly":false,
   "eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"111122223333",
   "eventCategory":"Management"}})";

// aws-formats.md §5.2.
constexpr std::string_view kRootApiCall =
    R"({"version":"0","id":"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
 "detail-type":"AWS API Call via CloudTrail","source":"aws.iam",
 "account":"111122223333","time":"2026-03-02T09:42:03Z","region":"us-east-1","resources":[],
 "detail":{"eventVersion":"1.09",
   "userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root",
     "accountId":"111122223333","accessKeyId":"ASIAEXAMPLEEXAMPLE",
     "sessionContext":{"sessionIssuer":{},"webIdFederationData":{},
       "attributes":{"creationDate":"2026-03-02T09:40:12Z","mfaAuthenticated":"true"}}},
   "eventTime":"2026-03-02T09:42:03Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey",
   "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"AWS Internal",
   "requestParameters":{},"responseElements":{"accessKey":{"accessKeyId":"AKIAEXAMPLE","status":"Active","userName":"deploy"}},
   "requestID":"1b2c3d4e-0000-4000-8000-000000000002","eventID":"e1f2a3b4-0000-4000-8000-000000000003",
   "readOnly":false,"eventType":"AwsApiCall",
   "managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}})";

constexpr char kSignInId[] = "5f2d8c1a-3b4e-4d6f-9a0b-1c2d3e4f5a6b";
constexpr char kSignInEventId[] = "0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5";
constexpr char kApiId[] = "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d";
constexpr char kApiEventId[] = "e1f2a3b4-0000-4000-8000-000000000003";

std::string With(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture lacks " << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

Parsed Parse(std::string_view json, EnvelopeFacts envelope = {}, std::string path = "") {
  JsonDocument doc;
  Status s = ParseJson(json, {}, "test", &doc);
  EXPECT_TRUE(s.ok()) << s.message();
  Status error;
  FieldReader r(doc, std::move(path), &error);
  return ParseCloudTrailEvent(r, envelope);
}

void ExpectNoAlarmFields(const Alert& a) {
  EXPECT_EQ(a.state, std::nullopt);
  EXPECT_EQ(a.previous_state, std::nullopt);
  EXPECT_EQ(a.alarm_name, std::nullopt);
  EXPECT_EQ(a.alarm_description, std::nullopt);
  EXPECT_EQ(a.reason, std::nullopt);
  EXPECT_EQ(a.subject, std::nullopt);
  EXPECT_FALSE(a.drill);
}

TEST(CloudTrailEventTest, RootConsoleLoginFields) {
  Parsed p = Parse(kRootSignIn);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.reason, "");
  const Alert& a = *p.alert;
  EXPECT_EQ(a.kind, AlertKind::kConsoleLogin);
  EXPECT_EQ(a.account_id, "111122223333");
  EXPECT_EQ(a.account_name, std::nullopt);
  EXPECT_EQ(a.region, "us-east-1");
  EXPECT_EQ(a.event_name, "ConsoleLogin");
  EXPECT_EQ(a.event_source, "signin.amazonaws.com");
  EXPECT_EQ(a.principal_type, "Root");
  EXPECT_EQ(a.principal_arn, "arn:aws:iam::111122223333:root");
  EXPECT_EQ(a.source_ip, "198.51.100.23");
  EXPECT_EQ(a.user_agent, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
  EXPECT_EQ(a.mfa_used, true);
  EXPECT_EQ(a.login_result, "Success");
  EXPECT_EQ(a.error_message, std::nullopt);
  EXPECT_EQ(a.event_time, "2026-03-02T09:40:12Z");
  EXPECT_EQ(a.message_id, std::nullopt);
  EXPECT_EQ(a.event_id, kSignInEventId);
  EXPECT_EQ(a.dedup_key, std::string("eb:") + kSignInId);
  EXPECT_EQ(a.console_url, std::string("https://console.aws.amazon.com/cloudtrail/home"
                                       "?region=us-east-1#/events/") +
                               kSignInEventId);
  ExpectNoAlarmFields(a);
}

TEST(CloudTrailEventTest, RootConsoleLoginFailureIsStillRootUsage) {
  std::string ev =
      With(kRootSignIn, R"({"ConsoleLogin":"Success"})", R"({"ConsoleLogin":"Failure"})");
  ev = With(
      ev,
      R"("MFAIdentifier":"arn:aws:iam::111122223333:mfa/root-account-mfa-device","MFAUsed":"Yes")",
      R"("MFAUsed":"No")");
  ev = With(ev, R"("eventID":)", R"("errorMessage":"Failed authentication","eventID":)");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->login_result, "Failure");
  EXPECT_EQ(p.alert->error_message, "Failed authentication");
  EXPECT_EQ(p.alert->mfa_used, false);
}

TEST(CloudTrailEventTest, MfaUsedInAnyCase) {
  const std::pair<const char*, std::optional<bool>> cases[] = {
      {"Yes", true},      {"YES", true},           {"yes", true},          {"yEs", true},
      {"No", false},      {"NO", false},           {"no", false},          {"nO", false},
      {"", std::nullopt}, {"Maybe", std::nullopt}, {"true", std::nullopt},
  };
  for (const auto& [value, expected] : cases) {
    std::string ev =
        With(kRootSignIn, R"("MFAUsed":"Yes")", std::string(R"("MFAUsed":")") + value + "\"");
    Parsed p = Parse(ev);
    ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
    EXPECT_EQ(p.alert->mfa_used, expected) << '"' << value << '"';
  }
}

TEST(CloudTrailEventTest, MfaUsedAbsentIsNull) {
  std::string ev = With(kRootSignIn, R"(,"MFAUsed":"Yes")", "");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->mfa_used, std::nullopt);
  std::string no_data = With(kRootSignIn, R"("additionalEventData":{)", R"("x":{)");
  Parsed q = Parse(no_data);
  ASSERT_EQ(q.verdict, Verdict::kAlert) << q.reason;
  EXPECT_EQ(q.alert->mfa_used, std::nullopt);
}

TEST(CloudTrailEventTest, AccountAliasBecomesTheAccountName) {
  std::string ev =
      With(kRootSignIn, R"("accessKeyId":"")", R"("accessKeyId":"","userName":"acme-prod")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->account_name, "acme-prod");
}

TEST(CloudTrailEventTest, HiddenUserNameIsNotAnAlias) {
  std::string ev = With(kRootSignIn, R"("accessKeyId":"")",
                        R"("accessKeyId":"","userName":"HIDDEN_DUE_TO_SECURITY_REASONS")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->account_name, std::nullopt);
}

TEST(CloudTrailEventTest, IamUserSignInIsIgnoredAsNotRootUsage) {
  std::string ev = With(
      kRootSignIn,
      R"({"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root")",
      R"({"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/alice","userName":"alice")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kIgnored);
  EXPECT_THAT(p.reason, HasSubstr("not root usage"));
  EXPECT_THAT(p.reason, HasSubstr("IAMUser"));
  ASSERT_TRUE(p.alert.has_value());
  EXPECT_EQ(p.alert->account_name, std::nullopt);  // an IAM user name is not an alias
  EXPECT_EQ(p.alert->principal_type, "IAMUser");
}

TEST(CloudTrailEventTest, RootApiCallFields) {
  Parsed p = Parse(kRootApiCall);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  const Alert& a = *p.alert;
  EXPECT_EQ(a.kind, AlertKind::kApiCall);
  EXPECT_EQ(a.event_name, "CreateAccessKey");
  EXPECT_EQ(a.event_source, "iam.amazonaws.com");
  EXPECT_EQ(a.principal_type, "Root");
  EXPECT_EQ(a.mfa_used, true);
  EXPECT_EQ(a.login_result, std::nullopt);
  EXPECT_EQ(a.user_agent, "AWS Internal");
  EXPECT_EQ(a.event_time, "2026-03-02T09:42:03Z");
  EXPECT_EQ(a.event_id, kApiEventId);
  EXPECT_EQ(a.dedup_key, std::string("eb:") + kApiId);
  EXPECT_EQ(a.console_url, std::string("https://console.aws.amazon.com/cloudtrail/home"
                                       "?region=us-east-1#/events/") +
                               kApiEventId);
  ExpectNoAlarmFields(a);
}

TEST(CloudTrailEventTest, ApiCallMfaAuthenticated) {
  const std::pair<const char*, std::optional<bool>> cases[] = {
      {"true", true}, {"false", false}, {"TRUE", true}, {"False", false}, {"yes", std::nullopt}};
  for (const auto& [value, expected] : cases) {
    std::string ev = With(kRootApiCall, R"("mfaAuthenticated":"true")",
                          std::string(R"("mfaAuthenticated":")") + value + "\"");
    Parsed p = Parse(ev);
    ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
    EXPECT_EQ(p.alert->mfa_used, expected) << value;
  }
}

TEST(CloudTrailEventTest, ApiCallWithoutSessionContextHasUnknownMfa) {
  std::string ev = With(kRootApiCall, R"("sessionContext":)", R"("notSessionContext":)");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->mfa_used, std::nullopt);
}

TEST(CloudTrailEventTest, ApiCallIgnoresSignInMfaField) {
  // MFAUsed belongs to sign-ins; an API call's MFA comes from sessionContext only.
  std::string ev = With(kRootApiCall, R"("sessionContext":)", R"("notSessionContext":)");
  ev = With(ev, R"("requestParameters":{})",
            R"("requestParameters":{},"additionalEventData":{"MFAUsed":"Yes"})");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->mfa_used, std::nullopt);
}

TEST(CloudTrailEventTest, InvokedByIsIgnoredAsTheCisFilterDoes) {
  std::string ev =
      With(kRootApiCall, R"("accessKeyId":"ASIAEXAMPLEEXAMPLE",)",
           R"("accessKeyId":"ASIAEXAMPLEEXAMPLE","invokedBy":"support.amazonaws.com",)");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kIgnored);
  EXPECT_THAT(p.reason, HasSubstr("invokedBy"));
  EXPECT_THAT(p.reason, HasSubstr("support.amazonaws.com"));
  EXPECT_THAT(p.reason, HasSubstr("CIS"));
}

TEST(CloudTrailEventTest, AwsServiceEventIsIgnoredAsTheCisFilterDoes) {
  std::string ev =
      With(kRootApiCall, R"("eventType":"AwsApiCall")", R"("eventType":"AwsServiceEvent")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kIgnored);
  EXPECT_THAT(p.reason, HasSubstr("AwsServiceEvent"));
  EXPECT_THAT(p.reason, HasSubstr("CIS"));
}

TEST(CloudTrailEventTest, ServiceEventDetailTypeIsIgnoredAsTheCisFilterDoes) {
  std::string ev =
      With(kRootApiCall, "AWS API Call via CloudTrail", "AWS Service Event via CloudTrail");
  ev = With(ev, R"("eventType":"AwsApiCall")", R"("eventType":"AwsServiceEvent")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kIgnored) << p.reason;
  EXPECT_THAT(p.reason, HasSubstr("AwsServiceEvent"));
}

// The reason names the principal type that is not root ("... by IAMUser is not root usage").
TEST(CloudTrailEventTest, NotRootReasonNamesThePrincipalType) {
  std::string ev = With(kRootApiCall, R"("type":"Root")", R"("type":"AWSService")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kIgnored);
  EXPECT_EQ(p.reason, "CreateAccessKey by AWSService is not root usage");
  std::string no_type = With(kRootApiCall, R"("type":"Root",)", "");
  Parsed q = Parse(no_type);
  ASSERT_EQ(q.verdict, Verdict::kIgnored);
  EXPECT_THAT(q.reason, HasSubstr("not root usage"));
  EXPECT_EQ(q.alert->principal_type, std::nullopt);
}

TEST(CloudTrailEventTest, AssumedRootIsRootUsage) {
  std::string ev = With(
      kRootApiCall,
      R"("userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root",)",
      R"("userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:x","arn":"arn:aws:sts::444455556666:assumed-role/AWSServiceRoleForRootAccess/x",)");
  ev = With(ev, R"("sessionContext":{)", R"("sessionContext":{"assumedRoot":"true",)");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->principal_type, "AssumedRole");
  EXPECT_EQ(p.alert->kind, AlertKind::kApiCall);
}

TEST(CloudTrailEventTest, AssumedRoleWithoutAssumedRootIsNotRootUsage) {
  std::string ev = With(kRootApiCall, R"("type":"Root")", R"("type":"AssumedRole")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kIgnored);
  EXPECT_THAT(p.reason, HasSubstr("not root usage"));
  std::string not_true =
      With(ev, R"("sessionContext":{)", R"("sessionContext":{"assumedRoot":"false",)");
  Parsed q = Parse(not_true);
  ASSERT_EQ(q.verdict, Verdict::kIgnored);
  EXPECT_THAT(q.reason, HasSubstr("not root usage"));
}

TEST(CloudTrailEventTest, AccountFallsBackToRecipientAccountId) {
  std::string ev = With(kRootSignIn, R"("account":"111122223333",)", "");
  ev = With(ev, R"("recipientAccountId":"111122223333")", R"("recipientAccountId":"444455556666")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->account_id, "444455556666");
}

TEST(CloudTrailEventTest, AccountPrefersTheEnvelopeAccount) {
  std::string ev = With(kRootSignIn, R"("recipientAccountId":"111122223333")",
                        R"("recipientAccountId":"444455556666")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->account_id, "111122223333");
}

TEST(CloudTrailEventTest, RegionPrefersAwsRegionThenFallsBackToRegion) {
  std::string regional =
      With(kRootApiCall, R"("awsRegion":"us-east-1")", R"("awsRegion":"ap-northeast-2")");
  Parsed p = Parse(regional);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->region, "ap-northeast-2");
  EXPECT_EQ(p.alert->console_url, std::string("https://console.aws.amazon.com/cloudtrail/home"
                                              "?region=ap-northeast-2#/events/") +
                                      kApiEventId);
  std::string fallback = With(kRootApiCall, R"("awsRegion":"us-east-1",)", "");
  fallback = With(fallback, R"("region":"us-east-1")", R"("region":"cn-north-1")");
  Parsed q = Parse(fallback);
  ASSERT_EQ(q.verdict, Verdict::kAlert) << q.reason;
  EXPECT_EQ(q.alert->region, "cn-north-1");
  EXPECT_EQ(q.alert->console_url,
            std::string("https://console.amazonaws.cn/cloudtrail/home?region=cn-north-1#/events/") +
                kApiEventId);
}

TEST(CloudTrailEventTest, GovCloudConsoleUrl) {
  std::string ev =
      With(kRootApiCall, R"("awsRegion":"us-east-1")", R"("awsRegion":"us-gov-west-1")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->console_url,
            std::string("https://console.amazonaws-us-gov.com/cloudtrail/home?region=us-gov-west-1"
                        "#/events/") +
                kApiEventId);
}

TEST(CloudTrailEventTest, EventTimeFallsBackToTime) {
  std::string ev = With(kRootSignIn, R"("eventTime":"2026-03-02T09:40:12Z",)", "");
  ev = With(ev, R"("time":"2026-03-02T09:40:12Z")", R"("time":"2026-03-02T09:40:13Z")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->event_time, "2026-03-02T09:40:13Z");
}

TEST(CloudTrailEventTest, EventIdFallsBackToTheEventBridgeId) {
  std::string ev = With(kRootSignIn, R"("eventID":"0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5",)", "");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->event_id, kSignInId);
  EXPECT_EQ(p.alert->dedup_key, std::string("eb:") + kSignInId);
  EXPECT_EQ(p.alert->console_url, std::string("https://console.aws.amazon.com/cloudtrail/home"
                                              "?region=us-east-1#/events/") +
                                      kSignInId);
}

TEST(CloudTrailEventTest, ThroughSnsTheKeyIsStillTheEventBridgeId) {
  Parsed p = Parse(kRootSignIn, EnvelopeFacts{"sns-message-1"});
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->message_id, "sns-message-1");
  EXPECT_EQ(p.alert->dedup_key, std::string("eb:") + kSignInId);
}

TEST(CloudTrailEventTest, DocsSpellingOfTheSignInDetailType) {
  std::string ev =
      With(kRootSignIn, "AWS Console Sign In via CloudTrail", "AWS Console Signin via CloudTrail");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->kind, AlertKind::kConsoleLogin);
}

TEST(CloudTrailEventTest, IsCloudTrailDetailType) {
  EXPECT_TRUE(IsCloudTrailDetailType("AWS Console Sign In via CloudTrail"));
  EXPECT_TRUE(IsCloudTrailDetailType("AWS Console Signin via CloudTrail"));
  EXPECT_TRUE(IsCloudTrailDetailType("AWS API Call via CloudTrail"));
  EXPECT_TRUE(IsCloudTrailDetailType("AWS Service Event via CloudTrail"));
  EXPECT_FALSE(IsCloudTrailDetailType("CloudWatch Alarm State Change"));
  EXPECT_FALSE(IsCloudTrailDetailType("aws api call via cloudtrail"));
  EXPECT_FALSE(IsCloudTrailDetailType(""));
}

TEST(CloudTrailEventTest, GarbageEventTimeIsRejectedNamingThePath) {
  std::string ev =
      With(kRootSignIn, R"("eventTime":"2026-03-02T09:40:12Z")", R"("eventTime":"soon")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_FALSE(p.alert.has_value());
  EXPECT_THAT(p.reason, HasSubstr("detail.eventTime"));
}

// When the bad value came from the top-level `time`, the reason must name `time`.
TEST(CloudTrailEventTest, GarbageTimeFallbackIsRejectedNamingTime) {
  std::string ev = With(kRootSignIn, R"("eventTime":"2026-03-02T09:40:12Z",)", "");
  ev = With(ev, R"("time":"2026-03-02T09:40:12Z")", R"("time":"soon")");
  Parsed p = Parse(ev, {}, "Records[0].Sns.Message");
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_THAT(p.reason, HasSubstr("Records[0].Sns.Message.time"));
  EXPECT_THAT(p.reason, ::testing::Not(HasSubstr("eventTime")));
}

TEST(CloudTrailEventTest, WrongTypeNamesTheFullPath) {
  std::string ev = With(kRootSignIn, R"({"type":"Root")", R"({"type":1)");
  Parsed p = Parse(ev, {}, "Records[0].body");
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_EQ(p.reason, "Records[0].body.detail.userIdentity.type: expected string, got number");
}

TEST(CloudTrailEventTest, MfaUsedOfWrongTypeNamesThePath) {
  std::string ev = With(kRootSignIn, R"("MFAUsed":"Yes")", R"("MFAUsed":true)");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_EQ(p.reason, "detail.additionalEventData.MFAUsed: expected string, got boolean");
}

TEST(CloudTrailEventTest, DetailMissingIsRejected) {
  Parsed p = Parse(R"({"version":"0","id":"x","detail-type":"AWS API Call via CloudTrail",
    "source":"aws.iam","account":"111122223333","time":"2026-03-02T09:42:03Z","region":"us-east-1"})");
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_EQ(p.reason, "detail: missing");
}

TEST(CloudTrailEventTest, DetailOfWrongTypeIsRejected) {
  Parsed p = Parse(R"({"version":"0","id":"x","detail-type":"AWS API Call via CloudTrail",
    "source":"aws.iam","detail":"CreateAccessKey"})");
  ASSERT_EQ(p.verdict, Verdict::kRejected);
  EXPECT_EQ(p.reason, "detail: expected object, got string");
}

// A null detail carries no event at all; it must not be judged "not root usage".
TEST(CloudTrailEventTest, DetailNullIsRejectedNotIgnored) {
  Parsed p = Parse(R"({"version":"0","id":"x","detail-type":"AWS API Call via CloudTrail",
    "source":"aws.iam","account":"111122223333","time":"2026-03-02T09:42:03Z","detail":null})");
  EXPECT_EQ(p.verdict, Verdict::kRejected) << p.reason;
  EXPECT_THAT(p.reason, HasSubstr("detail"));
}

TEST(CloudTrailEventTest, SignInDetailTypeWithOtherEventNameIsAnApiCall) {
  std::string ev = With(kRootSignIn, R"("eventName":"ConsoleLogin")", R"("eventName":"CheckMfa")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->kind, AlertKind::kApiCall);
  EXPECT_EQ(p.alert->login_result, std::nullopt);
}

TEST(CloudTrailEventTest, ConsoleLoginNameInAnApiCallDetailTypeIsAnApiCall) {
  std::string ev =
      With(kRootApiCall, R"("eventName":"CreateAccessKey")", R"("eventName":"ConsoleLogin")");
  Parsed p = Parse(ev);
  ASSERT_EQ(p.verdict, Verdict::kAlert) << p.reason;
  EXPECT_EQ(p.alert->kind, AlertKind::kApiCall);
}

}  // namespace
}  // namespace rr
