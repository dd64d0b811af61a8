// SigV4 through the one HTTP client (libcurl's CURLOPT_AWS_SIGV4): signatures checked against
// the AWS test-suite vectors and against botocore as an oracle, and secrets kept out of the
// verbose trace and errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "alarm/json.h"
#include "channels/http_client.h"
#include "tests/fakes/fake_providers.h"

namespace rr {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The AWS SigV4 test suite's credentials (docs.aws.amazon.com, "Signature Version 4 test suite").
constexpr char kExampleKeyId[] = "AKIDEXAMPLE";
constexpr char kExampleSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// The parts of "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
struct Authorization {
  std::string credential;
  std::string signed_headers;
  std::string signature;
};

Authorization ParseAuthorization(const std::string& header) {
  Authorization a;
  auto field = [&](const std::string& name) {
    size_t start = header.find(name + "=");
    if (start == std::string::npos) return std::string();
    start += name.size() + 1;
    size_t end = header.find(',', start);
    return header.substr(start, end == std::string::npos ? std::string::npos : end - start);
  };
  a.credential = field("Credential");
  a.signed_headers = field("SignedHeaders");
  a.signature = field("Signature");
  return a;
}

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// botocore's SigV4Auth over the same method, URL, signed headers, body and date: prints the
// signed header list and the signature. It is the reference implementation the SDKs share.
constexpr char kBotocoreOracle[] = R"PY(
import json, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
d = json.load(open(sys.argv[1]))
req = AWSRequest(method=d["method"], url=d["url"], data=d["body"].encode("utf-8"),
                 headers=d["headers"])
req.context["timestamp"] = d["amz_date"]
auth = SigV4Auth(Credentials(d["access_key"], d["secret_key"], d["token"] or None),
                 d["service"], d["region"])
canonical = auth.canonical_request(req)
print(auth.signed_headers(auth.headers_to_sign(req)))
print(auth.signature(auth.string_to_sign(req, canonical), req))
)PY";

struct OracleAnswer {
  std::string signed_headers;
  std::string signature;
  std::string error;
};

// Recomputes the signature of `recorded` (which reached `url`) with botocore.
OracleAnswer AskBotocore(const RecordedRequest& recorded, const std::string& url,
                         const AwsSigV4& sig, const std::string& region,
                         const std::string& service) {
  const Authorization auth = ParseAuthorization(*recorded.header("authorization"));
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "method", recorded.method);
  WriteString(w, "url", url);
  WriteString(w, "body", recorded.body);
  WriteString(w, "amz_date", *recorded.header("x-amz-date"));
  WriteString(w, "access_key", sig.access_key_id);
  WriteString(w, "secret_key", sig.secret_access_key);
  WriteString(w, "token", sig.session_token);
  WriteString(w, "region", region);
  WriteString(w, "service", service);
  w.Key("headers");
  w.StartObject();
  for (const std::string& name : Split(auth.signed_headers, ';')) {
    const std::string* value = recorded.header(name);
    WriteString(w, name, value ? *value : "");
  }
  w.EndObject();
  w.EndObject();

  const std::string dir = ::testing::TempDir() + "/rr_sigv4_oracle";
  std::filesystem::create_directories(dir);
  const std::string script = dir + "/oracle.py";
  const std::string data = dir + "/request.json";
  std::ofstream(script) << kBotocoreOracle;
  std::ofstream(data) << buffer.GetString();
  OracleAnswer answer;
  FILE* pipe = popen(("python3 " + script + " " + data + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    answer.error = "cannot run python3";
    return answer;
  }
  std::string output;
  char chunk[512];
  while (size_t n = fread(chunk, 1, sizeof(chunk), pipe)) output.append(chunk, n);
  const int status = pclose(pipe);
  std::filesystem::remove(data);  // it holds the (test) secret key
  if (status != 0) {
    answer.error = "botocore oracle failed: " + output;
    return answer;
  }
  std::vector<std::string> lines = Split(output, '\n');
  if (lines.size() < 2) {
    answer.error = "botocore oracle printed: " + output;
    return answer;
  }
  answer.signed_headers = lines[0];
  answer.signature = lines[1];
  return answer;
}

class AwsSigV4Test : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start().ok()); }

  AwsSigV4 Credentials(const std::string& provider, std::string token = "") const {
    AwsSigV4 sig;
    sig.provider = provider;
    sig.access_key_id = kExampleKeyId;
    sig.secret_access_key = kExampleSecret;
    sig.session_token = std::move(token);
    return sig;
  }

  RecordedRequest LastRequest() const {
    std::vector<RecordedRequest> all = server_.requests();
    return all.empty() ? RecordedRequest{} : all.back();
  }

  FakeHttpServer server_;
  HttpClient client_;
};

