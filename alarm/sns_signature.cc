#include "alarm/sns_signature.h"

#include <openssl/evp.h>

#include <climits>
#include <utility>

#include "alarm/quote_input.h"

namespace rr {
namespace {

struct Field {
  std::string_view key;
  const std::optional<std::string>* value;
  bool required;
};

void Append(std::string_view key, std::string_view value, std::string* out) {
  out->append(key);
  out->push_back('\n');
  out->append(value);
  out->push_back('\n');
}

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

Result<std::string> SnsStringToSign(const SnsEnvelope& e) {
  const bool notification = e.type == "Notification";
  const bool confirmation =
      e.type == "SubscriptionConfirmation" || e.type == "UnsubscribeConfirmation";
  if (!notification && !confirmation) {
    return Status::InvalidArgument("Type " + QuoteInput(e.type) +
                                   " is not a signed SNS message type");
  }
  const std::optional<std::string> message_id =
      e.message_id.empty() ? std::nullopt : std::optional(e.message_id);
  const std::optional<std::string> topic_arn =
      e.topic_arn.empty() ? std::nullopt : std::optional(e.topic_arn);
  const std::optional<std::string> type = e.type;
  const std::optional<std::string> absent;
  // The keys in byte order; a Notification never signs SubscribeURL or Token, a confirmation
  // never signs Subject, even when the body carries them.
  const Field fields[] = {
      {"Message", &e.message, true},
      {"MessageId", &message_id, true},
      {"Subject", notification ? &e.subject : &absent, false},
      {"SubscribeURL", confirmation ? &e.subscribe_url : &absent, confirmation},
      {"Timestamp", &e.timestamp, true},
      {"Token", confirmation ? &e.token : &absent, confirmation},
      {"TopicArn", &topic_arn, true},
      {"Type", &type, true},
  };
  std::string out;
  for (const Field& f : fields) {
    if (f.value->has_value()) {
      Append(f.key, **f.value, &out);
    } else if (f.required) {
      return Status::InvalidArgument("SNS " + e.type + " has no " + std::string(f.key));
    }
  }
  return out;
}

Result<SignatureDigest> DigestForSignatureVersion(const std::optional<std::string>& version) {
  if (!version) return Status::InvalidArgument("SignatureVersion is missing");
  if (*version == "1") return SignatureDigest::kSha1;
  if (*version == "2") return SignatureDigest::kSha256;
  return Status::InvalidArgument("SignatureVersion " + QuoteInput(*version, 16) +
                                 " is not supported");
}

Result<std::string> DecodeSnsSignature(const std::optional<std::string>& base64) {
  if (!base64 || base64->empty()) return Status::InvalidArgument("Signature is missing");
  const std::string& text = *base64;
  const Status invalid = Status::InvalidArgument("Signature is not valid base64");
  if (text.size() % 4 != 0 || text.size() > INT_MAX) return invalid;
  size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  for (size_t i = 0; i < text.size() - padding; ++i) {
    if (!IsBase64Char(text[i])) return invalid;
  }
  std::string bytes(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0 || static_cast<size_t>(n) != bytes.size()) return invalid;
  // EVP_DecodeBlock counts the padding as zero bytes; they are not part of the signature.
  bytes.resize(bytes.size() - padding);
  return bytes;
}

Result<SnsSignedParts> PrepareSnsSignature(const SnsEnvelope& envelope) {
  Result<std::string> text = SnsStringToSign(envelope);
  if (!text.ok()) return text.status();
  Result<SignatureDigest> digest = DigestForSignatureVersion(envelope.signature_version);
  if (!digest.ok()) return digest.status();
  Result<std::string> signature = DecodeSnsSignature(envelope.signature);
  if (!signature.ok()) return signature.status();
  return SnsSignedParts{std::move(*text), std::move(*signature), *digest};
}

Status CheckSnsSignature(const SnsSignedParts& parts, const SigningCert& cert) {
  if (parts.signature.size() != cert.signature_bytes()) {
    return Status::InvalidArgument("Signature is " + std::to_string(parts.signature.size()) +
                                   " bytes; the certificate's " + std::to_string(cert.key_bits()) +
                                   "-bit key makes " + std::to_string(cert.signature_bytes()));
  }
  return cert.VerifyRsa(parts.string_to_sign, parts.signature, parts.digest);
}

}  // namespace rr
