// Whether an SNS message really comes from SNS, for a topic we expect (aws-formats.md §3.3).
//
// Checks, cheapest first, so nothing is fetched for a message that is refused anyway:
// TopicArn allowed, Type and signed fields present, SignatureVersion, Base64 signature,
// SigningCertURL (signing_cert_url.h); then the certificate (pinned, cached, or fetched through
// the function handed in), its validity at `now`, and the RSA signature.
//
// alarm/ does no I/O and reads no clock: the fetch is the caller's (an HTTPS GET with TLS
// verification on), and so is `now`.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "alarm/signing_cert.h"
#include "alarm/signing_cert_cache.h"
#include "alarm/signing_cert_url.h"
#include "alarm/sns_envelope.h"
#include "alarm/status.h"

namespace rr {

// Fetches the PEM text at a SigningCertURL that already passed the URL policy. A failure is
// reported as Unavailable by Verify and is not cached, so the next message tries again.
using CertFetcher = std::function<Result<std::string>(const std::string& url)>;

struct SnsVerifierOptions {
  // TopicArns accepted, compared exactly. Empty accepts none; "*" accepts any, and only when it
  // is listed.
  std::vector<std::string> allowed_topic_arns;
  // Hosts trusted besides the SNS hosts (tests, emulators).
  CertUrlPolicy cert_urls;
  // Certificates used instead of fetching, by exact SigningCertURL (which must still pass the
  // URL policy). For emulators whose certificate cannot be fetched.
  std::map<std::string, std::string> pinned_certs;
  // A certificate used for every SigningCertURL that passes the URL policy, when not empty.
  // For emulators such as moto, whose URLs name real SNS hosts: nothing is ever fetched.
  std::string pinned_cert_for_any_url;
  size_t cert_cache_entries = 64;
  // A longer body from the fetcher is refused (the AWS SDK for Java caps it at 10 KB too).
  size_t max_cert_bytes = 10 * 1024;
};

class SnsVerifier {
 public:
  // Checks the options: every allowed TopicArn is "*" or an SNS topic ARN, every pinned PEM
  // parses, every pinned URL passes the URL policy, and allow_http is set only on loopback
  // hosts. `fetch` may be empty when every certificate is pinned.
  static Result<std::unique_ptr<SnsVerifier>> Create(SnsVerifierOptions options, CertFetcher fetch);

  // Ok when `envelope` is signed by SNS for an allowed topic. Otherwise InvalidArgument with
  // the reason ("topic arn:... is not allowed", "SigningCertURL host evil.com is not an SNS
  // host", "signature does not match", "SignatureVersion 3 is not supported", ...), or
  // Unavailable when the certificate could not be fetched (worth retrying). Reasons quote
  // received text only through QuoteInput and never contain the signature.
  // Thread-safe.
  Status Verify(const SnsEnvelope& envelope, std::chrono::system_clock::time_point now) const;

 private:
  SnsVerifier(SnsVerifierOptions options, CertFetcher fetch);
  Status CheckTopic(const std::string& topic_arn) const;
  Result<std::shared_ptr<const SigningCert>> CertFor(const std::string& url) const;

  const SnsVerifierOptions options_;
  const CertFetcher fetch_;
  bool any_topic_ = false;
  std::map<std::string, std::shared_ptr<const SigningCert>> pinned_;
  std::shared_ptr<const SigningCert> pinned_any_;
  mutable SigningCertCache cache_;
};

}  // namespace rr
