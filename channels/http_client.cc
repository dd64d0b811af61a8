#include "channels/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>
#include <utility>

#include "channels/redact.h"

namespace rr {
namespace {

using Steady = std::chrono::steady_clock;

// curl_global_init is not thread-safe; every client goes through here first.
void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Failures that happen before a single byte of the request leaves: nothing can have been
// delivered, so a retry cannot duplicate a message (SMS has no idempotency key).
bool FailsBeforeSending(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_FAILED_INIT:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
      return true;
    default:
      return false;
  }
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// Why libcurl would sign `r` wrongly or unsafely, or empty when it can be signed.
std::string SigV4Problem(const HttpRequest& r) {
  const AwsSigV4& s = *r.aws_sigv4;
  if (s.provider.empty() || HasLineBreak(s.provider))
    return "SigV4 provider string is empty or has a line break";
  if (s.access_key_id.empty() || s.secret_access_key.empty()) {
    return "SigV4 signing needs an access key id and a secret access key";
  }
  if (HasLineBreak(s.access_key_id) || HasLineBreak(s.session_token)) {
    return "SigV4 credentials contain a line break";
  }
  // curl 7.88 signs the raw query string instead of the sorted, re-encoded one (curl #9717).
  if (r.url.find('?') != std::string::npos) {
    return "a SigV4-signed request carries its parameters in the body, not in a query string";
  }
  for (const auto& [name, value] : r.headers) {
    // curl 7.88 lists a valueless header in SignedHeaders but never sends it (curl #11664).
    if (value.empty()) return "a SigV4-signed request cannot have an empty header (" + name + ")";
    // curl skips signing when the caller sets Authorization itself.
    if (EqualsIgnoringCase(name, "Authorization")) {
      return "a SigV4-signed request cannot carry its own Authorization header";
    }
  }
  return {};
}

}  // namespace

const std::string* HttpResponse::header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return &value;
  }
  return nullptr;
}

class HttpClient::Impl {
 public:
  explicit Impl(HttpClientOptions options) : options_(std::move(options)) {
    GlobalInitOnce();
    share_ = curl_share_init();
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &Impl::Lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &Impl::Unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    // Connections are not shared: libcurl does not support that across concurrent threads.
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }

  ~Impl() {
    for (auto& session : sessions_) session.reset();  // easy handles before the share
    curl_share_cleanup(share_);
  }

  std::vector<HttpResponse> SendAll(const std::vector<const HttpRequest*>& requests,
                                    std::chrono::milliseconds total_timeout);

  const HttpClientOptions& options() const { return options_; }

 private:
  // A multi handle (it owns the connection cache) and the easy handles it last used.
  struct Session {
    CURLM* multi = nullptr;
    std::vector<CURL*> idle;

    Session() {
      multi = curl_multi_init();
      curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 16L);
    }
    ~Session() {
      for (CURL* easy : idle) curl_easy_cleanup(easy);
      curl_multi_cleanup(multi);
    }
    CURL* TakeEasy() {
      if (idle.empty()) return curl_easy_init();
      CURL* easy = idle.back();
      idle.pop_back();
      curl_easy_reset(easy);  // keeps its connection and session caches, clears the options
      return easy;
    }
  };

  // One request in flight.
  struct Transfer {
    const Impl* client = nullptr;
    const HttpRequest* request = nullptr;
    CURL* easy = nullptr;
    curl_slist* header_list = nullptr;
    HttpResponse response;
    Steady::time_point start;
    bool done = false;
    bool body_too_large = false;
    char error_buffer[CURL_ERROR_SIZE] = {};
    // The request's secrets plus the signing secret and session token, for signed requests.
    std::vector<std::string> with_signing_secrets;

    const std::vector<std::string>& secrets() const {
      return request->aws_sigv4 ? with_signing_secrets : request->secrets;
    }
  };

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks_[static_cast<size_t>(data) % kLockCount].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_locks_[static_cast<size_t>(data) % kLockCount].unlock();
  }

  static size_t OnBody(char* data, size_t size, size_t count, void* user);
  static size_t OnHeader(char* data, size_t size, size_t count, void* user);
  static int OnDebug(CURL*, curl_infotype type, char* data, size_t size, void* user);

  std::unique_ptr<Session> AcquireSession();
  void ReleaseSession(std::unique_ptr<Session> session);
  bool Configure(Transfer& t, std::chrono::milliseconds total_timeout) const;
  bool ConfigureSigV4(Transfer& t) const;
  void Finish(Transfer& t, CURLcode code) const;
  void EmitVerbose(const Transfer& t, std::string_view prefix, std::string_view text) const;

  static constexpr size_t kLockCount = CURL_LOCK_DATA_LAST;

  const HttpClientOptions options_;
  CURLSH* share_ = nullptr;
  std::array<std::mutex, kLockCount> share_locks_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Session>> sessions_;  // idle sessions, most recent last
};

