#include "responder/lambda_runtime.h"

#include <cstdlib>
#include <string_view>

#include <curl/curl.h>
#include <glog/logging.h>

#include "alarm/json.h"
#include "channels/redact.h"

namespace rr {
namespace {

constexpr char kErrorContentType[] = "Content-Type: application/vnd.aws.lambda.error+json";

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t CollectHeader(char* data, size_t size, size_t count, void* out) {
  std::string_view line(data, size * count);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(out);
    headers->emplace_back(std::move(name), std::string(value));
  }
  return size * count;
}

// One easy handle, reset before each call (as aws-lambda-cpp does): the loop is sequential.
class CurlRuntimeApi : public RuntimeApi {
 public:
  explicit CurlRuntimeApi(const std::string& host_port)
      : base_("http://" + host_port + "/2018-06-01"), curl_(curl_easy_init()) {}
  ~CurlRuntimeApi() override { curl_easy_cleanup(curl_); }

  Result<Invocation> Next() override {
    Reply r = Perform(base_ + "/runtime/invocation/next", nullptr, {});
    if (!r.status.ok()) return r.status;
    if (r.code != 200) {
      return Status::Unavailable("next answered HTTP " + std::to_string(r.code));
    }
    Invocation inv;
    inv.payload = std::move(r.body);
    for (const auto& [name, value] : r.headers) {
      if (name == "lambda-runtime-aws-request-id") inv.request_id = value;
      if (name == "lambda-runtime-invoked-function-arn") inv.function_arn = value;
      if (name == "lambda-runtime-trace-id") inv.trace_id = value;
      if (name == "lambda-runtime-deadline-ms") {
        inv.deadline = std::chrono::system_clock::time_point(
            std::chrono::milliseconds(std::strtoll(value.c_str(), nullptr, 10)));
      }
    }
    if (inv.request_id.empty()) return Status::Unavailable("next gave no request id");
    return inv;
  }

  Status PostResponse(const std::string& id, const std::string& json) override {
    return Post(base_ + "/runtime/invocation/" + id + "/response", json,
                {"Content-Type: application/json"});
  }

  Status PostError(const std::string& id, const std::string& type,
                   const std::string& message) override {
    return Post(base_ + "/runtime/invocation/" + id + "/error", LambdaErrorJson(type, message),
                {kErrorContentType, "Lambda-Runtime-Function-Error-Type: " + type});
  }

  Status PostInitError(const std::string& type, const std::string& message) override {
    return Post(base_ + "/runtime/init/error", LambdaErrorJson(type, message),
                {kErrorContentType, "Lambda-Runtime-Function-Error-Type: " + type});
  }

 private:
  struct Reply {
    Status status;
    long code = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
  };

  Status Post(const std::string& url, const std::string& body,
              const std::vector<std::string>& headers) {
    Reply r = Perform(url, &body, headers);
    if (!r.status.ok()) return r.status;
    if (r.code == 400 && url.find("/invocation/") != std::string::npos) {
      // Our ids come from next, so 400 means this id is answered already: libcurl re-sends a
      // request once when a kept-alive connection closes after the API took the first one.
      LOG(WARNING) << "runtime_api already_answered=true status=400";
      return Status::Ok();
    }
    if (r.code != 202) return Status::Unavailable(url + " answered HTTP " + std::to_string(r.code));
    return Status::Ok();
  }

  Reply Perform(const std::string& url, const std::string* post_body,
                const std::vector<std::string>& headers) {
    Reply r;
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl_, CURLOPT_PROXY, "");  // the Runtime API is local; never a proxy
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 0L);  // next may wait while the process is frozen
    curl_easy_setopt(curl_, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, AppendBody);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, CollectHeader);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &r.headers);
    curl_slist* list = nullptr;
    for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
    if (post_body) {
      list = curl_slist_append(list, "Expect:");
      curl_easy_setopt(curl_, CURLOPT_POST, 1L);
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, post_body->data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(post_body->size()));
    }
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(list);
    if (code != CURLE_OK) {
      r.status = Status::Unavailable(std::string("Runtime API: ") + curl_easy_strerror(code));
      return r;
    }
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.code);
    return r;
  }

  std::string base_;
  CURL* curl_;
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
  return std::make_unique<CurlRuntimeApi>(host_port);
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
