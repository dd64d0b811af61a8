// One Lambda invocation: the same Dispatcher `once` and `serve` use, with the retry deadline
// cut to the time the invocation has left, and nothing re-sent that already got through.
#pragma once

#include <chrono>

#include "channels/clock.h"
#include "channels/http_client.h"
#include "responder/dispatcher.h"
#include "responder/lambda_runtime.h"
#include "responder/sent_cache.h"

namespace rr {

class LambdaHandler {
 public:
  // `margin`: time kept back from the deadline to post the result before Lambda gives up.
  LambdaHandler(const Dispatcher& dispatcher, HttpClient& client, Clock& clock, Random& random,
                std::chrono::milliseconds margin = std::chrono::milliseconds(1500));

  // Success (ignored and rejected included: a retry cannot fix them) posts the outcome JSON;
  // an alert no channel got through is an error, so Lambda retries and the on-failure
  // destination or DLQ sees it.
  HandlerResult Handle(const Invocation& invocation);

 private:
  const Dispatcher& dispatcher_;
  HttpClient& client_;
  Clock& clock_;
  Random& random_;
  std::chrono::milliseconds margin_;
  SentCache sent_;
};

}  // namespace rr
