// An SNS signing certificate: parsed once from PEM, then shared read-only by every thread that
// checks a signature with it (the certificate cache hands out the same object).
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include "alarm/status.h"

namespace rr {

// The digest under RSASSA-PKCS1-v1_5: SignatureVersion "1" is SHA-1, "2" is SHA-256.
enum class SignatureDigest { kSha1, kSha256 };

class SigningCert {
 public:
  // The first certificate in `pem`. Refused unless it carries an RSA key of 2048 bits or more,
  // which is what SNS signs with.
  static Result<std::shared_ptr<const SigningCert>> FromPem(std::string_view pem);

  ~SigningCert();
  SigningCert(const SigningCert&) = delete;
  SigningCert& operator=(const SigningCert&) = delete;

  // Ok when `now` lies within notBefore..notAfter; otherwise "certificate expired at
  // 2021-01-01T00:00:00Z" or "certificate is not valid before ...".
  Status CheckValidAt(std::chrono::system_clock::time_point now) const;

  // Ok when `signature` is this key's RSASSA-PKCS1-v1_5 signature of `data` under `digest`;
  // "signature does not match" otherwise.
  Status VerifyRsa(std::string_view data, std::string_view signature, SignatureDigest digest) const;

  // The size of every signature this key makes (256 for RSA-2048).
  size_t signature_bytes() const { return signature_bytes_; }
  int key_bits() const { return key_bits_; }

 private:
  struct Handles;
  explicit SigningCert(std::unique_ptr<Handles> handles, int key_bits, size_t signature_bytes);

  std::unique_ptr<Handles> handles_;
  int key_bits_;
  size_t signature_bytes_;
};

}  // namespace rr