size_t HttpClient::Impl::OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->response.body.size() + n > t->client->options_.max_response_bytes) {
    t->body_too_large = true;
    return 0;  // makes curl fail with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
}

size_t HttpClient::Impl::OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response.headers.clear();  // a new response (after a 1xx): keep only the final one
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // blank line or junk
  std::string name(Trim(line.substr(0, colon)));
  std::transform(name.begin(), name.end(), name.begin(), Lower);
  t->response.headers.emplace_back(std::move(name), std::string(Trim(line.substr(colon + 1))));
  return n;
}

int HttpClient::Impl::OnDebug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view prefix;
  switch (type) {
    case CURLINFO_TEXT:
      prefix = "* ";
      break;
    case CURLINFO_HEADER_OUT:
      prefix = "> ";
      break;
    case CURLINFO_HEADER_IN:
      prefix = "< ";
      break;
    case CURLINFO_DATA_OUT:
      prefix = ">> ";
      break;
    case CURLINFO_DATA_IN:
      prefix = "<< ";
      break;
    default:
      return 0;  // TLS records: binary, nothing to read
  }
  t->client->EmitVerbose(*t, prefix, std::string_view(data, size));
  return 0;
}

void HttpClient::Impl::EmitVerbose(const Transfer& t, std::string_view prefix,
                                   std::string_view text) const {
  // Redact the whole chunk before splitting, so a secret is never cut in two by a line break.
  const std::string clean = RedactKnown(text, t.secrets(), t.request->phone_numbers);
  size_t begin = 0;
  while (begin < clean.size()) {
    size_t end = clean.find('\n', begin);
    if (end == std::string::npos) end = clean.size();
    std::string_view line = std::string_view(clean).substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    begin = end + 1;
    if (line.empty()) continue;
    std::string out;
    out.reserve(prefix.size() + line.size());
    out.append(prefix).append(line);
    if (options_.verbose_sink) {
      options_.verbose_sink(out);
    } else {
      std::fprintf(stderr, "curl: %s\n", out.c_str());
    }
  }
}

std::unique_ptr<HttpClient::Impl::Session> HttpClient::Impl::AcquireSession() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!sessions_.empty()) {
      auto session = std::move(sessions_.back());
      sessions_.pop_back();
      return session;
    }
  }
  return std::make_unique<Session>();
}

void HttpClient::Impl::ReleaseSession(std::unique_ptr<Session> session) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  sessions_.push_back(std::move(session));
}

bool HttpClient::Impl::ConfigureSigV4(Transfer& t) const {
  const HttpRequest& r = *t.request;
  const AwsSigV4& s = *r.aws_sigv4;
  t.with_signing_secrets = r.secrets;
  t.with_signing_secrets.push_back(s.secret_access_key);
  if (!s.session_token.empty()) t.with_signing_secrets.push_back(s.session_token);
  if (std::string problem = SigV4Problem(r); !problem.empty()) {
    std::snprintf(t.error_buffer, sizeof(t.error_buffer), "%s", problem.c_str());
    return false;
  }
  if (!s.session_token.empty()) {
    const std::string line = "X-Amz-Security-Token: " + s.session_token;
    t.header_list = curl_slist_append(t.header_list, line.c_str());
  }
  // CURLOPT_USERNAME and _PASSWORD are what CURLOPT_USERPWD sets, without splitting at ':'.
  bool ok = curl_easy_setopt(t.easy, CURLOPT_AWS_SIGV4, s.provider.c_str()) == CURLE_OK;
  ok = ok && curl_easy_setopt(t.easy, CURLOPT_USERNAME, s.access_key_id.c_str()) == CURLE_OK;
  ok = ok && curl_easy_setopt(t.easy, CURLOPT_PASSWORD, s.secret_access_key.c_str()) == CURLE_OK;
  return ok;
}

