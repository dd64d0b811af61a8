#include "alarm/sns_verifier.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "alarm/aws_region.h"
#include "alarm/quote_input.h"
#include "alarm/sns_signature.h"

namespace rr {
namespace {

// arn:<partition>:sns:<region>:<12-digit account>:<topic name>.
bool IsSnsTopicArn(const std::string& arn) {
  std::optional<ArnParts> parts = ParseArn(arn);
  return parts && parts->service == "sns" && !parts->region.empty() &&
         parts->account.size() == 12 &&
         std::all_of(parts->account.begin(), parts->account.end(),
                     [](char c) { return c >= '0' && c <= '9'; }) &&
         !parts->resource.empty() && parts->resource.find(':') == std::string::npos;
}

// Hosts in the URL policy are compared as written; these are the ones http may be allowed for.
bool AuthorityIsLoopback(const std::string& authority) {
  std::string host = authority;
  if (!host.empty() && host[0] == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else if (size_t colon = host.find(':'); colon != std::string::npos) {
    host.resize(colon);
  }
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return IsLoopbackHost(host);
}

}  // namespace

SnsVerifier::SnsVerifier(SnsVerifierOptions options, CertFetcher fetch)
    : options_(std::move(options)), fetch_(std::move(fetch)), cache_(options_.cert_cache_entries) {}

Result<std::unique_ptr<SnsVerifier>> SnsVerifier::Create(SnsVerifierOptions options,
                                                         CertFetcher fetch) {
  std::unique_ptr<SnsVerifier> v(new SnsVerifier(std::move(options), std::move(fetch)));
  const SnsVerifierOptions& o = v->options_;
  for (const std::string& arn : o.allowed_topic_arns) {
    if (arn == "*") {
      v->any_topic_ = true;
    } else if (arn.find_first_of("*?") != std::string::npos) {
      // Topics are compared exactly; a pattern would silently match nothing.
      return Status::InvalidArgument("allowed topic " + QuoteInput(arn) +
                                     " has a wildcard; only \"*\" on its own accepts any topic");
    } else if (!IsSnsTopicArn(arn)) {
      return Status::InvalidArgument("allowed topic " + QuoteInput(arn) +
                                     " is not an SNS topic ARN");
    }
  }
  for (const TrustedCertHost& host : o.cert_urls.extra_hosts) {
    if (host.authority.empty() || host.authority.find_first_of("/?#@") != std::string::npos) {
      return Status::InvalidArgument("trusted certificate host " + QuoteInput(host.authority) +
                                     " is not a host[:port]");
    }
    if (host.allow_http && !AuthorityIsLoopback(host.authority)) {
      return Status::InvalidArgument("trusted certificate host " + QuoteInput(host.authority) +
                                     " allows http but is not a loopback host");
    }
  }
  for (const auto& [url, pem] : o.pinned_certs) {
    if (Status s = CheckSigningCertUrl(url, o.cert_urls); !s.ok()) {
      return Status::InvalidArgument("pinned certificate URL can never match: " + s.message());
    }
    Result<std::shared_ptr<const SigningCert>> cert = SigningCert::FromPem(pem);
    if (!cert.ok()) {
      return Status::InvalidArgument("pinned " + cert.status().message() + " (for " +
                                     QuoteInput(url) + ")");
    }
    v->pinned_[url] = *cert;
  }
  if (!o.pinned_cert_for_any_url.empty()) {
    Result<std::shared_ptr<const SigningCert>> cert =
        SigningCert::FromPem(o.pinned_cert_for_any_url);
    if (!cert.ok()) {
      return Status::InvalidArgument("pinned " + cert.status().message() + " (for any URL)");
    }
    v->pinned_any_ = *cert;
  }
  return v;
}

Status SnsVerifier::CheckTopic(const std::string& topic_arn) const {
  if (topic_arn.empty()) return Status::InvalidArgument("SNS message has no TopicArn");
  if (any_topic_) return Status::Ok();
  const auto& allowed = options_.allowed_topic_arns;
  if (std::find(allowed.begin(), allowed.end(), topic_arn) != allowed.end()) return Status::Ok();
  return Status::InvalidArgument("topic " + QuoteInput(topic_arn) + " is not allowed");
}

Result<std::shared_ptr<const SigningCert>> SnsVerifier::CertFor(const std::string& url) const {
  if (auto it = pinned_.find(url); it != pinned_.end()) return it->second;
  if (pinned_any_) return pinned_any_;
  if (auto cached = cache_.Find(url)) return cached;
  if (!fetch_) {
    return Status::InvalidArgument("no certificate is pinned for " + url +
                                   " and none can be fetched");
  }
  // Two threads missing at once may both fetch; the second Insert just replaces the first.
  Result<std::string> pem = fetch_(url);
  if (!pem.ok()) {
    return Status::Unavailable("could not fetch the certificate " + url + ": " +
                               QuoteInput(pem.status().message(), 300));
  }
  if (pem->size() > options_.max_cert_bytes) {
    return Status::InvalidArgument("certificate at " + url + " is " + std::to_string(pem->size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(options_.max_cert_bytes));
  }
  Result<std::shared_ptr<const SigningCert>> cert = SigningCert::FromPem(*pem);
  if (!cert.ok()) return Status::InvalidArgument(cert.status().message() + " (from " + url + ")");
  cache_.Insert(url, *cert);
  return cert;
}

Status SnsVerifier::Verify(const SnsEnvelope& envelope,
                           std::chrono::system_clock::time_point now) const {
  if (Status s = CheckTopic(envelope.topic_arn); !s.ok()) return s;
  // Everything that needs no certificate comes before the fetch.
  Result<SnsSignedParts> parts = PrepareSnsSignature(envelope);
  if (!parts.ok()) return parts.status();
  if (!envelope.signing_cert_url) return Status::InvalidArgument("SigningCertURL is missing");
  const std::string& url = *envelope.signing_cert_url;
  if (Status s = CheckSigningCertUrl(url, options_.cert_urls); !s.ok()) return s;

  // From here on `url` passed the policy: printable ASCII, safe to quote as it is.
  Result<std::shared_ptr<const SigningCert>> cert = CertFor(url);
  if (!cert.ok()) return cert.status();
  if (Status s = (*cert)->CheckValidAt(now); !s.ok()) {
    return Status::InvalidArgument(s.message() + " (" + url + ")");
  }
  return CheckSnsSignature(*parts, **cert);
}

}  // namespace rr
