// The Lambda Runtime API emulator, driven over real sockets the way a custom runtime drives
// Lambda: plain libcurl (one easy handle, kept alive, no timeout on `next`), and rr::HttpClient.
#include "tests/fakes/fake_lambda_runtime.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "alarm/json.h"
#include "channels/http_client.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using Kind = LambdaInvocationResult::Kind;
using Endpoint = FakeLambdaRuntime::Endpoint;
using Failure = FakeLambdaRuntime::Failure;

constexpr char kEvent[] = R"({"Records":[{"EventSource":"aws:sns","Sns":{"Message":"{}"}}]})";

struct CurlAnswer {
  long status = 0;
  HttpHeaders headers;  // names lower-cased
  std::string body;
  CURLcode code = CURLE_OK;

  std::string header(const std::string& lower_case_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_case_name) return value;
    }
    return "";
  }
};

// One libcurl easy handle talking to the emulator, as a runtime would hold one.
class RuntimeClient {
 public:
  explicit RuntimeClient(std::string host_port)
      : base_("http://" + std::move(host_port) + "/2018-06-01"), curl_(curl_easy_init()) {}
  ~RuntimeClient() { curl_easy_cleanup(curl_); }
  RuntimeClient(const RuntimeClient&) = delete;
  RuntimeClient& operator=(const RuntimeClient&) = delete;

  // `timeout` only keeps a broken test from hanging; the runtime sets none on `next`.
  CurlAnswer Next(milliseconds timeout = milliseconds(5000)) {
    return Call("GET", "/runtime/invocation/next", "", {}, timeout);
  }
  CurlAnswer Respond(const std::string& id, const std::string& body,
                     milliseconds timeout = milliseconds(5000)) {
    return Call("POST", "/runtime/invocation/" + id + "/response", body,
                {"Content-Type: application/json"}, timeout);
  }
  CurlAnswer Call(const std::string& method, const std::string& path, const std::string& body,
                  std::vector<std::string> headers, milliseconds timeout = milliseconds(5000)) {
    CurlAnswer answer;
    const std::string url = base_ + path;
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_PROXY, "");
    curl_easy_setopt(curl_, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &AppendBody);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &CollectHeader);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &answer.headers);
    curl_slist* list = nullptr;
    headers.push_back("Expect:");
    for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    if (method == "POST") {
      curl_easy_setopt(curl_, CURLOPT_POST, 1L);
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else if (method != "GET") {
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    answer.code = curl_easy_perform(curl_);
    if (answer.code == CURLE_OK) curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &answer.status);
    curl_slist_free_all(list);
    return answer;
  }

 private:
  static size_t AppendBody(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  }
  static size_t CollectHeader(char* data, size_t size, size_t n, void* out) {
    std::string line(data, size * n);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
      static_cast<HttpHeaders*>(out)->emplace_back(std::move(name), std::move(value));
    }
    return size * n;
  }

  std::string base_;
  CURL* curl_;
};

JsonDocument Parse(const std::string& body) {
  JsonDocument doc;
  Status status = ParseJson(body, JsonLimits{}, "answer", &doc);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in " << body;
  return doc;
}

std::string ErrorTypeOf(const std::string& body) {
  JsonDocument doc = Parse(body);
  if (!doc.IsObject() || !doc.HasMember("errorType") || !doc["errorType"].IsString()) return "";
  return doc["errorType"].GetString();
}

int64_t NowEpochMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class FakeLambdaRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(api_.Start().ok()); }

  // Queues an event and has `client` take it with `next`; returns its request id.
  std::string Deliver(RuntimeClient& client, std::string event = kEvent) {
    const std::string id = api_.Enqueue(std::move(event));
    CurlAnswer next = client.Next();
    EXPECT_EQ(next.status, 200);
    EXPECT_EQ(next.header("lambda-runtime-aws-request-id"), id);
    return id;
  }

  FakeLambdaRuntime api_;
};

// ---- next ----------------------------------------------------------------------------------