bool HttpClient::Impl::Configure(Transfer& t, std::chrono::milliseconds total_timeout) const {
  CURL* e = t.easy;
  const HttpRequest& r = *t.request;
  bool ok = true;
  auto set = [&ok](CURLcode code) { ok = ok && code == CURLE_OK; };

  set(curl_easy_setopt(e, CURLOPT_PRIVATE, &t));
  set(curl_easy_setopt(e, CURLOPT_SHARE, share_));
  set(curl_easy_setopt(e, CURLOPT_URL, r.url.c_str()));
  set(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https"));
  set(curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L));
  set(curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L));  // threads: no SIGALRM for DNS timeouts
  set(curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L));
  set(curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L));
  set(curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(options_.connect_timeout.count())));
  set(curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(total_timeout.count())));
  set(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS)));
  set(curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str()));

  // TLS: verification stays on, always; only the trust anchors are configurable.
  set(curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L));
  set(curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L));
  set(curl_easy_setopt(e, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
  if (!options_.ca_bundle.empty()) {
    set(curl_easy_setopt(e, CURLOPT_CAINFO, options_.ca_bundle.c_str()));
  }

  // An empty proxy string stops curl from reading *_proxy from the environment; an empty
  // no-proxy list stops it from reading no_proxy.
  set(curl_easy_setopt(e, CURLOPT_PROXY, options_.proxy.c_str()));
  set(curl_easy_setopt(e, CURLOPT_NOPROXY, ""));

  for (const auto& [name, value] : r.headers) {
    // "Name;" is curl's way to send a header with an empty value.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    t.header_list = curl_slist_append(t.header_list, line.c_str());
  }
  if (r.aws_sigv4) {
    if (!ConfigureSigV4(t)) return false;
  } else {
    // No "Expect: 100-continue" round trip before the body. (Not on signed requests: curl 7.88
    // would sign this valueless header. It asks for 100-continue only above 1 MiB anyway.)
    t.header_list = curl_slist_append(t.header_list, "Expect:");
  }
  set(curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.header_list));

  if (r.method == "GET") {
    set(curl_easy_setopt(e, CURLOPT_HTTPGET, 1L));
  } else {
    if (r.method == "POST") {
      set(curl_easy_setopt(e, CURLOPT_POST, 1L));
    } else {
      set(curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str()));
    }
    // The request outlives the transfer, so curl may read the body in place.
    set(curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size())));
    set(curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data()));
  }

  set(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::OnBody));
  set(curl_easy_setopt(e, CURLOPT_WRITEDATA, &t));
  set(curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::OnHeader));
  set(curl_easy_setopt(e, CURLOPT_HEADERDATA, &t));
  set(curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error_buffer));
  if (options_.verbose) {
    set(curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, &Impl::OnDebug));
    set(curl_easy_setopt(e, CURLOPT_DEBUGDATA, &t));
    set(curl_easy_setopt(e, CURLOPT_VERBOSE, 1L));
  }
  return ok;
}

void HttpClient::Impl::Finish(Transfer& t, CURLcode code) const {
  t.done = true;
  HttpResponse& resp = t.response;
  resp.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t.start);
  resp.curl_code = static_cast<int>(code);
  long status = 0;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t pretransfer_us = 0;
  curl_easy_getinfo(t.easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
  long request_bytes = 0;
  curl_easy_getinfo(t.easy, CURLINFO_REQUEST_SIZE, &request_bytes);

  if (code == CURLE_OK) {
    resp.status = status;
    resp.request_sent = true;
    return;
  }
  // A transfer that failed part-way keeps no half answer: status 0 means "no response".
  resp.status = 0;
  resp.headers.clear();
  resp.body.clear();
  if (status > 0) {
    resp.request_sent = true;
  } else if (FailsBeforeSending(code)) {
    resp.request_sent = false;
  } else {
    // Timeouts and broken connections: sent unless curl never got as far as the request (for
    // example a timeout during connect or the TLS handshake). When unsure, say sent.
    resp.request_sent = pretransfer_us > 0 || request_bytes > 0;
  }
  std::string message = t.error_buffer[0] != '\0' ? t.error_buffer : curl_easy_strerror(code);
  if (t.body_too_large) {
    message = "response body larger than " + std::to_string(options_.max_response_bytes) + " bytes";
  }
  resp.error = RedactKnown(message, t.secrets(), t.request->phone_numbers);
}

