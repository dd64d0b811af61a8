// The one HTTP client every channel sends through (libcurl, multi interface).
//
// - TLS verification is always on; only the CA bundle can be changed (tests point it at a
//   throwaway certificate). TLS 1.2 at least. HTTP/2 where the server offers it over TLS,
//   HTTP/1.1 otherwise.
// - No proxy unless one is configured here: http_proxy, https_proxy, all_proxy and no_proxy in
//   the environment are ignored. Redirects are not followed (a 3xx comes back as it is), and
//   only http and https URLs are accepted.
// - Connections are kept alive and reused between calls (per host, in a pool of curl multi
//   handles); DNS answers and TLS sessions are shared by the whole client.
// - SendAll() runs its requests concurrently, so a slow host never delays another.
// - Thread-safe: any number of threads may call Send()/SendAll() at the same time. Each call
//   takes a multi handle from the pool for its duration (a new one when all are busy), so calls
//   never wait for each other; a connection belongs to one multi handle and is reused by the
//   next call that takes it. Destroy the client only after every call has returned.
// - Verbose output (CURLOPT_DEBUGFUNCTION) and every error string pass through RedactKnown()
//   with the request's own secrets and phone numbers; nothing is written raw to stderr.
// - AWS SigV4: a request with `aws_sigv4` is signed by libcurl (CURLOPT_AWS_SIGV4 with the key
//   pair as user name and password); its secret key and session token count as its secrets.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "channels/http_request.h"

namespace rr {

struct HttpResponse {
  long status = 0;      // HTTP status; 0 when no response arrived
  HttpHeaders headers;  // of the final response, names lower-cased, in arrival order
  std::string body;     // as received (not redacted: it is data, classify it before logging)
  int curl_code = 0;    // CURLcode; 0 (CURLE_OK) when an HTTP response arrived, whatever status
  // False only when the failure certainly happened before the request went out (DNS, connect
  // refused, TLS handshake or certificate, bad URL): retrying then cannot duplicate a message.
  bool request_sent = false;
  std::string error;                     // curl's message, redacted; empty on success
  std::chrono::milliseconds elapsed{0};  // from this request's start to its end

  // True when an HTTP response arrived (any status).
  bool transport_ok() const { return curl_code == 0; }
  // The first value of header `lower_case_name`, or null.
  const std::string* header(std::string_view lower_case_name) const;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};  // DNS + TCP + TLS handshake
  // The whole request. Zero means no limit: only for the Lambda Runtime API's `next`, which
  // waits for as long as the process is frozen between invocations.
  std::chrono::milliseconds total_timeout{15000};
  std::string ca_bundle;  // PEM file of trusted CAs; empty: the system's bundle
  std::string proxy;      // e.g. "http://proxy.internal:3128"; empty: never a proxy
  bool verbose = false;   // curl's verbose trace, redacted, to `verbose_sink`
  std::string user_agent = "root-responder/0.1";
  std::size_t max_response_bytes = 1 << 20;  // a longer body fails the request (curl code 23)
  // Receives each redacted verbose line ("* ...", "> ...", "< ...", ">> body", "<< body").
  // Empty: lines go to stderr. May be called from any thread that calls Send()/SendAll().
  std::function<void(std::string_view line)> verbose_sink;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One request, waiting for its answer or failure. Never throws.
  HttpResponse Send(const HttpRequest& request);
  // The same with a total timeout lowered to `total_timeout` (when below the configured one),
  // e.g. to keep an attempt within what is left of a retry deadline.
  HttpResponse Send(const HttpRequest& request, std::chrono::milliseconds total_timeout);

  // All requests at once over concurrent transfers; answers in the order of `requests`.
  std::vector<HttpResponse> SendAll(const std::vector<HttpRequest>& requests);
  std::vector<HttpResponse> SendAll(const std::vector<HttpRequest>& requests,
                                    std::chrono::milliseconds total_timeout);

  const HttpClientOptions& options() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rr
