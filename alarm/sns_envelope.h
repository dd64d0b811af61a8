// The SNS envelope as Lambda (SigningCertUrl), HTTP subscribers and SQS (SigningCertURL) get it.
// Values are kept exactly as received: the signature is computed over them.
#pragma once

#include <optional>
#include <string>

#include "alarm/field_reader.h"

namespace rr {

struct SnsEnvelope {
  std::string type;  // Notification, SubscriptionConfirmation, UnsubscribeConfirmation
  std::string message_id;
  std::string topic_arn;
  std::optional<std::string> subject;  // null in Lambda, absent over HTTP, when none was set
  std::optional<std::string> message;
  std::optional<std::string> timestamp;
  std::optional<std::string> signature_version;
  std::optional<std::string> signature;
  std::optional<std::string> signing_cert_url;
  std::optional<std::string> subscribe_url;
  std::optional<std::string> unsubscribe_url;
  std::optional<std::string> token;
};

// Type + MessageId + TopicArn: what every SNS envelope has and nothing else we accept does.
bool LooksLikeSnsEnvelope(const FieldReader& object);

// Reads the envelope; problems are recorded in the reader.
SnsEnvelope ReadSnsEnvelope(FieldReader& object);

}  // namespace rr