std::vector<HttpResponse> HttpClient::Impl::SendAll(const std::vector<const HttpRequest*>& requests,
                                                    std::chrono::milliseconds total_timeout) {
  using std::chrono::milliseconds;
  const milliseconds configured = options_.total_timeout;
  // The call's limit counts only when it is below the configured one (or the configured one is
  // "no limit"): Send(request) passes the configured value itself.
  const bool call_lowers = configured == milliseconds::zero()
                               ? total_timeout != milliseconds::zero()
                               : total_timeout < configured;
  auto limit_for = [&](const HttpRequest& r) {
    milliseconds limit = r.timeout.value_or(configured);
    if (limit < milliseconds::zero()) limit = milliseconds(1);  // never curl's "no limit"
    if (!call_lowers) return limit;                             // zero: no limit
    limit = limit == milliseconds::zero() ? total_timeout : std::min(limit, total_timeout);
    // A deadline already spent still gets one short try rather than curl's "no limit" (0).
    return std::max(limit, milliseconds(1));
  };
  std::unique_ptr<Session> session = AcquireSession();
  std::vector<Transfer> transfers(requests.size());
  size_t in_flight = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    Transfer& t = transfers[i];
    t.client = this;
    t.request = requests[i];
    t.start = Steady::now();
    t.easy = session->TakeEasy();
    if (t.easy == nullptr || !Configure(t, limit_for(*t.request)) ||
        curl_multi_add_handle(session->multi, t.easy) != CURLM_OK) {
      if (t.error_buffer[0] == '\0') {  // Configure() may have said why
        std::snprintf(t.error_buffer, sizeof(t.error_buffer), "could not set up the request");
      }
      if (t.easy != nullptr) {
        Finish(t, CURLE_FAILED_INIT);
      } else {
        t.done = true;
        t.response.curl_code = CURLE_FAILED_INIT;
        t.response.error = "could not set up the request";
      }
      continue;
    }
    ++in_flight;
  }

  int running = 0;
  bool multi_failed = false;
  while (in_flight > 0) {
    CURLMcode mc = curl_multi_perform(session->multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(session->multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      Finish(*t, msg->data.result);
      curl_multi_remove_handle(session->multi, t->easy);
      --in_flight;
    }
    if (in_flight == 0) break;
    if (mc != CURLM_OK || curl_multi_poll(session->multi, nullptr, 0, 1000, nullptr) != CURLM_OK) {
      multi_failed = true;
      break;
    }
  }

  std::vector<HttpResponse> responses;
  responses.reserve(transfers.size());
  for (Transfer& t : transfers) {
    if (!t.done) {  // the multi handle itself failed; should not happen
      curl_multi_remove_handle(session->multi, t.easy);
      std::snprintf(t.error_buffer, sizeof(t.error_buffer), "curl multi interface failed");
      Finish(t, CURLE_FAILED_INIT);
      t.response.request_sent = true;  // unknown: assume the worst for idempotency
    }
    if (t.easy != nullptr) session->idle.push_back(t.easy);
    curl_slist_free_all(t.header_list);
    responses.push_back(std::move(t.response));
  }
  if (!multi_failed) ReleaseSession(std::move(session));  // a broken multi handle is not reused
  return responses;
}

HttpClient::HttpClient(HttpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::Send(const HttpRequest& request) {
  return Send(request, impl_->options().total_timeout);
}

HttpResponse HttpClient::Send(const HttpRequest& request, std::chrono::milliseconds total_timeout) {
  return std::move(impl_->SendAll({&request}, total_timeout).front());
}

std::vector<HttpResponse> HttpClient::SendAll(const std::vector<HttpRequest>& requests) {
  return SendAll(requests, impl_->options().total_timeout);
}

std::vector<HttpResponse> HttpClient::SendAll(const std::vector<HttpRequest>& requests,
                                              std::chrono::milliseconds total_timeout) {
  std::vector<const HttpRequest*> pointers;
  pointers.reserve(requests.size());
  for (const HttpRequest& request : requests) pointers.push_back(&request);
  return impl_->SendAll(pointers, total_timeout);
}

const HttpClientOptions& HttpClient::options() const { return impl_->options(); }

}  // namespace rr
