// A loopback emulator of the Lambda Runtime API (shared/reference/aws-formats.md section 6), for
// driving the `lambda` run mode over real sockets. It plays the Lambda side of one execution
// environment: tests queue invocations, the runtime under test polls for them and posts the
// results, and tests read back what was posted.
//
// Endpoints, under the base path /2018-06-01:
//   GET  /runtime/invocation/next         blocks (no timeout) until an invocation is queued,
//        then 200 with the event as the body and the headers Lambda-Runtime-Aws-Request-Id,
//        Lambda-Runtime-Deadline-Ms (epoch ms: delivery time + the invocation's timeout),
//        Lambda-Runtime-Invoked-Function-Arn, Lambda-Runtime-Trace-Id
//        (Root=1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx;Parent=xxxxxxxxxxxxxxxx;Sampled=1) and
//        Content-Type: application/json. Invocations are delivered first in, first out.
//   POST /runtime/invocation/{id}/response 202 {"status":"OK"}.
//        An id that was never delivered by `next`, or is already answered (by a response or an
//        error): 400 {"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}, as the
//        AWS runtime interface emulator answers.
//        A body over max_response_bytes() (6 MiB): 413 {"errorMessage":"Exceeded maximum allowed
//        payload size (6291456 bytes).","errorType":"RequestEntityTooLarge"}; the invocation is
//        then finished with an error of type Function.ResponseSizeTooLarge (what the invoker
//        gets from Lambda), so a later post for it gets 400.
//   POST /runtime/invocation/{id}/error    202 {"status":"OK"}; records the
//        Lambda-Runtime-Function-Error-Type header, the Content-Type and the body. Unknown or
//        answered id: 400 as above.
//   POST /runtime/init/error               202 {"status":"OK"}; records it. Every invocation
//        queued or in flight finishes with that error (Lambda serves an init error to the
//        invoke that started the environment), and from then on `next` answers 500
//        {"errorMessage":"...","errorType":"Runtime.InitError"} at once: Lambda would stop the
//        environment, and 500 is the API's "non-recoverable state, runtime should exit
//        promptly". (Real Lambda kills the process instead; the AWS emulator answers 403
//        InvalidStateTransition.) A blocked `next` is woken the same way.
// Other paths get 404, other methods 405. Request bodies above 16 MiB cannot be read by the
// server underneath and close the connection.
//
// Failures can be scripted per endpoint (InjectFailures): a 500, or closing the connection
// without an answer, either before the post takes effect or after.
//
// Thread-safe. Answer() for `next` waits on a condition variable on its connection's thread;
// Stop() wakes it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tests/fakes/fake_providers.h"

namespace rr {

// What the runtime posted for one invocation.
struct LambdaInvocationResult {
  enum class Kind {
    kNone,      // nothing yet (or an unknown id)
    kResponse,  // POST .../response
    kError,     // POST .../error, an oversized response, or an init error
  };
  Kind kind = Kind::kNone;
  std::string body;
  std::string content_type;      // of the post; empty when it had none
  std::string error_type;        // Lambda-Runtime-Function-Error-Type; empty when absent
  bool from_init_error = false;  // finished by POST /runtime/init/error
};

// One POST /runtime/init/error.
struct LambdaInitError {
  std::string error_type;  // Lambda-Runtime-Function-Error-Type; empty when absent
  std::string content_type;
  std::string body;
};

class FakeLambdaRuntime : public FakeHttpServer {
 public:
  static constexpr const char* kDefaultFunctionArn =
      "arn:aws:lambda:ap-northeast-2:123456789012:function:root-responder";
  static constexpr std::size_t kDefaultMaxResponseBytes = 6 * 1024 * 1024;

  enum class Endpoint { kNext, kResponse, kError, kInitError };
  // Note for the drops: libcurl resends a request once, on a new connection, when a reused
  // connection closes without a byte of answer. A runtime holding one kept-alive handle thus
  // never sees a single kDrop (and sees a single kDropAfterAccept as 400); script two in a row.
  enum class Failure {
    kServerError,      // 500 {"errorMessage":...,"errorType":"InternalServerError"}; no effect
    kDrop,             // close the connection without a word; no effect
    kDropAfterAccept,  // take the post (or, for `next`, dequeue the invocation), then close
                       // without answering: a retried post then gets 400
  };

  explicit FakeLambdaRuntime(std::string function_arn = kDefaultFunctionArn);
  ~FakeLambdaRuntime() override;

  // Wakes every blocked `next` (it answers 500, or its connection is closed), then stops the
  // server. Idempotent. Call this one, not FakeHttpServer::Stop(), which cannot wake `next`.
  void Stop();

  // The value for AWS_LAMBDA_RUNTIME_API: "127.0.0.1:PORT".
  std::string host_port() const;

  // Queues an invocation with `event_json` as its payload; returns its request id (a UUID).
  // `timeout` is the function's configured timeout: the deadline sent is delivery time + it.
  std::string Enqueue(std::string event_json,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Waits (really) up to `timeout` for the invocation to be answered; kind kNone on timeout,
  // for an unknown id, or when the emulator stops.
  LambdaInvocationResult WaitForResult(const std::string& request_id,
                                       std::chrono::milliseconds timeout) const;

  std::vector<LambdaInitError> init_errors() const;

  // Calls to `next` so far (counted on arrival, blocked or not, failed or not).
  int next_calls() const;
  // When the first `next` arrived, for "process start to first next request".
  std::optional<std::chrono::steady_clock::time_point> first_next_at() const;
  // Waits (really) until at least `n` `next` calls have arrived; false on timeout.
  bool WaitForNextCalls(int n, std::chrono::milliseconds timeout) const;

  // Invocations queued and not yet delivered.
  std::size_t queued() const;

  // The next `count` requests to `endpoint` fail as `failure` says, before normal behaviour
  // resumes. Adds to what is already scripted for that endpoint.
  void InjectFailures(Endpoint endpoint, int count, Failure failure);

  std::size_t max_response_bytes() const;
  void set_max_response_bytes(std::size_t bytes);

 protected:
  ScriptedReply Answer(const RecordedRequest& request) override;

 private:
  struct Invocation {
    std::string request_id;
    std::string event;
    std::chrono::milliseconds timeout{0};
    bool delivered = false;
    LambdaInvocationResult result;
  };

  ScriptedReply AnswerNext();
  ScriptedReply AnswerPost(const RecordedRequest& request, const std::string& request_id,
                           bool is_error);
  ScriptedReply AnswerInitError(const RecordedRequest& request);
  // Pops the next scripted failure for `endpoint`, if any. Needs state_mu_.
  std::optional<Failure> TakeFailure(Endpoint endpoint);
  std::string RandomHex(int digits);  // needs state_mu_
  std::string NewRequestId();         // needs state_mu_
  std::string NewTraceId();           // needs state_mu_

  const std::string function_arn_;

  mutable std::mutex state_mu_;
  mutable std::condition_variable state_cv_;  // queued, answered, init error, next, stop
  bool stopped_ = false;
  std::size_t max_response_bytes_ = kDefaultMaxResponseBytes;
  std::deque<std::string> queue_;                  // request ids waiting for `next`
  std::map<std::string, Invocation> invocations_;  // every id ever queued
  std::vector<LambdaInitError> init_errors_;
  int next_calls_ = 0;
  std::optional<std::chrono::steady_clock::time_point> first_next_at_;
  std::map<Endpoint, std::deque<Failure>> failures_;
  std::mt19937_64 random_;
};

}  // namespace rr
