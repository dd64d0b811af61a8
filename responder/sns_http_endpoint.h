// What `serve` does with one SNS HTTP(S) POST (aws-formats.md §3): decide the message type,
// verify the signature and the topic, then accept a Notification into the pipeline, confirm a
// SubscriptionConfirmation, log an UnsubscribeConfirmation. Independent of the HTTP server so
// every answer is tested without one.
//
// Answers: 200 once a Notification's alerts are durably spooled (or it is a duplicate, or
// nothing in it is to be sent); 400 for a body that is not an SNS message; 403 for a bad
// signature or a topic not allowed; 503 when the spool cannot take it now (SNS retries).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "alarm/sns_envelope.h"
#include "alarm/status.h"
#include "channels/http_request.h"
#include "responder/alert_pipeline.h"
#include "responder/metrics.h"

namespace rr {

struct HttpAnswer {
  int status = 200;
  std::string body;  // short, plain text; never echoes the request
};

struct SnsEndpointHooks {
  // Checks signature, certificate URL and topic; empty means verification is off (loopback
  // use only, refused elsewhere by `serve`).
  std::function<Status(const SnsEnvelope&)> verify;
  // Confirms a subscription: checks SubscribeURL and GETs it.
  std::function<Status(const SnsEnvelope&)> confirm;
};

class SnsHttpEndpoint {
 public:
  SnsHttpEndpoint(AlertPipeline& pipeline, Metrics& metrics, SnsEndpointHooks hooks);

  // `headers`: names lower-cased. `body`: the request body, already size-limited.
  HttpAnswer Handle(const HttpHeaders& headers, std::string_view body);

 private:
  HttpAnswer Refuse(int status, std::string_view reason_word, const std::string& detail);

  AlertPipeline& pipeline_;
  Metrics& metrics_;
  SnsEndpointHooks hooks_;
};

}  // namespace rr