TEST_F(FakeLambdaRuntimeTest, NextWaitsForAnInvocationThenDeliversItWithLambdasHeaders) {
  EXPECT_EQ(api_.host_port(), "127.0.0.1:" + std::to_string(api_.port()));
  EXPECT_EQ(api_.next_calls(), 0);
  EXPECT_FALSE(api_.first_next_at().has_value());

  RuntimeClient client(api_.host_port());
  const auto before_first_next = std::chrono::steady_clock::now();
  std::future<CurlAnswer> next = std::async(std::launch::async, [&] { return client.Next(); });
  ASSERT_TRUE(api_.WaitForNextCalls(1, milliseconds(2000)));
  ASSERT_TRUE(api_.first_next_at().has_value());
  EXPECT_GE(*api_.first_next_at(), before_first_next);
  EXPECT_LE(*api_.first_next_at(), std::chrono::steady_clock::now());
  // A long poll: nothing comes back while nothing is queued.
  EXPECT_EQ(next.wait_for(milliseconds(150)), std::future_status::timeout);

  const int64_t earliest = NowEpochMs() + 3000;
  const std::string id = api_.Enqueue(kEvent, milliseconds(3000));
  ASSERT_EQ(next.wait_for(milliseconds(2000)), std::future_status::ready);
  const int64_t latest = NowEpochMs() + 3000;
  CurlAnswer answer = next.get();
  ASSERT_EQ(answer.code, CURLE_OK);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, kEvent);
  EXPECT_EQ(answer.header("content-type"), "application/json");
  EXPECT_EQ(answer.header("lambda-runtime-aws-request-id"), id);
  EXPECT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
  const int64_t deadline = std::stoll(answer.header("lambda-runtime-deadline-ms"));
  EXPECT_GE(deadline, earliest);
  EXPECT_LE(deadline, latest);
  EXPECT_EQ(answer.header("lambda-runtime-invoked-function-arn"),
            FakeLambdaRuntime::kDefaultFunctionArn);
  EXPECT_TRUE(std::regex_match(answer.header("lambda-runtime-trace-id"),
                               std::regex("Root=1-[0-9a-f]{8}-[0-9a-f]{24};"
                                          "Parent=[0-9a-f]{16};Sampled=1")))
      << answer.header("lambda-runtime-trace-id");
  EXPECT_EQ(api_.next_calls(), 1);
  EXPECT_EQ(api_.queued(), 0u);
}

TEST_F(FakeLambdaRuntimeTest, DeliversInvocationsFirstInFirstOutOnOneConnection) {
  const std::string first = api_.Enqueue(R"({"n":1})");
  const std::string second = api_.Enqueue(R"({"n":2})", milliseconds(900000));
  EXPECT_NE(first, second);
  EXPECT_EQ(api_.queued(), 2u);
  RuntimeClient client(api_.host_port());
  CurlAnswer one = client.Next();
  CurlAnswer two = client.Next();
  EXPECT_EQ(one.header("lambda-runtime-aws-request-id"), first);
  EXPECT_EQ(one.body, R"({"n":1})");
  EXPECT_EQ(two.header("lambda-runtime-aws-request-id"), second);
  EXPECT_EQ(two.body, R"({"n":2})");
  // Each invocation's own timeout sets its deadline.
  EXPECT_GT(std::stoll(two.header("lambda-runtime-deadline-ms")), NowEpochMs() + 800000);
  EXPECT_NE(one.header("lambda-runtime-trace-id"), two.header("lambda-runtime-trace-id"));
  EXPECT_EQ(api_.next_calls(), 2);
  EXPECT_EQ(api_.connections_accepted(), 1);  // kept alive, as curl reuses it
}

