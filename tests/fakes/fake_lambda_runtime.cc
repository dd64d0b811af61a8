#include "tests/fakes/fake_lambda_runtime.h"

#include <cstdio>
#include <string_view>
#include <utility>

#include "alarm/json.h"

namespace rr {
namespace {

constexpr std::string_view kApiPrefix = "/2018-06-01/runtime/";
constexpr const char* kJson = "application/json";

// {"errorMessage":...,"errorType":...}, the Runtime API's error shape.
std::string ErrorBody(std::string_view type, std::string_view message) {
  rapidjson::StringBuffer buffer;
  JsonWriter out(buffer);
  out.StartObject();
  WriteString(out, "errorMessage", message);
  WriteString(out, "errorType", type);
  out.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

ScriptedReply JsonReply(int status, std::string body) {
  return ScriptedReply::Answer(status, std::move(body), {{"Content-Type", kJson}});
}

ScriptedReply Accepted() { return JsonReply(202, R"({"status":"OK"})"); }

ScriptedReply InvalidRequestId() {
  return JsonReply(400, ErrorBody("InvalidRequestID", "Invalid request ID"));
}

ScriptedReply InternalServerError() {
  return JsonReply(500, ErrorBody("InternalServerError", "Internal Server Error"));
}

std::string HeaderOrEmpty(const RecordedRequest& request, std::string_view lower_case_name) {
  const std::string* value = request.header(lower_case_name);
  return value == nullptr ? std::string() : *value;
}

}  // namespace

FakeLambdaRuntime::FakeLambdaRuntime(std::string function_arn)
    : function_arn_(std::move(function_arn)), random_(std::random_device{}()) {
  set_concurrent_answers(true);  // a parked `next` must not hold up other connections
}

FakeLambdaRuntime::~FakeLambdaRuntime() { Stop(); }

void FakeLambdaRuntime::Stop() {
  {
    std::lock_guard<std::mutex> lock(state_mu_);
    stopped_ = true;
  }
  state_cv_.notify_all();  // a blocked `next` returns, so its connection thread can be joined
  FakeHttpServer::Stop();  // idempotent
}

std::string FakeLambdaRuntime::host_port() const { return "127.0.0.1:" + std::to_string(port()); }

std::string FakeLambdaRuntime::Enqueue(std::string event_json, std::chrono::milliseconds timeout) {
  std::string id;
  {
    std::lock_guard<std::mutex> lock(state_mu_);
    id = NewRequestId();
    Invocation& invocation = invocations_[id];
    invocation.request_id = id;
    invocation.event = std::move(event_json);
    invocation.timeout = timeout;
    queue_.push_back(id);
  }
  state_cv_.notify_all();
  return id;
}

LambdaInvocationResult FakeLambdaRuntime::WaitForResult(const std::string& request_id,
                                                        std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(state_mu_);
  auto answered = [&] {
    auto it = invocations_.find(request_id);
    return it == invocations_.end() || stopped_ ||
           it->second.result.kind != LambdaInvocationResult::Kind::kNone;
  };
  state_cv_.wait_for(lock, timeout, answered);
  auto it = invocations_.find(request_id);
  return it == invocations_.end() ? LambdaInvocationResult{} : it->second.result;
}

std::vector<LambdaInitError> FakeLambdaRuntime::init_errors() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return init_errors_;
}

int FakeLambdaRuntime::next_calls() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return next_calls_;
}

std::optional<std::chrono::steady_clock::time_point> FakeLambdaRuntime::first_next_at() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return first_next_at_;
}

bool FakeLambdaRuntime::WaitForNextCalls(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(state_mu_);
  return state_cv_.wait_for(lock, timeout, [&] { return next_calls_ >= n; });
}

std::size_t FakeLambdaRuntime::queued() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return queue_.size();
}

void FakeLambdaRuntime::InjectFailures(Endpoint endpoint, int count, Failure failure) {
  std::lock_guard<std::mutex> lock(state_mu_);
  for (int i = 0; i < count; ++i) failures_[endpoint].push_back(failure);
}

