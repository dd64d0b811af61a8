#include "alarm/sns_envelope.h"

namespace rr {
namespace {

// Lambda spells it "SigningCertUrl", HTTP and SQS "SigningCertURL"; take whichever is there.
std::optional<std::string> EitherCasing(FieldReader& r, std::string_view upper,
                                        std::string_view lower) {
  return r.Has(upper) ? r.OptString(upper) : r.OptString(lower);
}

}  // namespace

bool LooksLikeSnsEnvelope(const FieldReader& object) {
  return object.Has("Type") && object.Has("MessageId") && object.Has("TopicArn");
}

SnsEnvelope ReadSnsEnvelope(FieldReader& r) {
  SnsEnvelope e;
  e.type = r.String("Type");
  e.message_id = r.String("MessageId");
  e.topic_arn = r.String("TopicArn");
  e.subject = r.OptString("Subject");
  e.message = r.OptString("Message");
  e.timestamp = r.OptString("Timestamp");
  e.signature_version = r.OptString("SignatureVersion");
  e.signature = r.OptString("Signature");
  e.signing_cert_url = EitherCasing(r, "SigningCertURL", "SigningCertUrl");
  e.subscribe_url = EitherCasing(r, "SubscribeURL", "SubscribeUrl");
  e.unsubscribe_url = EitherCasing(r, "UnsubscribeURL", "UnsubscribeUrl");
  e.token = r.OptString("Token");
  return e;
}

}  // namespace rr