TEST_F(FakeLambdaRuntimeTest, StopWakesABlockedNext) {
  RuntimeClient client(api_.host_port());
  std::future<CurlAnswer> next =
      std::async(std::launch::async, [&] { return client.Next(milliseconds(8000)); });
  ASSERT_TRUE(api_.WaitForNextCalls(1, milliseconds(2000)));
  const auto start = std::chrono::steady_clock::now();
  api_.Stop();
  api_.Stop();  // idempotent
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
  ASSERT_EQ(next.wait_for(milliseconds(2000)), std::future_status::ready);
  CurlAnswer answer = next.get();
  // Either the 500 got out before the socket closed, or the connection closed first.
  EXPECT_TRUE(answer.status == 500 || answer.code != CURLE_OK)
      << answer.status << " " << answer.code;
}

// ---- response and error --------------------------------------------------------------------

TEST_F(FakeLambdaRuntimeTest, ResponseIsAcceptedOnceAndRecorded) {
  RuntimeClient client(api_.host_port());
  const std::string id = Deliver(client);
  EXPECT_EQ(api_.WaitForResult(id, milliseconds(0)).kind, Kind::kNone);

  CurlAnswer accepted = client.Respond(id, R"({"outcome":"delivered"})");
  EXPECT_EQ(accepted.status, 202);
  EXPECT_EQ(accepted.body, R"({"status":"OK"})");
  LambdaInvocationResult result = api_.WaitForResult(id, milliseconds(1000));
  EXPECT_EQ(result.kind, Kind::kResponse);
  EXPECT_EQ(result.body, R"({"outcome":"delivered"})");
  EXPECT_EQ(result.content_type, "application/json");
  EXPECT_EQ(result.error_type, "");
  EXPECT_FALSE(result.from_init_error);

  // Answered already: 400 InvalidRequestID, for a response and for an error alike.
  CurlAnswer again = client.Respond(id, R"({"outcome":"again"})");
  EXPECT_EQ(again.status, 400);
  JsonDocument body = Parse(again.body);
  ASSERT_TRUE(body.IsObject());
  EXPECT_STREQ(body["errorType"].GetString(), "InvalidRequestID");
  EXPECT_STREQ(body["errorMessage"].GetString(), "Invalid request ID");
  EXPECT_EQ(client.Call("POST", "/runtime/invocation/" + id + "/error", "{}", {}).status, 400);
  EXPECT_EQ(api_.WaitForResult(id, milliseconds(0)).body, R"({"outcome":"delivered"})");
}

TEST_F(FakeLambdaRuntimeTest, UnknownOrUndeliveredRequestIdsAre400) {
  RuntimeClient client(api_.host_port());
  CurlAnswer unknown = client.Respond("8476a536-e9f4-11e8-9739-2dfe598c3fcd", "{}");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(ErrorTypeOf(unknown.body), "InvalidRequestID");
  // Queued but not yet handed out by `next`: the runtime cannot know it.
  const std::string queued = api_.Enqueue(kEvent);
  EXPECT_EQ(client.Respond(queued, "{}").status, 400);
  EXPECT_EQ(client.Call("POST", "/runtime/invocation/" + queued + "/error", "{}", {}).status, 400);
  EXPECT_EQ(api_.WaitForResult(queued, milliseconds(0)).kind, Kind::kNone);
  EXPECT_EQ(api_.WaitForResult("no-such-id", milliseconds(0)).kind, Kind::kNone);
}

TEST_F(FakeLambdaRuntimeTest, ErrorPostRecordsTheErrorTypeHeaderContentTypeAndBody) {
  RuntimeClient client(api_.host_port());
  const std::string id = Deliver(client);
  const std::string error =
      R"({"errorMessage":"no channel got through","errorType":"Delivery.Failed","stackTrace":[]})";
  CurlAnswer accepted = client.Call("POST", "/runtime/invocation/" + id + "/error", error,
                                    {"Content-Type: application/vnd.aws.lambda.error+json",
                                     "Lambda-Runtime-Function-Error-Type: Delivery.Failed"});
  EXPECT_EQ(accepted.status, 202);
  EXPECT_EQ(accepted.body, R"({"status":"OK"})");
  LambdaInvocationResult result = api_.WaitForResult(id, milliseconds(1000));
  EXPECT_EQ(result.kind, Kind::kError);
  EXPECT_EQ(result.body, error);
  EXPECT_EQ(result.content_type, "application/vnd.aws.lambda.error+json");
  EXPECT_EQ(result.error_type, "Delivery.Failed");
  EXPECT_FALSE(result.from_init_error);
  EXPECT_EQ(client.Respond(id, "{}").status, 400);  // an error answers the invocation too
}

