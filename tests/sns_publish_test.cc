// SnsPublish against moto_server (a real topic with an HTTP subscriber that moto POSTs to inside
// Publish) and against a loopback fake for the answers moto does not give.
#include "responder/sns_publish.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "alarm/json.h"
#include "tests/fakes/fake_providers.h"
#include "tests/fakes/moto_server.h"
#include "tests/support/map_env.h"
#include "tests/support/moto_suite.h"

namespace rr {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kRegion[] = "ap-northeast-2";
constexpr char kSecret[] = "snsPublishSecret/planted+0000000000000001";
constexpr char kToken[] = "snsPublishSessionTokenPlanted0000000001";

AwsCredentials PlantedCredentials() {
  AwsCredentials c;
  c.access_key_id = "AKIASNSPUBTEST000001";
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

class SnsPublishMotoTest : public testing::MotoSuiteTest {
 protected:
  void SetUp() override {
    MotoSuiteTest::SetUp();
    if (HasFatalFailure()) return;
    Result<AwsEndpoint> e =
        ResolveAwsEndpoint(kSnsService, kRegion, Env(moto_->Environment(kRegion)));
    ASSERT_TRUE(e.ok()) << e.status().message();
    sns_ = *e;
  }

  // One signed Query-protocol call (CreateTopic, Subscribe) for setting things up.
  std::string Query(const std::string& params, const std::string& result_tag) {
    HttpRequest request;
    request.url = sns_.url + "/";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    request.body = params + "&Version=2010-03-31";
    request.aws_sigv4 = PlantedCredentials().SigV4(sns_.region, sns_.signing_name);
    HttpResponse r = client_.Send(request);
    EXPECT_EQ(r.status, 200) << r.body;
    return XmlElementText(r.body, result_tag).value_or("");
  }

  HttpClient client_;
  StaticAwsCredentials credentials_{PlantedCredentials()};
  AwsEndpoint sns_;
};

TEST_F(SnsPublishMotoTest, PublishReachesAnHttpSubscriber) {
  FakeHttpServer subscriber;
  ASSERT_TRUE(subscriber.Start().ok());
  const std::string topic = Query("Action=CreateTopic&Name=root-alert-topic", "TopicArn");
  ASSERT_THAT(topic, StartsWith("arn:aws:sns:ap-northeast-2:"));
  const std::string subscription =
      Query("Action=Subscribe&TopicArn=" + AwsFormEncode(topic) +
                "&Protocol=http&Endpoint=" + AwsFormEncode(subscriber.base_url() + "/sns"),
            "SubscriptionArn");
  ASSERT_FALSE(subscription.empty());

  const std::string message = R"({"AlarmName":"root-alert","NewStateValue":"ALARM",)"
                              R"("NewStateReason":"drill rrd-20260302 & <test> 루트 계정 + 100%"})";
  Result<std::string> id = SnsPublish(client_, credentials_, sns_, topic,
                                      "ALARM: \"root-alert\" in Asia Pacific (Seoul)", message);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_FALSE(id->empty());

  // moto delivers synchronously inside Publish (reference 8).
  ASSERT_TRUE(subscriber.WaitForRequests(1, std::chrono::seconds(5)));
  const RecordedRequest got = subscriber.requests()[0];
  EXPECT_EQ(got.path, "/sns");
  JsonDocument body;
  ASSERT_TRUE(ParseJson(got.body, JsonLimits{}, "notification", &body).ok()) << got.body;
  EXPECT_EQ(std::string(AsView(body["Type"])), "Notification");
  EXPECT_EQ(std::string(AsView(body["MessageId"])), *id);
  EXPECT_EQ(std::string(AsView(body["TopicArn"])), topic);
  EXPECT_EQ(std::string(AsView(body["Message"])), message);
  EXPECT_EQ(std::string(AsView(body["Subject"])), "ALARM: \"root-alert\" in Asia Pacific (Seoul)");
}

TEST_F(SnsPublishMotoTest, PublishWithoutSubjectLeavesItOut) {
  FakeHttpServer subscriber;
  ASSERT_TRUE(subscriber.Start().ok());
  const std::string topic = Query("Action=CreateTopic&Name=plain", "TopicArn");
  Query("Action=Subscribe&TopicArn=" + AwsFormEncode(topic) +
            "&Protocol=http&Endpoint=" + AwsFormEncode(subscriber.base_url()),
        "SubscriptionArn");
  Result<std::string> id = SnsPublish(client_, credentials_, sns_, topic, "", "hello");
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_TRUE(subscriber.WaitForRequests(1, std::chrono::seconds(5)));
  JsonDocument body;
  ASSERT_TRUE(ParseJson(subscriber.requests()[0].body, JsonLimits{}, "n", &body).ok());
  EXPECT_FALSE(body.HasMember("Subject"));
  EXPECT_EQ(std::string(AsView(body["Message"])), "hello");
}

TEST_F(SnsPublishMotoTest, MissingTopicIsNotFound) {
  Result<std::string> r =
      SnsPublish(client_, credentials_, sns_,
                 "arn:aws:sns:ap-northeast-2:123456789012:no-such-topic", "s", "m");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound) << r.status().message();
  EXPECT_THAT(r.status().message(), HasSubstr("HTTP 404 NotFound"));
  EXPECT_THAT(r.status().message(), HasSubstr("no-such-topic"));
  ExpectNoSecrets(r.status());
}

// ---- loopback fake ----------------------------------------------------------------------------

constexpr char kTopic[] = "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic";

class SnsPublishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    Result<AwsEndpoint> e = ResolveAwsEndpoint(kSnsService, kRegion,
                                               Env({{"AWS_ENDPOINT_URL_SNS", server_.base_url()}}));
    ASSERT_TRUE(e.ok());
    sns_ = *e;
  }
  Result<std::string> Publish(const std::string& subject = "s", const std::string& message = "m") {
    return SnsPublish(client_, credentials_, sns_, kTopic, subject, message);
  }
  static ScriptedReply Xml(int status, std::string body) {
    return ScriptedReply::Answer(status, std::move(body), {{"Content-Type", "text/xml"}});
  }
  static std::string ErrorXml(const std::string& code, const std::string& message) {
    return R"(<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error>)"
           "<Type>Sender</Type><Code>" +
           code + "</Code><Message>" + message +
           "</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
  }

  FakeHttpServer server_;
  HttpClient client_;
  StaticAwsCredentials credentials_{PlantedCredentials()};
  AwsEndpoint sns_;
};