// The suite's get-vanilla and post-vanilla cases: Host example.amazonaws.com, date
// 20150830T123600Z, region us-east-1, service "service". The date and host are the suite's,
// so they are set as headers here (production code leaves both to curl).
TEST_F(AwsSigV4Test, ReproducesTheAwsTestSuiteVectors) {
  struct Case {
    const char* method;
    const char* signature;
  };
  for (const Case& c :
       {Case{"GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
        Case{"POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"}}) {
    HttpRequest request;
    request.method = c.method;
    request.url = server_.base_url() + "/";
    request.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
    request.aws_sigv4 = Credentials("aws:amz:us-east-1:service");
    HttpResponse response = client_.Send(request);
    ASSERT_EQ(response.status, 200) << response.error;
    const RecordedRequest recorded = LastRequest();
    const std::string* authorization = recorded.header("authorization");
    ASSERT_NE(authorization, nullptr);
    EXPECT_EQ(*authorization,
              std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                          "aws4_request, SignedHeaders=host;x-amz-date, Signature=") +
                  c.signature)
        << c.method;
  }
}

// What AwsJsonCall and a Query-protocol call send, each signed by curl now and recomputed by
// botocore from the request as it arrived.
TEST_F(AwsSigV4Test, SignaturesMatchBotocore) {
  struct Case {
    std::string name;
    std::string provider;
    HttpHeaders headers;
    std::string body;
    std::string token;
    std::string expected_signed_headers;
  };
  const std::string token =
      "IQoJb3JpZ2luX2VjEOr//////////wEaDmFwLW5vcnRoZWFzdC0yIkcwRQIgTestSessionToken+/=";
  const std::vector<Case> cases = {
      {"sqs json 1.0 with session token",
       "aws:amz:ap-northeast-2:sqs",
       {{"Content-Type", "application/x-amz-json-1.0"},
        {"X-Amz-Target", "AmazonSQS.ReceiveMessage"}},
       R"({"QueueUrl":"https://sqs.ap-northeast-2.amazonaws.com/111122223333/root-alerts",)"
       R"("MaxNumberOfMessages":10,"WaitTimeSeconds":20})",
       token,
       "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"},
      {"ssm json 1.1, long-term keys, non-ASCII body",
       "aws:amz:ap-northeast-2:ssm",
       {{"Content-Type", "application/x-amz-json-1.1"},
        {"X-Amz-Target", "AmazonSSM.GetParameters"}},
       R"({"Names":["/root-responder/텔레그램"],"WithDecryption":true})",
       "",
       "content-type;host;x-amz-date;x-amz-target"},
      {"cloudwatch query form",
       "aws:amz:ap-northeast-2:monitoring",
       {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
       "Action=SetAlarmState&Version=2010-08-01&AlarmName=root-alert&StateValue=ALARM&"
       "StateReason=drill%20run%2042",
       token,
       "content-type;host;x-amz-date;x-amz-security-token"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    HttpRequest request;
    request.url = server_.base_url() + "/";
    request.headers = c.headers;
    request.body = c.body;
    request.aws_sigv4 = Credentials(c.provider, c.token);
    HttpResponse response = client_.Send(request);
    ASSERT_EQ(response.status, 200) << response.error;
    const RecordedRequest recorded = LastRequest();
    ASSERT_NE(recorded.header("authorization"), nullptr);
    ASSERT_NE(recorded.header("x-amz-date"), nullptr);
    EXPECT_EQ(recorded.body, c.body);
    const Authorization auth = ParseAuthorization(*recorded.header("authorization"));
    EXPECT_EQ(auth.signed_headers, c.expected_signed_headers);
    if (!c.token.empty()) {
      ASSERT_NE(recorded.header("x-amz-security-token"), nullptr);
      EXPECT_EQ(*recorded.header("x-amz-security-token"), c.token);
    }
    std::vector<std::string> scope = Split(c.provider, ':');  // aws, amz, region, service
    EXPECT_EQ(auth.credential, std::string(kExampleKeyId) + "/" +
                                   recorded.header("x-amz-date")->substr(0, 8) + "/" + scope[2] +
                                   "/" + scope[3] + "/aws4_request");
    OracleAnswer oracle =
        AskBotocore(recorded, server_.base_url() + "/", *request.aws_sigv4, scope[2], scope[3]);
    ASSERT_EQ(oracle.error, "");
    EXPECT_EQ(oracle.signed_headers, auth.signed_headers);
    EXPECT_EQ(oracle.signature, auth.signature);
    EXPECT_EQ(auth.signature.size(), 64u);
  }
}

TEST_F(AwsSigV4Test, SecretKeyTokenAndSignatureNeverShowInTheTraceOrErrors) {
  const std::string token = "FwoGZXIvYXdzEPlantedSessionToken0123456789abcdef";
  std::mutex mu;
  std::vector<std::string> lines;
  HttpClientOptions options;
  options.verbose = true;
  options.verbose_sink = [&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    lines.emplace_back(line);
  };
  HttpClient client(options);
  HttpRequest request;
  request.url = server_.base_url() + "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", "AmazonSQS.ListQueues"}};
  request.body = "{}";
  request.aws_sigv4 = Credentials("aws:amz:ap-northeast-2:sqs", token);
  ::testing::internal::CaptureStderr();
  HttpResponse answered = client.Send(request);
  // A failure whose message names the host: the token planted as the host name.
  HttpRequest unresolvable = request;
  unresolvable.aws_sigv4->session_token = "plantedtokenhost0123";
  unresolvable.url = "http://plantedtokenhost0123.invalid/";
  HttpResponse failed = client.Send(unresolvable);
  const std::string stderr_text = ::testing::internal::GetCapturedStderr();

  ASSERT_EQ(answered.status, 200) << answered.error;
  ASSERT_NE(failed.curl_code, 0);
  const Authorization auth = ParseAuthorization(*LastRequest().header("authorization"));
  ASSERT_EQ(auth.signature.size(), 64u);
  std::string all = stderr_text;
  for (const std::string& line : lines) all += line + "\n";
  all += answered.error + "\n" + failed.error + "\n";
  EXPECT_THAT(all, HasSubstr("> X-Amz-Security-Token: <redacted>"));
  EXPECT_THAT(all, HasSubstr("> Authorization: <redacted>"));
  EXPECT_THAT(failed.error, HasSubstr("<redacted>"));
  for (const std::string& planted :
       {std::string(kExampleSecret), token, auth.signature, std::string("plantedtokenhost0123")}) {
    EXPECT_EQ(all.find(planted), std::string::npos) << planted << " leaked in:\n" << all;
  }
}