TEST_F(FakeLambdaRuntimeTest, AnOversizedResponseIs413AndFinishesTheInvocationWithAnError) {
  api_.set_max_response_bytes(1024);
  EXPECT_EQ(api_.max_response_bytes(), 1024u);
  RuntimeClient client(api_.host_port());
  const std::string fits = Deliver(client);
  EXPECT_EQ(client.Respond(fits, "\"" + std::string(1022, 'x') + "\"").status, 202);

  const std::string id = Deliver(client);
  CurlAnswer too_large = client.Respond(id, "\"" + std::string(1023, 'x') + "\"");
  EXPECT_EQ(too_large.status, 413);
  JsonDocument body = Parse(too_large.body);
  ASSERT_TRUE(body.IsObject());
  EXPECT_STREQ(body["errorType"].GetString(), "RequestEntityTooLarge");
  EXPECT_STREQ(body["errorMessage"].GetString(),
               "Exceeded maximum allowed payload size (1024 bytes).");
  LambdaInvocationResult result = api_.WaitForResult(id, milliseconds(1000));
  EXPECT_EQ(result.kind, Kind::kError);
  EXPECT_EQ(result.error_type, "Function.ResponseSizeTooLarge");
  EXPECT_EQ(ErrorTypeOf(result.body), "Function.ResponseSizeTooLarge");
  EXPECT_EQ(client.Respond(id, "{}").status, 400);  // no second chance, as in Lambda
}

TEST_F(FakeLambdaRuntimeTest, TheDefaultLimitIsSixMebibytes) {
  EXPECT_EQ(api_.max_response_bytes(), 6u * 1024 * 1024);
  RuntimeClient client(api_.host_port());
  const std::string at_limit = Deliver(client);
  EXPECT_EQ(client.Respond(at_limit, std::string(6 * 1024 * 1024, ' ')).status, 202);
  const std::string over = Deliver(client);
  CurlAnswer too_large = client.Respond(over, std::string(6 * 1024 * 1024 + 1, ' '));
  EXPECT_EQ(too_large.status, 413) << too_large.code;
  EXPECT_EQ(ErrorTypeOf(too_large.body), "RequestEntityTooLarge");
}

// ---- init error ----------------------------------------------------------------------------

TEST_F(FakeLambdaRuntimeTest, InitErrorIsRecordedFailsWaitingInvocationsAndEndsNext) {
  RuntimeClient client(api_.host_port());
  const std::string in_flight = Deliver(client);
  const std::string waiting = api_.Enqueue(kEvent);
  const std::string error =
      R"({"errorMessage":"DOORAY_HOOK_URL is not set","errorType":"Runtime.ConfigInvalid"})";
  CurlAnswer accepted = client.Call("POST", "/runtime/init/error", error,
                                    {"Content-Type: application/vnd.aws.lambda.error+json",
                                     "Lambda-Runtime-Function-Error-Type: Runtime.ConfigInvalid"});
  EXPECT_EQ(accepted.status, 202);
  EXPECT_EQ(accepted.body, R"({"status":"OK"})");

  std::vector<LambdaInitError> errors = api_.init_errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].error_type, "Runtime.ConfigInvalid");
  EXPECT_EQ(errors[0].content_type, "application/vnd.aws.lambda.error+json");
  EXPECT_EQ(errors[0].body, error);
  for (const std::string& id : {in_flight, waiting}) {
    LambdaInvocationResult result = api_.WaitForResult(id, milliseconds(1000));
    EXPECT_EQ(result.kind, Kind::kError);
    EXPECT_TRUE(result.from_init_error);
    EXPECT_EQ(result.error_type, "Runtime.ConfigInvalid");
    EXPECT_EQ(result.body, error);
  }
  EXPECT_EQ(api_.queued(), 0u);

  // The environment is done: `next` fails at once, even with work queued.
  api_.Enqueue(kEvent);
  const auto start = std::chrono::steady_clock::now();
  CurlAnswer next = client.Next();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000));
  EXPECT_EQ(next.status, 500);
  EXPECT_EQ(ErrorTypeOf(next.body), "Runtime.InitError");
}

