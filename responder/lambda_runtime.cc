#include "responder/lambda_runtime.h"

#include <cstdlib>
#include <string_view>

#include <glog/logging.h>

#include "alarm/json.h"
#include "channels/http_client.h"
#include "channels/redact.h"

namespace rr {
namespace {

constexpr char kErrorContentType[] = "application/vnd.aws.lambda.error+json";

// The one HTTP client, with no total timeout and one connection kept alive to the local API.
class HttpRuntimeApi : public RuntimeApi {
 public:
  explicit HttpRuntimeApi(const std::string& host_port)
      : base_("http://" + host_port + "/2018-06-01"), client_(Options()) {}

  Result<Invocation> Next() override {
    HttpRequest request;
    request.method = "GET";
    request.url = base_ + "/runtime/invocation/next";
    HttpResponse r = client_.Send(request);
    if (!r.transport_ok()) return Status::Unavailable("Runtime API: " + r.error);
    if (r.status != 200)
      return Status::Unavailable("next answered HTTP " + std::to_string(r.status));
    Invocation inv;
    inv.payload = std::move(r.body);
    auto header = [&](std::string_view name) {
      const std::string* value = r.header(name);
      return value ? *value : std::string();
    };
    inv.request_id = header("lambda-runtime-aws-request-id");
    inv.function_arn = header("lambda-runtime-invoked-function-arn");
    inv.trace_id = header("lambda-runtime-trace-id");
    inv.deadline = std::chrono::system_clock::time_point(std::chrono::milliseconds(
        std::strtoll(header("lambda-runtime-deadline-ms").c_str(), nullptr, 10)));
    if (inv.request_id.empty()) return Status::Unavailable("next gave no request id");
    return inv;
  }

  Status PostResponse(const std::string& id, const std::string& json) override {
    return Post(base_ + "/runtime/invocation/" + id + "/response", json, "application/json", "");
  }

  Status PostError(const std::string& id, const std::string& type,
                   const std::string& message) override {
    return Post(base_ + "/runtime/invocation/" + id + "/error", LambdaErrorJson(type, message),
                kErrorContentType, type);
  }

  Status PostInitError(const std::string& type, const std::string& message) override {
    return Post(base_ + "/runtime/init/error", LambdaErrorJson(type, message), kErrorContentType,
                type);
  }

 private:
  static HttpClientOptions Options() {
    HttpClientOptions o;
    o.connect_timeout = std::chrono::milliseconds(1000);
    o.total_timeout = std::chrono::milliseconds::zero();  // next may wait while we are frozen
    return o;
  }

  Status Post(const std::string& url, const std::string& body, const std::string& content_type,
              const std::string& error_type) {
    HttpRequest request;
    request.url = url;
    request.body = body;
    request.headers = {{"Content-Type", content_type}};
    if (!error_type.empty())
      request.headers.emplace_back("Lambda-Runtime-Function-Error-Type", error_type);
    HttpResponse r = client_.Send(request);
    if (!r.transport_ok()) return Status::Unavailable("Runtime API: " + r.error);
    if (r.status == 400 && url.find("/invocation/") != std::string::npos) {
      // Our ids come from next, so 400 means this id is answered already: libcurl re-sends a
      // request once when a kept-alive connection closes after the API took the first one.
      LOG(WARNING) << "runtime_api already_answered=true status=400";
      return Status::Ok();
    }
    if (r.status != 202)
      return Status::Unavailable(url + " answered HTTP " + std::to_string(r.status));
    return Status::Ok();
  }

  std::string base_;
  HttpClient client_;
};

// A POST to the Runtime API that fails is tried again a few times, 50 ms apart and doubling:
// the API is local, so anything longer means the environment is going away anyway.
Status WithRetries(const std::function<Status()>& post, Clock& clock, std::string_view what) {
  Status s;
  auto wait = std::chrono::milliseconds(50);
  for (int attempt = 1; attempt <= 4; ++attempt) {
    s = post();
    if (s.ok()) return s;
    LOG(WARNING) << "runtime_api call=" << what << " attempt=" << attempt << " error=\""
                 << s.message() << "\"";
    if (attempt < 4) clock.SleepFor(wait);
    wait *= 2;
  }
  return s;
}

}  // namespace

std::unique_ptr<RuntimeApi> MakeRuntimeApi(const std::string& host_port) {
  return std::make_unique<HttpRuntimeApi>(host_port);
}

std::string LambdaErrorJson(const std::string& error_type, const std::string& message) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);  // RapidJSON keeps UTF-8 intact, unlike aws-lambda-cpp's escaper
  w.StartObject();
  WriteString(w, "errorMessage", RedactKnown(message));
  WriteString(w, "errorType", error_type);
  w.Key("stackTrace");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

int RunRuntimeLoop(RuntimeApi& api, const InvocationHandler& handler, Clock& clock,
                   int max_invocations) {
  int failures_in_a_row = 0;
  for (int handled = 0; max_invocations < 0 || handled < max_invocations;) {
    Result<Invocation> next = api.Next();
    if (!next.ok()) {
      // Lambda answers next unless the environment is being torn down; give up after ~10 s.
      if (++failures_in_a_row >= 10) {
        LOG(ERROR) << "runtime_api call=next giving_up=true error=\"" << next.status().message()
                   << "\"";
        return 1;
      }
      LOG(WARNING) << "runtime_api call=next attempt=" << failures_in_a_row << " error=\""
                   << next.status().message() << "\"";
      clock.SleepFor(std::chrono::milliseconds(100) * failures_in_a_row);
      continue;
    }
    failures_in_a_row = 0;
    ++handled;
    const Invocation& inv = *next;
    if (!inv.trace_id.empty()) setenv("_X_AMZN_TRACE_ID", inv.trace_id.c_str(), 1);
    HandlerResult result;
    try {
      result = handler(inv);
    } catch (const std::exception& e) {
      result = {false, "", "Runtime.UnhandledException", e.what()};
    } catch (...) {
      result = {false, "", "Runtime.UnhandledException", "unknown exception"};
    }
    Status posted =
        result.success
            ? WithRetries([&] { return api.PostResponse(inv.request_id, result.body); }, clock,
                          "response")
            : WithRetries(
                  [&] {
                    return api.PostError(inv.request_id, result.error_type, result.error_message);
                  },
                  clock, "error");
    if (!posted.ok()) {
      LOG(ERROR) << "runtime_api request_id=" << inv.request_id << " result_lost=true error=\""
                 << posted.message() << "\"";
    }
  }
  return 0;
}

}  // namespace rr