TEST_F(AwsSigV4Test, RefusesRequestsCurl788WouldSignWrongly) {
  struct Case {
    std::string name;
    std::string url_suffix;
    HttpHeaders headers;
    std::string secret;
    std::string expected_error;
  };
  const std::vector<Case> cases = {
      {"query string", "/?Action=ListQueues", {}, kExampleSecret, "not in a query string"},
      {"empty header", "/", {{"X-Empty", ""}}, kExampleSecret, "empty header (X-Empty)"},
      {"own authorization",
       "/",
       {{"authorization", "Bearer x"}},
       kExampleSecret,
       "its own Authorization header"},
      {"no secret", "/", {}, "", "needs an access key id and a secret access key"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    HttpRequest request;
    request.url = server_.base_url() + c.url_suffix;
    request.headers = c.headers;
    request.aws_sigv4 = Credentials("aws:amz:ap-northeast-2:sqs");
    request.aws_sigv4->secret_access_key = c.secret;
    HttpResponse response = client_.Send(request);
    EXPECT_NE(response.curl_code, 0);
    EXPECT_FALSE(response.request_sent);
    EXPECT_THAT(response.error, HasSubstr(c.expected_error));
    EXPECT_EQ(response.error.find(kExampleSecret), std::string::npos);
  }
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(AwsSigV4Test, UnsignedRequestsAreUnchanged) {
  HttpRequest request;
  request.url = server_.base_url() + "/plain?x=1";
  request.body = "{}";
  HttpResponse response = client_.Send(request);
  ASSERT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(LastRequest().header("authorization"), nullptr);
  EXPECT_EQ(LastRequest().header("x-amz-date"), nullptr);
}

TEST_F(AwsSigV4Test, DateAndScopeComeFromCurlWhenNotGiven) {
  HttpRequest request;
  request.url = server_.base_url() + "/";
  request.body = "{}";
  request.aws_sigv4 = Credentials("aws:amz:cn-north-1:sqs");
  ASSERT_EQ(client_.Send(request).status, 200);
  const RecordedRequest recorded = LastRequest();
  ASSERT_NE(recorded.header("x-amz-date"), nullptr);
  EXPECT_EQ(recorded.header("x-amz-date")->size(), 16u);  // 20260901T031407Z
  EXPECT_THAT(*recorded.header("authorization"),
              StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
  EXPECT_THAT(*recorded.header("authorization"), HasSubstr("/cn-north-1/sqs/aws4_request"));
  EXPECT_EQ(recorded.header("expect"), nullptr);
}

}  // namespace
}  // namespace rr