// ---- scripted failures ---------------------------------------------------------------------

TEST_F(FakeLambdaRuntimeTest, ScriptedServerErrorsOnResponseThenItIsAccepted) {
  RuntimeClient client(api_.host_port());
  const std::string id = Deliver(client);
  api_.InjectFailures(Endpoint::kResponse, 2, Failure::kServerError);
  CurlAnswer first = client.Respond(id, R"({"attempt":1})");
  EXPECT_EQ(first.status, 500);
  EXPECT_EQ(ErrorTypeOf(first.body), "InternalServerError");
  EXPECT_EQ(client.Respond(id, R"({"attempt":2})").status, 500);
  EXPECT_EQ(api_.WaitForResult(id, milliseconds(0)).kind, Kind::kNone);
  EXPECT_EQ(client.Respond(id, R"({"attempt":3})").status, 202);
  LambdaInvocationResult result = api_.WaitForResult(id, milliseconds(1000));
  EXPECT_EQ(result.kind, Kind::kResponse);
  EXPECT_EQ(result.body, R"({"attempt":3})");
}

TEST_F(FakeLambdaRuntimeTest, FailuresAreScriptedPerEndpoint) {
  RuntimeClient client(api_.host_port());
  api_.InjectFailures(Endpoint::kError, 1, Failure::kServerError);
  api_.InjectFailures(Endpoint::kInitError, 1, Failure::kServerError);
  const std::string id = Deliver(client);           // `next` is not affected
  EXPECT_EQ(client.Respond(id, "{}").status, 202);  // nor is /response
  EXPECT_EQ(client.Call("POST", "/runtime/init/error", "{}", {}).status, 500);
  EXPECT_TRUE(api_.init_errors().empty());
  const std::string second = Deliver(client);
  EXPECT_EQ(client.Call("POST", "/runtime/invocation/" + second + "/error", "{}", {}).status, 500);
  EXPECT_EQ(client.Call("POST", "/runtime/invocation/" + second + "/error", "{}", {}).status, 202);
  EXPECT_EQ(api_.WaitForResult(second, milliseconds(1000)).kind, Kind::kError);
}

// The drops below go to a fresh connection: on a kept-alive one, libcurl itself retries a
// request that got nothing back (see LibcurlRetriesOnceOnAKeptAliveConnection).
TEST_F(FakeLambdaRuntimeTest, ADroppedResponseLeavesTheInvocationOpenForTheRetry) {
  RuntimeClient client(api_.host_port());
  const std::string id = Deliver(client);
  api_.InjectFailures(Endpoint::kResponse, 1, Failure::kDrop);
  RuntimeClient fresh(api_.host_port());
  CurlAnswer dropped = fresh.Respond(id, R"({"attempt":1})");
  EXPECT_EQ(dropped.code, CURLE_GOT_NOTHING);
  EXPECT_EQ(api_.WaitForResult(id, milliseconds(0)).kind, Kind::kNone);
  EXPECT_EQ(fresh.Respond(id, R"({"attempt":2})").status, 202);
  EXPECT_EQ(api_.WaitForResult(id, milliseconds(1000)).body, R"({"attempt":2})");
}

