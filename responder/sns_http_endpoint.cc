#include "responder/sns_http_endpoint.h"

#include <glog/logging.h>

#include "alarm/field_reader.h"
#include "alarm/json.h"
#include "alarm/parsed.h"
#include "channels/redact.h"

namespace rr {
namespace {

constexpr std::string_view kSource = "sns-http";

const std::string* HeaderValue(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

}  // namespace

SnsHttpEndpoint::SnsHttpEndpoint(AlertPipeline& pipeline, Metrics& metrics, SnsEndpointHooks hooks)
    : pipeline_(pipeline), metrics_(metrics), hooks_(std::move(hooks)) {}

HttpAnswer SnsHttpEndpoint::Refuse(int status, std::string_view reason_word,
                                   const std::string& detail) {
  metrics_.Refused(kSource, reason_word);
  const std::string shown = RedactKnown(PrintableReason(detail));
  LOG(WARNING) << "refused source=" << kSource << " status=" << status << " reason=" << reason_word
               << " detail=\"" << shown << "\"";
  return {status, std::string(reason_word) + ": " + shown + "\n"};
}

HttpAnswer SnsHttpEndpoint::Handle(const HttpHeaders& headers, std::string_view body) {
  JsonDocument doc;
  if (Status s = ParseJson(body, JsonLimits{}, "SNS body", &doc); !s.ok()) {
    return Refuse(400, "malformed", s.message());
  }
  Status problem;
  FieldReader reader(doc, "", &problem);
  if (!doc.IsObject() || !LooksLikeSnsEnvelope(reader)) {
    return Refuse(400, "malformed", "not an SNS message (needs Type, MessageId and TopicArn)");
  }
  SnsEnvelope envelope = ReadSnsEnvelope(reader);
  if (!problem.ok()) return Refuse(400, "malformed", problem.message());

  // SNS sends x-amz-sns-message-type; emulators (moto) do not, so the body decides then.
  if (const std::string* type = HeaderValue(headers, "x-amz-sns-message-type")) {
    if (*type != envelope.type) {
      return Refuse(
          400, "malformed",
          "x-amz-sns-message-type " + *type + " differs from the body's Type " + envelope.type);
    }
  }
  if (envelope.type != "Notification" && envelope.type != "SubscriptionConfirmation" &&
      envelope.type != "UnsubscribeConfirmation") {
    return Refuse(400, "malformed", "unknown SNS message Type " + envelope.type);
  }
  if (hooks_.verify) {
    if (Status s = hooks_.verify(envelope); !s.ok()) {
      // The signing certificate could not be fetched: SNS retries a 5xx, and may then succeed.
      if (s.code() == Status::Code::kUnavailable) return Refuse(503, "certificate", s.message());
      const bool topic = s.message().starts_with("topic ");
      return Refuse(403, topic ? "topic" : "signature", s.message());
    }
  }

  if (envelope.type == "SubscriptionConfirmation") {
    if (!hooks_.confirm) return Refuse(403, "confirm", "subscription confirmation is not set up");
    if (Status s = hooks_.confirm(envelope); !s.ok()) {
      // 5xx: SNS sends the confirmation again later, which may then succeed.
      return Refuse(502, "confirm", "could not confirm the subscription: " + s.message());
    }
    LOG(INFO) << "subscription_confirmed topic=" << envelope.topic_arn;
    return {200, "confirmed\n"};
  }
  if (envelope.type == "UnsubscribeConfirmation") {
    // Never re-subscribe on our own: someone with rights on the topic chose this.
    LOG(WARNING) << "unsubscribed topic=" << envelope.topic_arn
                 << " note=\"this endpoint no longer gets alerts from the topic; subscribe it "
                    "again if that was not intended\"";
    return {200, "noted\n"};
  }

  AcceptAnswer answer = pipeline_.Accept(body, kSource);
  switch (answer.kind) {
    case AcceptKind::kAccepted:
    case AcceptKind::kDuplicate:
      return {200, std::string(ToString(answer.kind)) + "\n"};
    case AcceptKind::kIgnored:
      LOG(INFO) << "ignored source=" << kSource << " message_id=" << envelope.message_id
                << " reason=\"" << answer.reason << "\"";
      return {200, "ignored\n"};
    case AcceptKind::kRejected:
      return Refuse(400, "rejected", answer.reason);
    case AcceptKind::kUnavailable:
      return Refuse(503, "unavailable", answer.reason);
  }
  return Refuse(500, "internal", "unexpected accept result");
}

}  // namespace rr
