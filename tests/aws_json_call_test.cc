// AwsJsonCall against moto_server (SQS and SSM over real SigV4 requests) and against a loopback
// fake for the answers moto cannot be made to give (throttling, 5xx, dropped connections).
#include "responder/aws_json_call.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "tests/fakes/fake_providers.h"
#include "tests/fakes/moto_server.h"
#include "tests/support/map_env.h"
#include "tests/support/moto_suite.h"

namespace rr {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kRegion[] = "ap-northeast-2";

AwsCredentials TestCredentials(std::string token = "") {
  AwsCredentials c;
  c.access_key_id = "AKIAJSONCALLTEST0001";
  c.secret_access_key = "jsonCallSecret/planted+000000000000000001";
  c.session_token = std::move(token);
  c.source = "test";
  return c;
}

GetEnv Env(std::map<std::string, std::string> vars) { return testing::MapEnv(std::move(vars)); }

std::string Str(const JsonValue& object, const char* key) {
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsString() ? std::string(AsView(it->value)) : "";
}

// One moto_server for the suite: it takes a second or two to start.
class AwsJsonCallMotoTest : public testing::MotoSuiteTest {
 protected:
  void SetUp() override {
    MotoSuiteTest::SetUp();
    if (HasFatalFailure()) return;
    Result<AwsEndpoint> sqs =
        ResolveAwsEndpoint(kSqsService, kRegion, Env(moto_->Environment(kRegion)));
    Result<AwsEndpoint> ssm =
        ResolveAwsEndpoint(kSsmService, kRegion, Env(moto_->Environment(kRegion)));
    ASSERT_TRUE(sqs.ok() && ssm.ok());
    sqs_ = *sqs;
    ssm_ = *ssm;
  }

  AwsJsonReply Sqs(const std::string& operation, const std::string& body) {
    return AwsJsonCall(client_, credentials_, sqs_, "AmazonSQS." + operation, body);
  }

  AwsEndpoint sqs_;
  AwsEndpoint ssm_;
  AwsCredentials credentials_ = TestCredentials("sessionTokenForMoto");
  HttpClient client_;
};

TEST_F(AwsJsonCallMotoTest, SqsQueueLifecycle) {
  AwsJsonReply created = Sqs("CreateQueue", R"({"QueueName":"root-alerts"})");
  ASSERT_TRUE(created.ok()) << created.status.message();
  const std::string queue = Str(created.answer, "QueueUrl");
  ASSERT_THAT(queue, HasSubstr("/root-alerts"));
  const std::string q = "\"QueueUrl\":\"" + queue + "\"";

  const std::string body = R"({\"AlarmName\":\"root-alert\",\"NewStateValue\":\"ALARM\"})";
  AwsJsonReply sent = Sqs("SendMessage", "{" + q + R"(,"MessageBody":")" + body + "\"}");
  ASSERT_TRUE(sent.ok()) << sent.status.message();
  EXPECT_FALSE(Str(sent.answer, "MessageId").empty());
  EXPECT_FALSE(sent.request_id.empty());

  const std::string receive = "{" + q +
                              R"(,"MaxNumberOfMessages":10,"WaitTimeSeconds":1,)"
                              R"("VisibilityTimeout":30,"MessageSystemAttributeNames":["All"]})";
  AwsJsonReply got = Sqs("ReceiveMessage", receive);
  ASSERT_TRUE(got.ok()) << got.status.message();
  ASSERT_TRUE(got.answer.HasMember("Messages"));
  const JsonValue& message = got.answer["Messages"][0];
  EXPECT_EQ(Str(message, "Body"), R"({"AlarmName":"root-alert","NewStateValue":"ALARM"})");
  EXPECT_EQ(Str(message["Attributes"], "ApproximateReceiveCount"), "1");
  const std::string handle = Str(message, "ReceiptHandle");
  ASSERT_FALSE(handle.empty());

  // Visibility 0: the message is back at once, received a second time.
  AwsJsonReply hidden = Sqs("ChangeMessageVisibility", "{" + q + R"(,"ReceiptHandle":")" + handle +
                                                           R"(","VisibilityTimeout":0})");
  ASSERT_TRUE(hidden.ok()) << hidden.status.message();
  AwsJsonReply again = Sqs("ReceiveMessage", receive);
  ASSERT_TRUE(again.ok()) << again.status.message();
  ASSERT_TRUE(again.answer.HasMember("Messages"));
  const JsonValue& second = again.answer["Messages"][0];
  EXPECT_EQ(Str(second["Attributes"], "ApproximateReceiveCount"), "2");

  AwsJsonReply deleted = Sqs(
      "DeleteMessage", "{" + q + R"(,"ReceiptHandle":")" + Str(second, "ReceiptHandle") + "\"}");
  ASSERT_TRUE(deleted.ok()) << deleted.status.message();

  // An empty long poll waits its second and answers {} (no Messages key).
  const auto start = std::chrono::steady_clock::now();
  AwsJsonReply empty = Sqs("ReceiveMessage", receive);
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(empty.ok()) << empty.status.message();
  EXPECT_FALSE(empty.answer.HasMember("Messages"));
  EXPECT_GE(waited, std::chrono::milliseconds(900));
}