TEST_F(FakeLambdaRuntimeTest, ADropAfterAcceptMakesTheRetry400) {
  RuntimeClient client(api_.host_port());
  const std::string id = Deliver(client);
  api_.InjectFailures(Endpoint::kResponse, 1, Failure::kDropAfterAccept);
  RuntimeClient fresh(api_.host_port());
  EXPECT_EQ(fresh.Respond(id, R"({"attempt":1})").code, CURLE_GOT_NOTHING);
  LambdaInvocationResult result = api_.WaitForResult(id, milliseconds(1000));
  EXPECT_EQ(result.kind, Kind::kResponse);
  EXPECT_EQ(result.body, R"({"attempt":1})");
  CurlAnswer retry = fresh.Respond(id, R"({"attempt":2})");
  EXPECT_EQ(retry.status, 400);
  EXPECT_EQ(ErrorTypeOf(retry.body), "InvalidRequestID");
  EXPECT_EQ(api_.WaitForResult(id, milliseconds(0)).body, R"({"attempt":1})");
}

// What a runtime holding one curl handle meets: libcurl resends a request once, on a new
// connection, when a reused connection closes without a byte. One drop is then invisible (or,
// after an accept, turns into 400), and it takes two drops in a row for the caller to see one.
TEST_F(FakeLambdaRuntimeTest, LibcurlRetriesOnceOnAKeptAliveConnection) {
  auto response_posts = [&] {
    int n = 0;
    for (const RecordedRequest& r : api_.requests()) {
      if (r.path.size() > 9 && r.path.substr(r.path.size() - 9) == "/response") ++n;
    }
    return n;
  };
  RuntimeClient client(api_.host_port());
  const std::string first = Deliver(client);
  api_.InjectFailures(Endpoint::kResponse, 1, Failure::kDrop);
  EXPECT_EQ(client.Respond(first, R"({"n":1})").status, 202);
  EXPECT_EQ(response_posts(), 2);
  EXPECT_EQ(api_.WaitForResult(first, milliseconds(1000)).body, R"({"n":1})");

  const std::string second = Deliver(client);
  api_.InjectFailures(Endpoint::kResponse, 1, Failure::kDropAfterAccept);
  EXPECT_EQ(client.Respond(second, R"({"n":2})").status, 400);
  EXPECT_EQ(api_.WaitForResult(second, milliseconds(1000)).kind, Kind::kResponse);

  const std::string third = Deliver(client);
  api_.InjectFailures(Endpoint::kResponse, 2, Failure::kDrop);
  EXPECT_EQ(client.Respond(third, R"({"n":3})").code, CURLE_GOT_NOTHING);
  EXPECT_EQ(response_posts(), 6);
  EXPECT_EQ(api_.WaitForResult(third, milliseconds(0)).kind, Kind::kNone);
}

TEST_F(FakeLambdaRuntimeTest, NextCanAnswer500AtOnceWithoutTakingAnInvocation) {
  RuntimeClient client(api_.host_port());
  api_.InjectFailures(Endpoint::kNext, 2, Failure::kServerError);
  // Fails at once although nothing is queued: no long poll for a scripted failure.
  CurlAnswer failed = client.Next(milliseconds(2000));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(ErrorTypeOf(failed.body), "InternalServerError");
  const std::string id = api_.Enqueue(kEvent);
  EXPECT_EQ(client.Next().status, 500);
  EXPECT_EQ(api_.queued(), 1u);
  CurlAnswer next = client.Next();
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.header("lambda-runtime-aws-request-id"), id);
  EXPECT_EQ(api_.next_calls(), 3);
}

TEST_F(FakeLambdaRuntimeTest, NextCanDropTheConnection) {
  const std::string id = api_.Enqueue(kEvent);
  api_.InjectFailures(Endpoint::kNext, 1, Failure::kDrop);
  EXPECT_EQ(RuntimeClient(api_.host_port()).Next().code, CURLE_GOT_NOTHING);
  EXPECT_EQ(api_.queued(), 1u);  // still there for the next call
  EXPECT_EQ(RuntimeClient(api_.host_port()).Next().header("lambda-runtime-aws-request-id"), id);

  // Dropped after it was taken: the invocation is lost in flight and never answered.
  const std::string lost = api_.Enqueue(kEvent);
  api_.InjectFailures(Endpoint::kNext, 1, Failure::kDropAfterAccept);
  EXPECT_EQ(RuntimeClient(api_.host_port()).Next().code, CURLE_GOT_NOTHING);
  EXPECT_EQ(api_.queued(), 0u);
  EXPECT_EQ(api_.WaitForResult(lost, milliseconds(50)).kind, Kind::kNone);
  EXPECT_EQ(api_.next_calls(), 3);
}