std::size_t FakeLambdaRuntime::max_response_bytes() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return max_response_bytes_;
}

void FakeLambdaRuntime::set_max_response_bytes(std::size_t bytes) {
  std::lock_guard<std::mutex> lock(state_mu_);
  max_response_bytes_ = bytes;
}

ScriptedReply FakeLambdaRuntime::Answer(const RecordedRequest& request) {
  std::string_view path = request.path;
  if (path.substr(0, kApiPrefix.size()) != kApiPrefix) {
    return ScriptedReply::Answer(404, "404 page not found\n",
                                 {{"Content-Type", "text/plain; charset=utf-8"}});
  }
  path.remove_prefix(kApiPrefix.size());
  auto method_not_allowed = [] {
    return ScriptedReply::Answer(405, "", {{"Content-Type", "text/plain; charset=utf-8"}});
  };
  if (path == "invocation/next") {
    return request.method == "GET" ? AnswerNext() : method_not_allowed();
  }
  if (path == "init/error") {
    return request.method == "POST" ? AnswerInitError(request) : method_not_allowed();
  }
  constexpr std::string_view kInvocation = "invocation/";
  if (path.substr(0, kInvocation.size()) == kInvocation) {
    path.remove_prefix(kInvocation.size());
    const size_t slash = path.find('/');
    if (slash != 0 && slash != std::string_view::npos) {
      const std::string id(path.substr(0, slash));
      const std::string_view action = path.substr(slash + 1);
      if (action == "response" || action == "error") {
        return request.method == "POST" ? AnswerPost(request, id, action == "error")
                                        : method_not_allowed();
      }
    }
  }
  return ScriptedReply::Answer(404, "404 page not found\n",
                               {{"Content-Type", "text/plain; charset=utf-8"}});
}

ScriptedReply FakeLambdaRuntime::AnswerNext() {
  std::unique_lock<std::mutex> lock(state_mu_);
  ++next_calls_;
  if (!first_next_at_) first_next_at_ = std::chrono::steady_clock::now();
  state_cv_.notify_all();  // for WaitForNextCalls
  const std::optional<Failure> failure = TakeFailure(Endpoint::kNext);
  if (failure == Failure::kServerError) return InternalServerError();
  if (failure == Failure::kDrop) return ScriptedReply::Drop();

  state_cv_.wait(lock, [&] { return stopped_ || !init_errors_.empty() || !queue_.empty(); });
  if (!init_errors_.empty()) {
    return JsonReply(500, ErrorBody("Runtime.InitError",
                                    "The runtime reported an init error; the execution "
                                    "environment is shut down. Runtime should exit promptly."));
  }
  if (stopped_) return InternalServerError();

  Invocation& invocation = invocations_[queue_.front()];
  queue_.pop_front();
  invocation.delivered = true;
  if (failure == Failure::kDropAfterAccept) return ScriptedReply::Drop();  // lost in flight

  const auto deadline = std::chrono::system_clock::now() + invocation.timeout;
  const int64_t deadline_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline.time_since_epoch()).count();
  return ScriptedReply::Answer(200, invocation.event,
                               {
                                   {"Content-Type", kJson},
                                   {"Lambda-Runtime-Aws-Request-Id", invocation.request_id},
                                   {"Lambda-Runtime-Deadline-Ms", std::to_string(deadline_ms)},
                                   {"Lambda-Runtime-Invoked-Function-Arn", function_arn_},
                                   {"Lambda-Runtime-Trace-Id", NewTraceId()},
                               });
}

