// Signs SNS HTTP bodies with the throwaway test key of testdata/sns-signed/, the way SNS does
// (SignatureVersion 2, SHA256withRSA over the string to sign), so tests and the load tool can
// make as many distinct, validly signed notifications as they need.
#pragma once

#include <optional>
#include <string>

#include "alarm/sns_envelope.h"

namespace rr::testing {

struct SnsNotification {
  std::string message_id;
  std::string topic_arn = "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic";
  std::optional<std::string> subject;
  std::string message;  // the Message string: alarm JSON or an EventBridge event
  std::string timestamp = "2026-03-02T09:45:31.140Z";
};

// The test signing certificate (PEM path), trusted with `serve --sns-certs=...`.
std::string TestSigningCertPath();

// The body SNS would POST, signed; empty when signing failed (the test key is missing).
std::string SignedNotificationBody(const SnsNotification& n);

// Any envelope (a SubscriptionConfirmation, say), signed with SignatureVersion 2 and the test
// certificate URL; the fields present in `e` are written in SNS's order.
std::string SignedEnvelopeBody(SnsEnvelope e);

// A root-usage alarm Message (CloudWatch's JSON) for `alarm_name` in `state`, with `reason`.
std::string AlarmMessage(const std::string& alarm_name, const std::string& state,
                         const std::string& reason);

}  // namespace rr::testing