TEST_F(SnsPublishTest, SendsASignedQueryForm) {
  server_.Script({Xml(200, R"(<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">)"
                           "<PublishResult><MessageId>5a1b&amp;c</MessageId></PublishResult>"
                           "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                           "</PublishResponse>")});
  Result<std::string> id = Publish("ALARM: \"root\"", "a b&c=d+e/루트");
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "5a1b&c");
  const RecordedRequest r = server_.requests().at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/");
  EXPECT_EQ(*r.header("content-type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(r.body,
            "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aap-northeast-2%"
            "3A111122223333%3Aroot-alert-topic&Subject=ALARM%3A%20%22root%22&Message=a%20b%26c%"
            "3Dd%2Be%2F%EB%A3%A8%ED%8A%B8");
  EXPECT_EQ(*r.header("x-amz-security-token"), kToken);
  EXPECT_THAT(*r.header("authorization"), HasSubstr("Credential=AKIASNSPUBTEST000001/"));
  EXPECT_THAT(*r.header("authorization"), HasSubstr("/ap-northeast-2/sns/aws4_request"));
}

TEST_F(SnsPublishTest, ErrorsAreClassified) {
  struct Case {
    std::string name;
    ScriptedReply reply;
    Status::Code code;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {"throttled", Xml(400, ErrorXml("Throttling", "Rate exceeded")), Status::Code::kUnavailable,
       "HTTP 400 Throttling: Rate exceeded"},
      {"auth", Xml(403, ErrorXml("AuthorizationError", "User &quot;x&quot; is not authorized")),
       Status::Code::kInvalidArgument, "HTTP 403 AuthorizationError: User \"x\" is not authorized"},
      {"kms", Xml(400, ErrorXml("KMSAccessDenied", "denied")), Status::Code::kInvalidArgument,
       "KMSAccessDenied"},
      {"missing topic", Xml(404, ErrorXml("NotFound", "Topic does not exist")),
       Status::Code::kNotFound, "NotFound"},
      {"5xx html", ScriptedReply::Answer(503, "<html>busy</html>", {{"Content-Type", "text/html"}}),
       Status::Code::kUnavailable, "HTTP 503"},
      {"200 without id", Xml(200, "<PublishResponse><PublishResult/></PublishResponse>"),
       Status::Code::kInternal, "without a PublishResult MessageId"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    server_.Script({c.reply});
    Result<std::string> r = Publish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), c.code) << r.status().message();
    EXPECT_THAT(r.status().message(), HasSubstr(c.expect));
    EXPECT_THAT(r.status().message(), HasSubstr("SNS Publish to " + std::string(kTopic)));
    ExpectNoSecrets(r.status());
  }
}

TEST_F(SnsPublishTest, NoAnswerIsUnavailable) {
  // A fresh client: curl quietly resends a request whose kept-alive connection was closed.
  HttpClient fresh;
  server_.Script({ScriptedReply::Drop()});
  Result<std::string> r = SnsPublish(fresh, credentials_, sns_, kTopic, "s", "m");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable) << r.status().message();
  EXPECT_THAT(r.status().message(), HasSubstr("no answer"));
  ExpectNoSecrets(r.status());
}

