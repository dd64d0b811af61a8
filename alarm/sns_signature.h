// The signature on an SNS message (aws-formats.md §3.3): the string SNS signs, the Base64
// signature, the digest SignatureVersion names, and the RSA check with a certificate.
// Which certificate to trust is sns_verifier.h's business; this file only does the arithmetic.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "alarm/signing_cert.h"
#include "alarm/sns_envelope.h"
#include "alarm/status.h"

namespace rr {

// "key\nvalue\n" for each signed key present, from the values as received (un-escaped, not
// re-formatted), in byte order of the keys:
//   Notification: Message, MessageId, Subject (when present and not null), Timestamp,
//                 TopicArn, Type
//   SubscriptionConfirmation, UnsubscribeConfirmation: Message, MessageId, SubscribeURL,
//                 Timestamp, Token, TopicArn, Type
// A missing key that the type requires is refused by name ("SNS Notification has no
// Timestamp"); another Type is refused ("Type X is not a signed SNS message type").
Result<std::string> SnsStringToSign(const SnsEnvelope& envelope);

// "1" -> SHA-1, "2" -> SHA-256; "SignatureVersion 3 is not supported" for anything else.
Result<SignatureDigest> DigestForSignatureVersion(const std::optional<std::string>& version);

// The signature bytes. Strict Base64 (RFC 4648 alphabet, '=' padding only at the end, length a
// multiple of 4, no whitespace); "Signature is not valid base64" otherwise. The reason never
// repeats the text.
Result<std::string> DecodeSnsSignature(const std::optional<std::string>& base64);

// What a signature check needs from the envelope, prepared (or refused) before any certificate
// is looked for: the string to sign, the signature bytes and the digest.
struct SnsSignedParts {
  std::string string_to_sign;
  std::string signature;
  SignatureDigest digest = SignatureDigest::kSha256;
};
Result<SnsSignedParts> PrepareSnsSignature(const SnsEnvelope& envelope);

// The RSA check of `parts` with `cert`, which the caller already trusts for the envelope's
// SigningCertURL and has checked for the current time. A signature of the wrong length is
// refused by its length ("Signature is 150 bytes; the certificate's 2048-bit key makes 256").
Status CheckSnsSignature(const SnsSignedParts& parts, const SigningCert& cert);

}  // namespace rr
