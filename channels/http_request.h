// The HTTP request a channel renders and the answer it classifies. Plain data, no I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rr {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// AWS Signature Version 4 for one request, computed by libcurl (CURLOPT_AWS_SIGV4) as it sends.
// The client adds the secret key and the session token to the request's secrets, so no verbose
// line or error shows them (the Authorization header is redacted as well).
struct AwsSigV4 {
  // "aws:amz:<region>:<service>", e.g. "aws:amz:ap-northeast-2:sqs".
  std::string provider;
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials only; sent as X-Amz-Security-Token
};

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  HttpHeaders headers;
  std::string body;
  // Substrings of url, headers and body that must never be shown: hook tokens, bot tokens,
  // secret keys. Phone numbers are listed separately so they can keep their last four digits.
  std::vector<std::string> secrets;
  std::vector<std::string> phone_numbers;
  // Set: libcurl signs the request. libcurl 7.88 signs correctly only requests without a query
  // string and without empty header values (shared/reference/aws-formats.md 7.4), so the client
  // refuses other signed requests and does not add its "Expect:" header to signed ones. Leave
  // X-Amz-Date to curl: 7.88 sends a caller's own one twice.
  std::optional<AwsSigV4> aws_sigv4;
  // Set: this request's time limit instead of the client's configured total timeout, longer or
  // shorter (zero: no limit). A getUpdates long poll must outlast its own `timeout`, which a
  // client sized for sends would cut short. A per-call limit (HttpClient::Send with a timeout)
  // below the configured one still lowers it.
  std::optional<std::chrono::milliseconds> timeout;
};

// The one request a render gives, moved in: `return {request};` would copy it, strings and all
// (a braced list's elements are const).
inline std::vector<HttpRequest> OneRequest(HttpRequest request) {
  std::vector<HttpRequest> requests;
  requests.push_back(std::move(request));
  return requests;
}

}  // namespace rr