TEST_F(AwsJsonCallMotoTest, NonExistentQueueIsParsed) {
  AwsJsonReply r = Sqs("GetQueueUrl", R"({"QueueName":"no-such-queue"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.error_code, "QueueDoesNotExist");
  EXPECT_EQ(r.query_error_code, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_TRUE(r.IsError("NonExistentQueue"));
  EXPECT_TRUE(r.IsError("QueueDoesNotExist"));
  EXPECT_FALSE(r.IsError("Throttling"));
  EXPECT_EQ(r.error_message, "The specified queue does not exist.");
  EXPECT_FALSE(r.retryable);
  EXPECT_EQ(r.status.code(), Status::Code::kNotFound);
  EXPECT_THAT(r.status.message(),
              HasSubstr("AmazonSQS.GetQueueUrl at " + moto_->url() +
                        ": HTTP 400 QueueDoesNotExist: The specified queue does not exist."));
}

TEST_F(AwsJsonCallMotoTest, SsmParameterNotFoundIsParsed) {
  AwsJsonReply r = AwsJsonCall(client_, credentials_, ssm_, "AmazonSSM.GetParameter",
                               R"({"Name":"/root-responder/nothing","WithDecryption":true})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_code, "ParameterNotFound");
  EXPECT_TRUE(r.IsError("ParameterNotFound"));
  EXPECT_EQ(r.status.code(), Status::Code::kNotFound);
  EXPECT_FALSE(r.retryable);
}

TEST_F(AwsJsonCallMotoTest, CredentialsComeFromTheProviderPerCall) {
  StaticAwsCredentials provider(TestCredentials());
  AwsJsonReply r = AwsJsonCall(client_, provider, sqs_, "AmazonSQS.ListQueues", "");
  ASSERT_TRUE(r.ok()) << r.status.message();
  EXPECT_TRUE(r.answer.IsObject());
}

// ---- answers moto does not give ------------------------------------------------------------

class AwsJsonCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    Result<AwsEndpoint> e =
        ResolveAwsEndpoint(kSqsService, kRegion, Env({{"AWS_ENDPOINT_URL", server_.base_url()}}));
    ASSERT_TRUE(e.ok());
    endpoint_ = *e;
  }
  AwsJsonReply Call(const AwsJsonCallOptions& options = {}) {
    return AwsJsonCall(client_, TestCredentials("tokenPlanted0001"), endpoint_,
                       "AmazonSQS.ReceiveMessage", R"({"QueueUrl":"q"})", options);
  }

  FakeHttpServer server_;
  AwsEndpoint endpoint_;
  HttpClient client_;
};

TEST_F(AwsJsonCallTest, SendsTheAwsJsonShape) {
  AwsJsonCallOptions options;
  options.extra_headers = {{"x-amzn-query-mode", "true"}};
  ASSERT_TRUE(Call(options).ok());
  const RecordedRequest r = server_.requests().at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/");
  EXPECT_EQ(*r.header("content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(*r.header("x-amz-target"), "AmazonSQS.ReceiveMessage");
  EXPECT_EQ(*r.header("x-amz-security-token"), "tokenPlanted0001");
  EXPECT_EQ(*r.header("x-amzn-query-mode"), "true");
  EXPECT_EQ(r.body, R"({"QueueUrl":"q"})");
  EXPECT_THAT(*r.header("authorization"),
              StartsWith("AWS4-HMAC-SHA256 Credential=AKIAJSONCALLTEST0001/"));
  EXPECT_THAT(*r.header("authorization"),
              HasSubstr("/ap-northeast-2/sqs/aws4_request, SignedHeaders=content-type;host;"
                        "x-amz-date;x-amz-security-token;x-amz-target;x-amzn-query-mode,"));
}

TEST_F(AwsJsonCallTest, RetryableAndFinalErrors) {
  struct Case {
    std::string name;
    ScriptedReply reply;
    bool retryable;
    bool throttled;
    std::string code;
    Status::Code status;
  };
  const HttpHeaders json = {{"Content-Type", "application/x-amz-json-1.0"}};
  const std::vector<Case> cases = {
      {"throttling",
       ScriptedReply::Answer(400,
                             R"({"__type":"com.amazon.coral.availability#ThrottlingException",)"
                             R"("message":"Rate exceeded"})",
                             json),
       true, true, "ThrottlingException", Status::Code::kUnavailable},
      {"sqs throttling by query code",
       ScriptedReply::Answer(400, R"({"__type":"com.amazonaws.sqs#RequestThrottled"})",
                             {{"x-amzn-query-error", "RequestThrottled;Sender"}}),
       true, true, "RequestThrottled", Status::Code::kUnavailable},
      {"error type header wins",
       ScriptedReply::Answer(400, R"({"__type":"Other","message":"m"})",
                             {{"X-Amzn-ErrorType", "AccessDeniedException:http://internal/"}}),
       false, false, "AccessDeniedException", Status::Code::kInvalidArgument},
      {"5xx html from a proxy",
       ScriptedReply::Answer(503, "<html>busy</html>", {{"Content-Type", "text/html"}}), true,
       false, "", Status::Code::kUnavailable},
      {"internal error", ScriptedReply::Answer(500, R"({"__type":"InternalError"})", json), true,
       false, "InternalError", Status::Code::kUnavailable},
      {"429", ScriptedReply::Answer(429, "{}", json), true, true, "", Status::Code::kUnavailable},
      {"validation", ScriptedReply::Answer(400, R"({"__type":"ValidationException"})", json), false,
       false, "ValidationException", Status::Code::kInvalidArgument},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    server_.Script({c.reply});
    AwsJsonReply r = Call();
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.retryable, c.retryable);
    EXPECT_EQ(r.throttled, c.throttled);
    EXPECT_EQ(r.error_code, c.code);
    EXPECT_EQ(r.status.code(), c.status) << r.status.message();
    EXPECT_THAT(r.status.message(), HasSubstr("AmazonSQS.ReceiveMessage at "));
    EXPECT_THAT(r.status.message(), HasSubstr("HTTP " + std::to_string(c.reply.status)));
  }
}

TEST_F(AwsJsonCallTest, NoAnswerIsRetryable) {
  server_.Script({ScriptedReply::Drop()});
  AwsJsonReply dropped = Call();
  EXPECT_FALSE(dropped.ok());
  EXPECT_TRUE(dropped.retryable);
  EXPECT_EQ(dropped.http_status, 0);
  EXPECT_THAT(dropped.status.message(), HasSubstr("no answer"));

  server_.Script({ScriptedReply::Slow(std::chrono::milliseconds(2000))});
  AwsJsonCallOptions quick;
  quick.timeout = std::chrono::milliseconds(200);
  AwsJsonReply slow = Call(quick);
  EXPECT_TRUE(slow.retryable);
  EXPECT_EQ(slow.status.code(), Status::Code::kDeadlineExceeded) << slow.status.message();
}

TEST_F(AwsJsonCallTest, AnswersThatAreNotJsonObjects) {
  server_.Script({ScriptedReply::Answer(200, "<xml/>"), ScriptedReply::Answer(200, "")});
  AwsJsonReply garbage = Call();
  EXPECT_EQ(garbage.status.code(), Status::Code::kInternal);
  EXPECT_FALSE(garbage.retryable);
  AwsJsonReply empty = Call();
  ASSERT_TRUE(empty.ok()) << empty.status.message();
  EXPECT_TRUE(empty.answer.IsObject());
  EXPECT_EQ(empty.answer.MemberCount(), 0u);
}

TEST_F(AwsJsonCallTest, ProviderFailuresComeBackAsTheReply) {
  class Failing : public AwsCredentialsProvider {
   public:
    Result<AwsCredentials> Get() override {
      return Status::Unavailable("no AWS credentials found: (test)");
    }
  } failing;
  AwsJsonReply r = AwsJsonCall(client_, failing, endpoint_, "AmazonSQS.ListQueues", "{}");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.retryable);
  EXPECT_THAT(r.status.message(), HasSubstr("no AWS credentials found"));
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(AwsJsonCallTest, QueryOnlyServicesAreRefused) {
  Result<AwsEndpoint> sns = ResolveAwsEndpoint(kSnsService, kRegion, Env({}));
  ASSERT_TRUE(sns.ok());
  AwsJsonReply r = AwsJsonCall(client_, TestCredentials(), *sns, "AmazonSNS.Publish", "{}");
  EXPECT_THAT(r.status.message(), HasSubstr("no AWS JSON protocol"));
}

TEST(AwsErrorCodeTest, SmithyRules) {
  EXPECT_EQ(AwsErrorCode("com.amazonaws.sqs#QueueDoesNotExist"), "QueueDoesNotExist");
  EXPECT_EQ(AwsErrorCode("ParameterNotFound"), "ParameterNotFound");
  EXPECT_EQ(AwsErrorCode("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError");
  EXPECT_EQ(AwsErrorCode("aws.protocoltests.restjson#FooError:http://internal.amazon.com/"),
            "FooError");
  EXPECT_EQ(AwsErrorCode(""), "");
  EXPECT_TRUE(IsRetryableAwsError(502, ""));
  EXPECT_TRUE(IsRetryableAwsError(400, "RequestTimeout"));
  EXPECT_FALSE(IsRetryableAwsError(403, "AccessDeniedException"));
}

}  // namespace
}  // namespace rr