TEST_F(SnsPublishTest, AnErrorQuotingTheSecretIsRedacted) {
  server_.Script(
      {Xml(403, ErrorXml("SignatureDoesNotMatch", std::string("The secret ") + kSecret +
                                                      " and token " + kToken + " did not match"))});
  Result<std::string> r = Publish();
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("SignatureDoesNotMatch"));
  ExpectNoSecrets(r.status());
}

TEST_F(SnsPublishTest, BadInputIsRefusedBeforeSending) {
  struct Case {
    std::string topic, subject, message, expect;
  };
  const std::vector<Case> cases = {
      {"root-alert-topic", "s", "m", "is not an SNS topic ARN"},
      {"arn:aws:sqs:ap-northeast-2:1:q", "s", "m", "is not an SNS topic ARN"},
      {kTopic, "s", "", "the message is empty"},
      {kTopic, "s", std::string(256 * 1024 + 1, 'x'), "SNS allows at most 262144"},
      {kTopic, std::string(100, 's'), "m", "subject is 100 characters"},
      {kTopic, "line\nbreak", "m", "printable ASCII"},
      {kTopic, "루트", "m", "printable ASCII"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expect);
    Result<std::string> r = SnsPublish(client_, credentials_, sns_, c.topic, c.subject, c.message);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(c.expect));
  }
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(SnsPublishTest, CredentialFailuresComeBackWithoutSending) {
  class Broken final : public AwsCredentialsProvider {
   public:
    Result<AwsCredentials> Get() override {
      return Status::Unavailable("no credentials: environment (not set)");
    }
  } broken;
  Result<std::string> r = SnsPublish(client_, broken, sns_, kTopic, "s", "m");
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("no credentials"));
  EXPECT_EQ(server_.request_count(), 0u);
}

// ---- helpers ----------------------------------------------------------------------------------

TEST(AwsFormEncodeTest, EncodesAllButUnreserved) {
  EXPECT_EQ(AwsFormEncode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(AwsFormEncode("a b+c/d=e&f%*"), "a%20b%2Bc%2Fd%3De%26f%25%2A");
  EXPECT_EQ(AwsFormEncode("é"), "%C3%A9");
  EXPECT_EQ(AwsFormEncode(std::string("\0\n", 2)), "%00%0A");
}

TEST(XmlElementTextTest, FindsDecodesAndScopes) {
  const std::string xml =
      "<R><Error><Code>A&lt;B&gt;&quot;&apos;&amp;</Code><Message>&#233;&#xAC00;&bogus;"
      "&#0;</Message></Error><Code>outer</Code></R>";
  EXPECT_EQ(XmlElementText(xml, "Code"), "A<B>\"'&");
  EXPECT_EQ(XmlElementText(xml, "Message", "Error"), "é가&bogus;&#0;");
  EXPECT_EQ(XmlElementText(xml, "Code", "Nope"), std::nullopt);
  EXPECT_EQ(XmlElementText(xml, "Missing"), std::nullopt);
  EXPECT_EQ(XmlElementText("<A>unterminated", "A"), std::nullopt);
  EXPECT_EQ(XmlElementText("<A></A>", "A"), "");
  EXPECT_EQ(XmlElementText("<W a=\"1\"><A>x</A></W>", "A", "W"), "x");
}

}  // namespace
}  // namespace rr
