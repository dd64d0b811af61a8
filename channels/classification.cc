#include "channels/classification.h"

#include <curl/curl.h>

#include "channels/backoff.h"

namespace rr {
namespace {

bool IsConfigurationFailure(int curl_code) {
  switch (curl_code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<Classification> ClassifyTransportAndStatus(
    const HttpResponse& response, std::chrono::system_clock::time_point now) {
  Classification c;
  if (!response.transport_ok()) {
    // Chat and SMS alike: a duplicate root alert is better than a missed one, so even a
    // failure after the request went out is retried. A bad URL or an untrusted certificate
    // will not mend itself within a deadline: it is a configuration (or security) problem.
    c.kind = IsConfigurationFailure(response.curl_code) ? Classification::Kind::kPermanent
                                                        : Classification::Kind::kRetryable;
    c.reason = "network";
    c.detail = response.error;
    return c;
  }
  const long s = response.status;
  if (s >= 200 && s < 300) return std::nullopt;
  if (const std::string* hint = response.header("retry-after")) {
    c.retry_after = ParseRetryAfter(*hint, now);
  }
  if (s == 429) {
    c.kind = Classification::Kind::kRetryable;
    c.reason = "rate_limited";
  } else if (s == 408 || s == 425 || (s >= 500 && s < 600)) {
    c.kind = Classification::Kind::kRetryable;
    c.reason = "server_error";
  } else if (s == 401 || s == 403) {
    c.kind = Classification::Kind::kPermanent;
    c.reason = "auth_error";
  } else {
    c.kind = Classification::Kind::kPermanent;
    c.reason = "client_error";
  }
  c.detail = "HTTP " + std::to_string(s);
  return c;
}

bool ParseAnswerBody(const std::string& body, JsonDocument* doc) {
  JsonLimits limits;
  limits.max_bytes = 1 << 20;
  return ParseJson(body, limits, "answer", doc).ok() && doc->IsObject();
}

}  // namespace rr