ScriptedReply FakeLambdaRuntime::AnswerPost(const RecordedRequest& request,
                                            const std::string& request_id, bool is_error) {
  std::unique_lock<std::mutex> lock(state_mu_);
  const std::optional<Failure> failure =
      TakeFailure(is_error ? Endpoint::kError : Endpoint::kResponse);
  if (failure == Failure::kServerError) return InternalServerError();
  if (failure == Failure::kDrop) return ScriptedReply::Drop();

  auto it = invocations_.find(request_id);
  if (it == invocations_.end() || !it->second.delivered ||
      it->second.result.kind != LambdaInvocationResult::Kind::kNone) {
    return InvalidRequestId();
  }
  LambdaInvocationResult& result = it->second.result;
  ScriptedReply reply = Accepted();
  if (is_error) {
    result.kind = LambdaInvocationResult::Kind::kError;
    result.body = request.body;
    result.content_type = HeaderOrEmpty(request, "content-type");
    result.error_type = HeaderOrEmpty(request, "lambda-runtime-function-error-type");
  } else if (request.body.size() > max_response_bytes_) {
    // As Lambda does: the invoker gets an error in place of the response.
    char message[160];
    std::snprintf(message, sizeof(message),
                  "Response payload size (%zu bytes) exceeded maximum allowed payload size (%zu "
                  "bytes).",
                  request.body.size(), max_response_bytes_);
    result.kind = LambdaInvocationResult::Kind::kError;
    result.error_type = "Function.ResponseSizeTooLarge";
    result.content_type = kJson;
    result.body = ErrorBody(result.error_type, message);
    std::snprintf(message, sizeof(message), "Exceeded maximum allowed payload size (%zu bytes).",
                  max_response_bytes_);
    reply = JsonReply(413, ErrorBody("RequestEntityTooLarge", message));
  } else {
    result.kind = LambdaInvocationResult::Kind::kResponse;
    result.body = request.body;
    result.content_type = HeaderOrEmpty(request, "content-type");
  }
  lock.unlock();
  state_cv_.notify_all();
  if (failure == Failure::kDropAfterAccept) return ScriptedReply::Drop();
  return reply;
}

ScriptedReply FakeLambdaRuntime::AnswerInitError(const RecordedRequest& request) {
  std::unique_lock<std::mutex> lock(state_mu_);
  const std::optional<Failure> failure = TakeFailure(Endpoint::kInitError);
  if (failure == Failure::kServerError) return InternalServerError();
  if (failure == Failure::kDrop) return ScriptedReply::Drop();

  LambdaInitError error{HeaderOrEmpty(request, "lambda-runtime-function-error-type"),
                        HeaderOrEmpty(request, "content-type"), request.body};
  // Whatever was waiting for this environment gets the init error.
  for (auto& [id, invocation] : invocations_) {
    if (invocation.result.kind != LambdaInvocationResult::Kind::kNone) continue;
    invocation.result.kind = LambdaInvocationResult::Kind::kError;
    invocation.result.body = error.body;
    invocation.result.content_type = error.content_type;
    invocation.result.error_type = error.error_type;
    invocation.result.from_init_error = true;
  }
  queue_.clear();
  init_errors_.push_back(std::move(error));
  lock.unlock();
  state_cv_.notify_all();
  if (failure == Failure::kDropAfterAccept) return ScriptedReply::Drop();
  return Accepted();
}

std::optional<FakeLambdaRuntime::Failure> FakeLambdaRuntime::TakeFailure(Endpoint endpoint) {
  auto it = failures_.find(endpoint);
  if (it == failures_.end() || it->second.empty()) return std::nullopt;
  const Failure failure = it->second.front();
  it->second.pop_front();
  return failure;
}

std::string FakeLambdaRuntime::RandomHex(int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<size_t>(digits));
  for (int i = 0; i < digits; ++i) out += kHex[random_() & 0xF];
  return out;
}

std::string FakeLambdaRuntime::NewRequestId() {
  // A version 4 UUID, as Lambda's request ids are.
  std::string id = RandomHex(8) + "-" + RandomHex(4) + "-4" + RandomHex(3) + "-" +
                   "89ab"[random_() & 3] + RandomHex(3) + "-" + RandomHex(12);
  return invocations_.count(id) == 0 ? id : NewRequestId();
}

std::string FakeLambdaRuntime::NewTraceId() {
  char epoch[16];
  std::snprintf(
      epoch, sizeof(epoch), "%08llx",
      static_cast<unsigned long long>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count()));
  return "Root=1-" + std::string(epoch) + "-" + RandomHex(24) + ";Parent=" + RandomHex(16) +
         ";Sampled=1";
}

}  // namespace rr