// ---- concurrency ---------------------------------------------------------------------------

TEST_F(FakeLambdaRuntimeTest, OtherConnectionsAreAnsweredWhileNextIsParked) {
  RuntimeClient parked(api_.host_port());
  std::future<CurlAnswer> next = std::async(std::launch::async, [&] { return parked.Next(); });
  ASSERT_TRUE(api_.WaitForNextCalls(1, milliseconds(2000)));

  RuntimeClient other(api_.host_port());
  const auto start = std::chrono::steady_clock::now();
  CurlAnswer unknown = other.Respond("not-delivered", "{}", milliseconds(2000));
  EXPECT_EQ(unknown.status, 400) << unknown.code;
  CurlAnswer init =
      other.Call("POST", "/runtime/init/error", "{}",
                 {"Lambda-Runtime-Function-Error-Type: Runtime.Unknown"}, milliseconds(2000));
  EXPECT_EQ(init.status, 202) << init.code;
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1500));
  // The init error also ends the parked `next`.
  ASSERT_EQ(next.wait_for(milliseconds(2000)), std::future_status::ready);
  EXPECT_EQ(next.get().status, 500);
}

TEST_F(FakeLambdaRuntimeTest, WaitForResultGivesUpAfterItsTimeout) {
  const std::string id = api_.Enqueue(kEvent);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(api_.WaitForResult(id, milliseconds(100)).kind, Kind::kNone);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, milliseconds(100));
  EXPECT_LT(waited, milliseconds(1000));
}

// ---- routing, and another client -----------------------------------------------------------

TEST_F(FakeLambdaRuntimeTest, UnknownPathsAre404AndWrongMethods405) {
  RuntimeClient client(api_.host_port());
  EXPECT_EQ(client.Call("POST", "/runtime/invocation/next", "{}", {}).status, 405);
  EXPECT_EQ(client.Call("GET", "/runtime/init/error", "", {}).status, 405);
  EXPECT_EQ(client.Call("GET", "/runtime/invocation/abc/response", "", {}).status, 405);
  EXPECT_EQ(client.Call("POST", "/runtime/invocation/abc/result", "{}", {}).status, 404);
  EXPECT_EQ(client.Call("POST", "/runtime/invocation//response", "{}", {}).status, 404);
  EXPECT_EQ(client.Call("GET", "/runtime/nothing", "", {}).status, 404);
  EXPECT_EQ(api_.next_calls(), 0);
}

TEST_F(FakeLambdaRuntimeTest, ServesRrHttpClientToo) {
  const std::string id = api_.Enqueue(kEvent, milliseconds(5000));
  HttpClient http;
  const std::string base = "http://" + api_.host_port() + "/2018-06-01/runtime/invocation/";
  HttpRequest get;
  get.method = "GET";
  get.url = base + "next";
  HttpResponse next = http.Send(get);
  ASSERT_EQ(next.status, 200) << next.error;
  EXPECT_EQ(next.body, kEvent);
  ASSERT_NE(next.header("lambda-runtime-aws-request-id"), nullptr);
  EXPECT_EQ(*next.header("lambda-runtime-aws-request-id"), id);

  HttpRequest post;
  post.url = base + id + "/response";
  post.headers = {{"Content-Type", "application/json"}};
  post.body = R"({"outcome":"ignored"})";
  HttpResponse accepted = http.Send(post);
  EXPECT_EQ(accepted.status, 202) << accepted.error;
  EXPECT_EQ(api_.WaitForResult(id, milliseconds(1000)).body, R"({"outcome":"ignored"})");
}

}  // namespace
}  // namespace rr
