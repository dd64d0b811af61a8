// The Lambda Runtime API loop (after awslabs/aws-lambda-cpp): next, handle, response or error.
// Unlike that library it retries a failed POST instead of exiting, turns a throwing handler
// into an /error post, reports bad start-up to /runtime/init/error, and sets the error-type
// header. The API is an interface so tests can drive the loop over the emulator's sockets.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "alarm/status.h"
#include "channels/clock.h"

namespace rr {

struct Invocation {
  std::string request_id;
  std::string payload;
  std::chrono::system_clock::time_point deadline;  // from Lambda-Runtime-Deadline-Ms
  std::string function_arn;
  std::string trace_id;
};

class RuntimeApi {
 public:
  virtual ~RuntimeApi() = default;
  virtual Result<Invocation> Next() = 0;  // blocks with no timeout, as Lambda may freeze us
  virtual Status PostResponse(const std::string& request_id, const std::string& json) = 0;
  virtual Status PostError(const std::string& request_id, const std::string& error_type,
                           const std::string& message) = 0;
  virtual Status PostInitError(const std::string& error_type, const std::string& message) = 0;
};

// The Runtime API at AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001"), over libcurl.
std::unique_ptr<RuntimeApi> MakeRuntimeApi(const std::string& host_port);

struct HandlerResult {
  bool success = true;
  std::string body;        // the response JSON on success
  std::string error_type;  // "Delivery.Failed", ...
  std::string error_message;
};
using InvocationHandler = std::function<HandlerResult(const Invocation&)>;

// The error body Lambda expects: {"errorMessage":..,"errorType":..,"stackTrace":[]}.
std::string LambdaErrorJson(const std::string& error_type, const std::string& message);

// Runs until `max_invocations` are handled (negative: forever) or the API stays unreachable;
// returns the process exit status. Every failure is logged; none ends the loop silently.
int RunRuntimeLoop(RuntimeApi& api, const InvocationHandler& handler, Clock& clock,
                   int max_invocations = -1);

}  // namespace rr
