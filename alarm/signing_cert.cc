#include "alarm/signing_cert.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdio>
#include <ctime>
#include <limits>
#include <string>

namespace rr {
namespace {

constexpr int kMinRsaBits = 2048;

// OpenSSL leaves its reasons on a per-thread queue; ours are in the Status, so drop them
// rather than let them surface in some unrelated later call on this thread.
struct ClearOpenSslErrors {
  ~ClearOpenSslErrors() { ERR_clear_error(); }
};

// "2021-01-01T00:00:00Z" for a certificate time, as alarm/ writes times elsewhere.
std::string FormatAsn1Time(const ASN1_TIME* time) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(time, &tm) != 1) return "an unreadable time";
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return text;
}

}  // namespace

struct SigningCert::Handles {
  X509* cert = nullptr;
  ~Handles() { X509_free(cert); }
  // Owned by `cert`; decoded once in FromPem, before the object is shared between threads.
  EVP_PKEY* key() const { return X509_get0_pubkey(cert); }
};

SigningCert::SigningCert(std::unique_ptr<Handles> handles, int key_bits, size_t signature_bytes)
    : handles_(std::move(handles)), key_bits_(key_bits), signature_bytes_(signature_bytes) {}

SigningCert::~SigningCert() = default;

Result<std::shared_ptr<const SigningCert>> SigningCert::FromPem(std::string_view pem) {
  ClearOpenSslErrors clear;
  if (pem.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Status::InvalidArgument("certificate is too large");
  }
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return Status::Internal("out of memory reading a certificate");
  auto handles = std::make_unique<Handles>();
  handles->cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (handles->cert == nullptr) {
    return Status::InvalidArgument("certificate is not a PEM X.509 certificate");
  }
  EVP_PKEY* key = handles->key();
  if (key == nullptr) {
    return Status::InvalidArgument("certificate has a public key OpenSSL cannot read");
  }
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    return Status::InvalidArgument(
        std::string("certificate key is ") +
        (EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "of an unknown type") +
        ", not RSA");
  }
  const int bits = EVP_PKEY_get_bits(key);
  if (bits < kMinRsaBits) {
    return Status::InvalidArgument("certificate RSA key has " + std::to_string(bits) +
                                   " bits, fewer than " + std::to_string(kMinRsaBits));
  }
  const int size = EVP_PKEY_get_size(key);
  return std::shared_ptr<const SigningCert>(
      new SigningCert(std::move(handles), bits, static_cast<size_t>(size)));
}

Status SigningCert::CheckValidAt(std::chrono::system_clock::time_point now) const {
  ClearOpenSslErrors clear;
  const time_t t = std::chrono::system_clock::to_time_t(now);
  const ASN1_TIME* not_before = X509_get0_notBefore(handles_->cert);
  const ASN1_TIME* not_after = X509_get0_notAfter(handles_->cert);
  const int before_cmp = ASN1_TIME_cmp_time_t(not_before, t);
  const int after_cmp = ASN1_TIME_cmp_time_t(not_after, t);
  if (before_cmp == -2 || after_cmp == -2) {
    return Status::InvalidArgument("certificate validity dates are unreadable");
  }
  if (before_cmp > 0) {
    return Status::InvalidArgument("certificate is not valid before " + FormatAsn1Time(not_before));
  }
  if (after_cmp < 0) {
    return Status::InvalidArgument("certificate expired at " + FormatAsn1Time(not_after));
  }
  return Status::Ok();
}

Status SigningCert::VerifyRsa(std::string_view data, std::string_view signature,
                              SignatureDigest digest) const {
  ClearOpenSslErrors clear;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return Status::Internal("out of memory checking a signature");
  const EVP_MD* md = digest == SignatureDigest::kSha1 ? EVP_sha1() : EVP_sha256();
  EVP_PKEY_CTX* key_ctx = nullptr;  // owned by ctx
  int verdict = -1;
  if (EVP_DigestVerifyInit(ctx, &key_ctx, md, nullptr, handles_->key()) == 1 &&
      EVP_PKEY_CTX_set_rsa_padding(key_ctx, RSA_PKCS1_PADDING) == 1) {
    verdict = EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                               signature.size(),
                               reinterpret_cast<const unsigned char*>(data.data()), data.size());
  }
  EVP_MD_CTX_free(ctx);
  if (verdict == 1) return Status::Ok();
  if (verdict == 0) return Status::InvalidArgument("signature does not match");
  // OpenSSL reports some mismatches (a wrong-length or malformed signature) as errors.
  return Status::InvalidArgument("signature does not match (OpenSSL could not check it)");
}

}  // namespace rr
