#include "tests/fakes/fake_providers.h"

#include <arpa/inet.h>
#include <iconv.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <utility>

#include "alarm/json.h"

namespace rr {
namespace {

// Above Lambda's 6 MiB response limit, so the Runtime API fake can read and refuse (413) one.
constexpr size_t kMaxRequestBytes = 16 << 20;
constexpr std::string_view kJsonType = "application/json; charset=utf-8";

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 415:
      return "Unsupported Media Type";
    case 425:
      return "Too Early";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

// A JSON object built with RapidJSON's writer; Key() and the value calls alternate.
class Json {
 public:
  Json() : writer_(buffer_) {}
  rapidjson::Writer<rapidjson::StringBuffer>& w() { return writer_; }
  void Key(std::string_view k) {
    writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
  }
  void Str(std::string_view v) {
    writer_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  std::string Text() const { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

// One accepted socket, optionally wrapped in TLS.
class Wire {
 public:
  Wire(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  ~Wire() {
    if (ssl_ != nullptr) SSL_free(ssl_);
  }
  // Appends what arrives to `buffer`; false on EOF or error.
  bool ReadMore(std::string& buffer) {
    char chunk[16384];
    ssize_t n;
    if (ssl_ != nullptr) {
      n = SSL_read(ssl_, chunk, sizeof(chunk));
    } else {
      do {
        n = recv(fd_, chunk, sizeof(chunk), 0);
      } while (n < 0 && errno == EINTR);
    }
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }
  bool WriteAll(std::string_view data) {
    while (!data.empty()) {
      ssize_t n;
      if (ssl_ != nullptr) {
        n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
      } else {
        n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
      }
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

 private:
  int fd_;
  SSL* ssl_;
};

// Parses one request from the front of `buffer`, reading more as needed. Sends "100 Continue"
// when asked (curl without our header tweak would otherwise wait a second). Returns false when
// the connection ends before a whole request arrived or the request is unusable.
bool ReadRequest(Wire& wire, std::string& buffer, RecordedRequest* out) {
  size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (buffer.size() > kMaxRequestBytes || !wire.ReadMore(buffer)) return false;
    if (buffer.front() < 'A' || buffer.front() > 'Z') {
      // Not HTTP (a TLS ClientHello, say): answer 400 at once and hang up, as real servers do.
      wire.WriteAll("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return false;
    }
  }
  std::string_view head(buffer.data(), header_end);
  size_t line_end = head.find("\r\n");
  std::string_view request_line = head.substr(0, line_end);
  size_t sp1 = request_line.find(' ');
  size_t sp2 = request_line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  out->method = std::string(request_line.substr(0, sp1));
  out->target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  out->path = out->target.substr(0, out->target.find('?'));
  out->headers.clear();
  size_t content_length = 0;
  bool expect_continue = false;
  size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(pos, end - pos);
    pos = end + 2;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name = LowerCopy(Trim(line.substr(0, colon)));
    std::string value(Trim(line.substr(colon + 1)));
    if (name == "content-length") content_length = std::strtoul(value.c_str(), nullptr, 10);
    if (name == "transfer-encoding") return false;  // not needed by any client under test
    if (name == "expect" && LowerCopy(value) == "100-continue") expect_continue = true;
    out->headers.emplace_back(std::move(name), std::move(value));
  }
  if (content_length > kMaxRequestBytes) return false;
  buffer.erase(0, header_end + 4);
  if (expect_continue && buffer.size() < content_length &&
      !wire.WriteAll("HTTP/1.1 100 Continue\r\n\r\n")) {
    return false;
  }
  while (buffer.size() < content_length) {
    if (!wire.ReadMore(buffer)) return false;
  }
  out->body = buffer.substr(0, content_length);
  buffer.erase(0, content_length);
  return true;
}

std::string FormatReply(const ScriptedReply& reply) {
  std::string out =
      "HTTP/1.1 " + std::to_string(reply.status) + " " + ReasonPhrase(reply.status) + "\r\n";
  bool has_type = false;
  for (const auto& [name, value] : reply.headers) {
    if (LowerCopy(name) == "content-type") has_type = true;
    out += name + ": " + value + "\r\n";
  }
  if (!has_type) out += "Content-Type: " + std::string(kJsonType) + "\r\n";
  out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  out += "Server: rr-fake\r\n\r\n";
  out += reply.body;
  return out;
}

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  // A client that hangs up mid-reply must not kill the test binary (SSL_write uses write()).
  std::call_once(once, [] { signal(SIGPIPE, SIG_IGN); });
}

std::string OpenSslError(std::string_view what) {
  unsigned long code = ERR_get_error();
  char text[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, text, sizeof(text));
  return std::string(what) + ": " + text;
}

// Splits "/a/b/c" into {"a","b","c"}.
std::vector<std::string_view> PathSegments(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    parts.push_back(path.substr(pos, end - pos));
    pos = end;
  }
  return parts;
}

bool ContentTypeIsJson(const RecordedRequest& request) {
  const std::string* type = request.header("content-type");
  return type != nullptr && LowerCopy(*type).rfind("application/json", 0) == 0;
}

// UTF-16 code units of UTF-8 text: 2 for characters outside the BMP, else 1.
size_t Utf16Units(std::string_view text) {
  size_t units = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    units += (c >= 0xF0) ? 2 : 1;
  }
  return units;
}

// Checks Telegram HTML the way the Bot API does, well enough to catch unescaped '<' and '&'.
// Returns the error description, or nullopt; `*plain_units` gets the visible text length.
std::optional<std::string> CheckTelegramHtml(std::string_view text, size_t* plain_units) {
  static constexpr std::string_view kTags[] = {
      "b",   "strong", "i", "em",   "u",   "ins",        "s",          "strike",
      "del", "span",   "a", "code", "pre", "blockquote", "tg-spoiler", "tg-emoji"};
  std::vector<std::string> open;
  std::string visible;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '<') {
      size_t close = text.find('>', i);
      if (close == std::string_view::npos) {
        return "Bad Request: can't parse entities: Unclosed start tag at byte offset " +
               std::to_string(i);
      }
      std::string_view tag = text.substr(i + 1, close - i - 1);
      bool closing = !tag.empty() && tag.front() == '/';
      if (closing) tag.remove_prefix(1);
      std::string name = LowerCopy(tag.substr(0, tag.find_first_of(" \t\n")));
      if (std::find(std::begin(kTags), std::end(kTags), name) == std::end(kTags)) {
        return "Bad Request: can't parse entities: Unsupported start tag \"" + name +
               "\" at byte offset " + std::to_string(i);
      }
      if (closing) {
        if (open.empty() || open.back() != name) {
          return "Bad Request: can't parse entities: Can't find end tag corresponding to start "
                 "tag \"" +
                 (open.empty() ? name : open.back()) + "\"";
        }
        open.pop_back();
      } else {
        open.push_back(name);
      }
      i = close + 1;
    } else if (c == '&') {
      size_t semi = text.find(';', i);
      std::string_view entity =
          semi == std::string_view::npos ? std::string_view() : text.substr(i, semi - i + 1);
      bool numeric = entity.size() > 3 && entity[1] == '#';
      if (!(entity == "&lt;" || entity == "&gt;" || entity == "&amp;" || entity == "&quot;" ||
            numeric)) {
        return "Bad Request: can't parse entities: Character '&' is reserved and must be "
               "escaped with \"&amp;\" at byte offset " +
               std::to_string(i);
      }
      visible += '?';
      i = semi + 1;
    } else if (c == '>') {
      return "Bad Request: can't parse entities: Character '>' is reserved and must be escaped "
             "with \"&gt;\" at byte offset " +
             std::to_string(i);
    } else {
      visible += c;
      ++i;
    }
  }
  if (!open.empty()) {
    return "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"" +
           open.back() + "\"";
  }
  *plain_units = Utf16Units(visible);
  return std::nullopt;
}

// True when every character of `text` (UTF-8) has an EUC-KR encoding.
bool FitsEucKr(std::string_view text) {
  iconv_t cd = iconv_open("EUC-KR", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return true;  // cannot check: do not invent failures
  std::string in(text);
  char* in_ptr = in.data();
  size_t in_left = in.size();
  bool ok = true;
  while (in_left > 0) {
    char out[256];
    char* out_ptr = out;
    size_t out_left = sizeof(out);
    if (iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<size_t>(-1) &&
        errno != E2BIG) {
      ok = false;
      break;
    }
  }
  iconv_close(cd);
  return ok;
}

const JsonValue* Member(const JsonValue& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> StringMember(const JsonValue& object, const char* name) {
  const JsonValue* v = Member(object, name);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return std::string(AsView(*v));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// RecordedRequest, ScriptedReply

const std::string* RecordedRequest::header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return &value;
  }
  return nullptr;
}

ScriptedReply ScriptedReply::Answer(int status, std::string body, HttpHeaders headers) {
  ScriptedReply reply;
  reply.kind = Kind::kAnswer;
  reply.status = status;
  reply.body = std::move(body);
  reply.headers = std::move(headers);
  return reply;
}

ScriptedReply ScriptedReply::Normal() {
  ScriptedReply reply;
  reply.kind = Kind::kNormal;
  return reply;
}

ScriptedReply ScriptedReply::Drop() {
  ScriptedReply reply;
  reply.kind = Kind::kDrop;
  return reply;
}

ScriptedReply ScriptedReply::Slow(std::chrono::milliseconds delay, ScriptedReply reply) {
  reply.delay = delay;
  return reply;
}

// ---------------------------------------------------------------------------------------------
// Certificates

Result<TlsFiles> MakeSelfSignedCertificate(const std::string& dir,
                                           const std::string& subject_alt_names) {
  std::error_code ignored;
  std::filesystem::create_directories(dir, ignored);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) return Status::Internal(OpenSslError("EC key generation"));
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);  // v3, for extensions
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("rr-fake 127.0.0.1"), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  const std::pair<int, const char*> extensions[] = {
      {NID_subject_alt_name, subject_alt_names.c_str()},
      {NID_basic_constraints, "critical,CA:TRUE"},
      {NID_key_usage, "critical,digitalSignature,keyCertSign"},
      {NID_ext_key_usage, "serverAuth"},
      {NID_subject_key_identifier, "hash"},
  };
  for (const auto& [nid, value] : extensions) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr) return Status::Internal(OpenSslError("certificate extension"));
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return Status::Internal(OpenSslError("certificate signing"));
  }
  TlsFiles files{dir + "/fake-cert.pem", dir + "/fake-key.pem"};
  std::unique_ptr<FILE, decltype(&fclose)> cert_file(fopen(files.cert_path.c_str(), "w"), fclose);
  std::unique_ptr<FILE, decltype(&fclose)> key_file(fopen(files.key_path.c_str(), "w"), fclose);
  if (!cert_file || !key_file) return Status::Internal("cannot write certificate files in " + dir);
  if (PEM_write_X509(cert_file.get(), cert.get()) == 0 ||
      PEM_write_PrivateKey(key_file.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 0) {
    return Status::Internal(OpenSslError("PEM write"));
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// FakeHttpServer

FakeHttpServer::FakeHttpServer(std::optional<TlsFiles> tls) : tls_(std::move(tls)) {}

FakeHttpServer::~FakeHttpServer() {
  Stop();
  if (ssl_ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ssl_ctx_));
}

Status FakeHttpServer::Start() {
  IgnoreSigpipeOnce();
  if (tls_) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == nullptr) return Status::Internal(OpenSslError("SSL_CTX_new"));
    ssl_ctx_ = ctx;
    if (SSL_CTX_use_certificate_chain_file(ctx, tls_->cert_path.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, tls_->key_path.c_str(), SSL_FILETYPE_PEM) != 1) {
      return Status::Internal(OpenSslError("loading the fake server certificate"));
    }
  }
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return Status::Internal("socket: " + std::string(strerror(errno)));
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // the kernel picks a free port
  socklen_t len = sizeof(addr);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 64) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return Status::Internal("bind/listen on 127.0.0.1: " + std::string(strerror(errno)));
  }
  port_ = ntohs(addr.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
  return Status::Ok();
}

void FakeHttpServer::Stop() {
  if (stopping_.exchange(true)) return;
  if (listen_fd_ >= 0) shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
  if (accept_thread_.joinable()) accept_thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  listen_fd_ = -1;
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);  // wakes reads on every connection
    threads.swap(connection_threads_);
  }
  cv_.notify_all();  // wakes delayed replies
  for (std::thread& t : threads) t.join();
}

std::string FakeHttpServer::base_url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void FakeHttpServer::Script(std::vector<ScriptedReply> replies) {
  std::lock_guard<std::mutex> lock(mu_);
  for (ScriptedReply& reply : replies) script_.push_back(std::move(reply));
}

std::size_t FakeHttpServer::scripted_left() const {
  std::lock_guard<std::mutex> lock(mu_);
  return script_.size();
}

std::vector<RecordedRequest> FakeHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::size_t FakeHttpServer::request_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

int FakeHttpServer::connections_accepted() const {
  std::lock_guard<std::mutex> lock(mu_);
  return connections_;
}

bool FakeHttpServer::WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

ScriptedReply FakeHttpServer::Answer(const RecordedRequest&) {
  return ScriptedReply::Answer(200, R"({"ok":true})");
}

bool FakeHttpServer::Pause(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, delay, [&] { return stopping_.load(); });
}

void FakeHttpServer::AcceptLoop() {
  while (!stopping_) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // shut down
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      close(fd);
      return;
    }
    open_fds_.push_back(fd);
    int number = ++connections_;
    connection_threads_.emplace_back([this, fd, number] { Serve(fd, number); });
  }
}

void FakeHttpServer::Serve(int fd, int number) {
  SSL* ssl = nullptr;
  bool usable = true;
  if (ssl_ctx_ != nullptr) {
    ssl = SSL_new(static_cast<SSL_CTX*>(ssl_ctx_));
    SSL_set_fd(ssl, fd);
    usable = SSL_accept(ssl) == 1;  // fails when the client distrusts the certificate
  }
  {
    Wire wire(fd, ssl);
    std::string buffer;
    while (usable && !stopping_) {
      RecordedRequest request;
      if (!ReadRequest(wire, buffer, &request)) break;
      request.connection = number;
      std::optional<ScriptedReply> scripted;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(request);
        if (!script_.empty()) {
          scripted = std::move(script_.front());
          script_.pop_front();
        }
      }
      cv_.notify_all();
      ScriptedReply reply = scripted ? std::move(*scripted) : ScriptedReply::Normal();
      if (reply.delay > std::chrono::milliseconds::zero() && !Pause(reply.delay)) break;
      if (reply.kind == ScriptedReply::Kind::kDrop) break;
      if (reply.kind == ScriptedReply::Kind::kNormal) {
        {
          std::unique_lock<std::mutex> lock(answer_mu_, std::defer_lock);
          if (!concurrent_answers_) lock.lock();
          reply = Answer(request);
        }
        if (reply.delay > std::chrono::milliseconds::zero() && !Pause(reply.delay)) break;
        if (reply.kind == ScriptedReply::Kind::kDrop) break;
      }
      if (!wire.WriteAll(FormatReply(reply))) break;
      const std::string* connection = request.header("connection");
      if (connection != nullptr && LowerCopy(*connection) == "close") break;
    }
  }  // frees the SSL before the socket closes
  std::lock_guard<std::mutex> lock(mu_);
  open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
  shutdown(fd, SHUT_RDWR);
  close(fd);
}

// ---------------------------------------------------------------------------------------------
// Dooray

namespace {

std::string DoorayEnvelope(bool ok, int code, std::string_view message) {
  Json j;
  j.w().StartObject();
  j.Key("header");
  j.w().StartObject();
  j.Key("resultCode");
  j.w().Int(code);
  j.Key("resultMessage");
  j.Str(message);
  j.Key("isSuccessful");
  j.w().Bool(ok);
  j.w().EndObject();
  j.w().EndObject();
  return j.Text();
}

}  // namespace

FakeDooray::FakeDooray(std::string token, std::optional<TlsFiles> tls)
    : FakeHttpServer(std::move(tls)), token_(std::move(token)) {}

FakeDooray::~FakeDooray() { Stop(); }

std::string FakeDooray::hook_url() const {
  return base_url() + "/services/" + tenant_ + "/" + hook_ + "/" + token_;
}

ScriptedReply FakeDooray::HeaderFailure(int result_code, std::string message) {
  return ScriptedReply::Answer(200, DoorayEnvelope(false, result_code, message));
}

ScriptedReply FakeDooray::RateLimited(int retry_after_seconds) {
  return ScriptedReply::Answer(429, DoorayEnvelope(false, -429, "Too Many Requests"),
                               {{"Retry-After", std::to_string(retry_after_seconds)}});
}

ScriptedReply FakeDooray::ServerError(int status) {
  return ScriptedReply::Answer(status, DoorayEnvelope(false, -500, "Internal Server Error"));
}

ScriptedReply FakeDooray::Answer(const RecordedRequest& request) {
  if (request.path != "/services/" + tenant_ + "/" + hook_ + "/" + token_) {
    return ScriptedReply::Answer(404, DoorayEnvelope(false, -404, "Not Found"));
  }
  if (request.method != "POST") {
    return ScriptedReply::Answer(405, DoorayEnvelope(false, -405, "Method Not Allowed"));
  }
  JsonDocument doc;
  if (!ContentTypeIsJson(request) ||
      !ParseJson(request.body, JsonLimits{}, "hook body", &doc).ok() ||
      !StringMember(doc, "text")) {
    return ScriptedReply::Answer(400, DoorayEnvelope(false, -400, "Bad Request"));
  }
  return ScriptedReply::Answer(200, DoorayEnvelope(true, 0, ""));
}

// ---------------------------------------------------------------------------------------------
// Telegram

namespace {

constexpr int64_t kFakeBotId = 7700112233;

std::string TelegramError(int code, std::string_view description,
                          std::optional<int> retry_after = std::nullopt,
                          std::optional<int64_t> migrate_to = std::nullopt) {
  Json j;
  j.w().StartObject();
  j.Key("ok");
  j.w().Bool(false);
  j.Key("error_code");
  j.w().Int(code);
  j.Key("description");
  j.Str(description);
  if (retry_after || migrate_to) {
    j.Key("parameters");
    j.w().StartObject();
    if (migrate_to) {
      j.Key("migrate_to_chat_id");
      j.w().Int64(*migrate_to);
    }
    if (retry_after) {
      j.Key("retry_after");
      j.w().Int(*retry_after);
    }
    j.w().EndObject();
  }
  j.w().EndObject();
  return j.Text();
}

ScriptedReply TelegramOk(std::string_view result_json) {
  return ScriptedReply::Answer(200, "{\"ok\":true,\"result\":" + std::string(result_json) + "}");
}

// The request's parameters; a body that is missing or unreadable gives none, as on the server.
JsonDocument TelegramParams(const RecordedRequest& request) {
  JsonDocument doc;
  if (!ContentTypeIsJson(request) || !ParseJson(request.body, JsonLimits{}, "request", &doc).ok() ||
      !doc.IsObject()) {
    doc.SetObject();
  }
  return doc;
}

std::optional<int64_t> TelegramInt(const JsonValue& params, const char* name) {
  const JsonValue* v = Member(params, name);
  if (v == nullptr) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsString() && v->GetStringLength() > 0) {  // numbers may come as strings
    std::string text(AsView(*v));
    char* end = nullptr;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (end != nullptr && *end == '\0') return value;
  }
  return std::nullopt;
}

// An InlineKeyboardMarkup checked as the Bot API does; the compact JSON, or the 400 reply.
// Clients that send form fields pass it as a JSON string, which is accepted too.
struct Keyboard {
  std::optional<std::string> json;
  std::optional<ScriptedReply> error;
};

Keyboard ReadInlineKeyboard(const JsonValue& params) {
  Keyboard out;
  const JsonValue* markup = Member(params, "reply_markup");
  if (markup == nullptr) return out;
  JsonDocument parsed;
  if (markup->IsString()) {
    if (!ParseJson(AsView(*markup), JsonLimits{}, "reply_markup", &parsed).ok()) {
      out.error = FakeTelegram::Error(400,
                                      "Bad Request: can't parse reply keyboard markup JSON "
                                      "object");
      return out;
    }
    markup = &parsed;
  }
  const JsonValue* rows = Member(*markup, "inline_keyboard");
  if (rows == nullptr || !rows->IsArray()) {
    out.error = FakeTelegram::Error(400,
                                    "Bad Request: can't parse reply keyboard markup JSON "
                                    "object");
    return out;
  }
  for (const JsonValue& row : rows->GetArray()) {
    if (!row.IsArray()) {
      out.error = FakeTelegram::Error(400,
                                      "Bad Request: can't parse inline keyboard button: "
                                      "InlineKeyboardButton must be an Array");
      return out;
    }
    for (const JsonValue& button : row.GetArray()) {
      std::optional<std::string> text = StringMember(button, "text");
      if (!button.IsObject() || !text || text->empty()) {
        out.error = FakeTelegram::Error(400,
                                        "Bad Request: can't parse inline keyboard button: "
                                        "Text must be non-empty");
        return out;
      }
      const JsonValue* data = Member(button, "callback_data");
      if (data != nullptr) {
        if (!data->IsString() || data->GetStringLength() < 1 || data->GetStringLength() > 64) {
          out.error = FakeTelegram::Error(400, "Bad Request: BUTTON_DATA_INVALID");
          return out;
        }
      } else if (!Member(button, "url") && !Member(button, "login_url") &&
                 !Member(button, "switch_inline_query") && !Member(button, "web_app") &&
                 !Member(button, "copy_text") && !Member(button, "pay")) {
        out.error = FakeTelegram::Error(400,
                                        "Bad Request: can't parse inline keyboard button: "
                                        "Text buttons are unallowed in the inline keyboard");
        return out;
      }
    }
  }
  out.json = ToJsonText(*markup);
  return out;
}

std::string_view ChatType(int64_t chat_id) {
  return chat_id > 0 ? "private" : (chat_id <= -1000000000000 ? "supergroup" : "group");
}

}  // namespace

FakeTelegram::FakeTelegram(std::string token, std::optional<TlsFiles> tls)
    : FakeHttpServer(std::move(tls)), token_(std::move(token)) {
  set_concurrent_answers(true);  // a parked getUpdates must not hold up the other calls
}

FakeTelegram::~FakeTelegram() { Stop(); }

void FakeTelegram::Stop() {
  {
    std::lock_guard<std::mutex> lock(state_mu_);
    stopped_ = true;
  }
  state_cv_.notify_all();  // a parked getUpdates returns, so its connection thread can be joined
  FakeHttpServer::Stop();  // idempotent
}

void FakeTelegram::MigrateChat(int64_t old_chat_id, int64_t new_chat_id) {
  std::lock_guard<std::mutex> lock(state_mu_);
  migrated_[old_chat_id] = new_chat_id;
}

std::string FakeTelegram::callback_query_id_of(int64_t update_id) {
  return "58834772" + std::to_string(update_id);
}

int64_t FakeTelegram::PressButton(int64_t from_user_id, std::string username, std::string data,
                                  int64_t chat_id, int64_t message_id) {
  std::unique_lock<std::mutex> lock(state_mu_);
  // A press implies the message: remember one the fake did not send, so it can be edited.
  Message& message = messages_[{chat_id, message_id}];
  if (message.text.empty()) message.text = "alert";
  const int64_t update_id = next_update_id_++;
  const std::string query_id = callback_query_id_of(update_id);
  Json j;
  j.w().StartObject();
  j.Key("update_id");
  j.w().Int64(update_id);
  j.Key("callback_query");
  j.w().StartObject();
  j.Key("id");
  j.Str(query_id);
  j.Key("from");
  j.w().StartObject();
  j.Key("id");
  j.w().Int64(from_user_id);
  j.Key("is_bot");
  j.w().Bool(false);
  j.Key("first_name");
  j.Str("Tester");
  if (!username.empty()) {
    j.Key("username");
    j.Str(username);
  }
  j.Key("language_code");
  j.Str("ko");
  j.w().EndObject();
  j.Key("message");
  const std::string message_json = MessageJson(chat_id, message_id, message);
  j.w().RawValue(message_json.data(), message_json.size(), rapidjson::kObjectType);
  j.Key("chat_instance");
  j.Str("-" + std::to_string(900000000000 + (chat_id < 0 ? -chat_id : chat_id)));
  if (!data.empty()) {
    j.Key("data");
    j.Str(data);
  }
  j.w().EndObject();
  j.w().EndObject();
  callback_queries_[query_id] = false;
  updates_.push_back({update_id, "callback_query", j.Text()});
  lock.unlock();
  state_cv_.notify_all();
  return update_id;
}

int64_t FakeTelegram::PushRawUpdate(std::string_view fields) {
  JsonDocument given;
  given.Parse(fields.data(), fields.size());
  std::unique_lock<std::mutex> lock(state_mu_);
  const int64_t update_id = next_update_id_++;
  JsonDocument update;
  update.SetObject();
  update.AddMember("update_id", update_id, update.GetAllocator());
  std::string type;
  if (!given.HasParseError() && given.IsObject()) {
    for (auto& member : given.GetObject()) {
      if (type.empty()) type = std::string(AsView(member.name));
      update.AddMember(JsonValue(member.name, update.GetAllocator()),
                       JsonValue(member.value, update.GetAllocator()), update.GetAllocator());
    }
  }
  if (const JsonValue* query = Member(update, "callback_query")) {
    if (auto id = StringMember(*query, "id")) callback_queries_[*id] = false;
  }
  updates_.push_back({update_id, type, ToJsonText(update)});
  lock.unlock();
  state_cv_.notify_all();
  return update_id;
}

void FakeTelegram::SetWebhook(bool active) {
  std::lock_guard<std::mutex> lock(state_mu_);
  webhook_ = active;
}

std::size_t FakeTelegram::pending_updates() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return updates_.size();
}

int FakeTelegram::get_updates_calls() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return get_updates_calls_;
}

int FakeTelegram::conflicts() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return conflicts_;
}

std::vector<TelegramCallbackAnswer> FakeTelegram::callback_answers() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return answers_;
}

std::vector<TelegramMessageEdit> FakeTelegram::edits() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return edits_;
}

std::optional<std::string> FakeTelegram::reply_markup_of(int64_t chat_id,
                                                         int64_t message_id) const {
  std::lock_guard<std::mutex> lock(state_mu_);
  auto it = messages_.find({chat_id, message_id});
  return it == messages_.end() ? std::nullopt : it->second.reply_markup;
}

bool FakeTelegram::WaitForCallbackAnswers(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(state_mu_);
  return state_cv_.wait_for(lock, timeout, [&] { return answers_.size() >= n; });
}

bool FakeTelegram::WaitForEdits(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(state_mu_);
  return state_cv_.wait_for(lock, timeout, [&] { return edits_.size() >= n; });
}

bool FakeTelegram::WaitForGetUpdatesCalls(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(state_mu_);
  return state_cv_.wait_for(lock, timeout, [&] { return get_updates_calls_ >= n; });
}

ScriptedReply FakeTelegram::Flood(int retry_after_seconds) {
  return ScriptedReply::Answer(
      429,
      TelegramError(429, "Too Many Requests: retry after " + std::to_string(retry_after_seconds),
                    retry_after_seconds),
      {{"Retry-After", std::to_string(retry_after_seconds)}});
}

ScriptedReply FakeTelegram::Migrated(int64_t new_chat_id) {
  return ScriptedReply::Answer(
      400, TelegramError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                         std::nullopt, new_chat_id));
}

ScriptedReply FakeTelegram::CantParseEntities(int byte_offset) {
  return Error(400,
               "Bad Request: can't parse entities: Unsupported start tag \"unknown\" at "
               "byte offset " +
                   std::to_string(byte_offset));
}

ScriptedReply FakeTelegram::BotBlocked() {
  return Error(403, "Forbidden: bot was blocked by the user");
}

ScriptedReply FakeTelegram::ChatNotFound() { return Error(400, "Bad Request: chat not found"); }

ScriptedReply FakeTelegram::Unauthorized() { return Error(401, "Unauthorized"); }

ScriptedReply FakeTelegram::Conflict() {
  return Error(409,
               "Conflict: terminated by other getUpdates request; make sure that only one bot "
               "instance is running");
}

ScriptedReply FakeTelegram::BadGateway(int status) {
  std::string title = std::to_string(status) + " " + ReasonPhrase(status);
  return ScriptedReply::Answer(status,
                               "<html>\r\n<head><title>" + title +
                                   "</title></head>\r\n<body>\r\n<center><h1>" + title +
                                   "</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
                                   "</body>\r\n</html>\r\n",
                               {{"Content-Type", "text/html"}});
}

ScriptedReply FakeTelegram::Error(int status, std::string description) {
  return ScriptedReply::Answer(status, TelegramError(status, description));
}

std::string FakeTelegram::MessageJson(int64_t chat_id, int64_t message_id,
                                      const Message& message) const {
  Json j;
  j.w().StartObject();
  j.Key("message_id");
  j.w().Int64(message_id);
  j.Key("from");
  j.w().StartObject();
  j.Key("id");
  j.w().Int64(kFakeBotId);
  j.Key("is_bot");
  j.w().Bool(true);
  j.Key("first_name");
  j.Str("rr fake");
  j.w().EndObject();
  j.Key("chat");
  j.w().StartObject();
  j.Key("id");
  j.w().Int64(chat_id);
  j.Key("type");
  j.Str(ChatType(chat_id));
  j.w().EndObject();
  j.Key("date");
  j.w().Int64(static_cast<int64_t>(std::time(nullptr)));
  if (message.edited) {
    j.Key("edit_date");
    j.w().Int64(static_cast<int64_t>(std::time(nullptr)));
  }
  j.Key("text");
  j.Str(message.text);
  if (message.reply_markup) {
    j.Key("reply_markup");
    j.w().RawValue(message.reply_markup->data(), message.reply_markup->size(),
                   rapidjson::kObjectType);
  }
  j.w().EndObject();
  return j.Text();
}

ScriptedReply FakeTelegram::Answer(const RecordedRequest& request) {
  const std::vector<std::string_view> parts = PathSegments(request.path);
  if (parts.size() != 2 || parts[0].rfind("bot", 0) != 0) {
    return Error(404, "Not Found");
  }
  std::string_view token = parts[0].substr(3);
  if (token != token_) {
    // The Bot API server rejects a malformed token before looking it up.
    return token.find(':') == std::string_view::npos ? Error(404, "Not Found")
                                                     : Error(401, "Unauthorized");
  }
  const std::string method = LowerCopy(parts[1]);  // method names are case-insensitive
  if (method == "getme") {
    return TelegramOk(R"({"id":7700112233,"is_bot":true,"first_name":"rr fake",)"
                      R"("username":"rr_fake_bot"})");
  }
  if (method == "sendmessage") return SendMessage(request);
  if (method == "getupdates") return GetUpdates(request);
  if (method == "answercallbackquery") return AnswerCallbackQuery(request);
  if (method == "editmessagereplymarkup") return EditMessage(request, false);
  if (method == "editmessagetext") return EditMessage(request, true);
  return Error(404, "Not Found");
}

ScriptedReply FakeTelegram::SendMessage(const RecordedRequest& request) {
  JsonDocument doc;
  if (!ContentTypeIsJson(request) || !ParseJson(request.body, JsonLimits{}, "request", &doc).ok() ||
      !doc.IsObject()) {
    // Without a readable body the server sees no parameters at all.
    return Error(400, "Bad Request: chat_id is empty");
  }
  const JsonValue* chat = Member(doc, "chat_id");
  int64_t chat_id = 0;
  if (chat != nullptr && chat->IsInt64()) {
    chat_id = chat->GetInt64();
  } else if (chat != nullptr && chat->IsString() && chat->GetStringLength() > 0) {
    std::string text(AsView(*chat));
    if (text.front() != '@') chat_id = std::strtoll(text.c_str(), nullptr, 10);
    if (chat_id == 0 && text.front() != '@') return Error(400, "Bad Request: chat not found");
  } else {
    return Error(400, "Bad Request: chat_id is empty");
  }
  {
    std::lock_guard<std::mutex> lock(state_mu_);
    auto it = migrated_.find(chat_id);
    if (it != migrated_.end()) {
      return ScriptedReply::Answer(
          400, TelegramError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                             std::nullopt, it->second));
    }
  }
  std::optional<std::string> text = StringMember(doc, "text");
  if (!text || text->empty()) return Error(400, "Bad Request: message text is empty");
  size_t units = Utf16Units(*text);
  std::optional<std::string> parse_mode = StringMember(doc, "parse_mode");
  if (parse_mode && LowerCopy(*parse_mode) == "html") {
    if (auto error = CheckTelegramHtml(*text, &units)) return Error(400, *error);
  } else if (parse_mode && !parse_mode->empty() && LowerCopy(*parse_mode) != "markdownv2" &&
             LowerCopy(*parse_mode) != "markdown") {
    return Error(400, "Bad Request: unsupported parse_mode");
  }
  if (units == 0) return Error(400, "Bad Request: message text is empty");
  if (units > 4096) return Error(400, "Bad Request: message is too long");
  Keyboard keyboard = ReadInlineKeyboard(doc);
  if (keyboard.error) return *keyboard.error;

  std::lock_guard<std::mutex> lock(state_mu_);
  const int64_t message_id = next_message_id_++;
  Message& message = messages_[{chat_id, message_id}];
  message.text = *text;
  message.reply_markup = keyboard.json;
  return TelegramOk(MessageJson(chat_id, message_id, message));
}

ScriptedReply FakeTelegram::GetUpdates(const RecordedRequest& request) {
  const JsonDocument params = TelegramParams(request);
  const int64_t offset = TelegramInt(params, "offset").value_or(0);
  const int64_t timeout = std::clamp<int64_t>(TelegramInt(params, "timeout").value_or(0), 0, 50);
  const int64_t limit = std::clamp<int64_t>(TelegramInt(params, "limit").value_or(100), 1, 100);
  // allowed_updates is not applied: the fake makes only the updates a test asks for (and the
  // Bot API, too, sends updates made before the list was given).

  std::unique_lock<std::mutex> lock(state_mu_);
  ++get_updates_calls_;
  state_cv_.notify_all();
  if (webhook_) {
    return Error(409,
                 "Conflict: can't use getUpdates method while webhook is active; use "
                 "deleteWebhook to delete the webhook first");
  }
  // A positive offset confirms every update below it; a negative one keeps only the last ones.
  if (offset > 0) {
    while (!updates_.empty() && updates_.front().update_id < offset) updates_.pop_front();
  } else if (offset < 0) {
    while (static_cast<int64_t>(updates_.size()) > -offset) updates_.pop_front();
  }
  const uint64_t generation = ++poll_generation_;
  state_cv_.notify_all();  // ends a getUpdates that is still waiting
  state_cv_.wait_for(lock, std::chrono::seconds(timeout), [&] {
    return stopped_ || poll_generation_ != generation || !updates_.empty();
  });
  if (stopped_) return ScriptedReply::Drop();
  if (poll_generation_ != generation) {
    ++conflicts_;
    return Conflict();
  }
  std::string result = "[";
  int64_t taken = 0;
  for (const Update& update : updates_) {
    if (taken == limit) break;
    if (taken++ > 0) result += ',';
    result += update.json;
  }
  result += ']';
  return TelegramOk(result);
}

ScriptedReply FakeTelegram::AnswerCallbackQuery(const RecordedRequest& request) {
  const JsonDocument params = TelegramParams(request);
  std::optional<std::string> id = StringMember(params, "callback_query_id");
  if (!id || id->empty()) return Error(400, "Bad Request: QUERY_ID_INVALID");
  std::optional<std::string> text = StringMember(params, "text");
  if (text && Utf16Units(*text) > 200) return Error(400, "Bad Request: MESSAGE_TOO_LONG");
  const JsonValue* show_alert = Member(params, "show_alert");
  std::unique_lock<std::mutex> lock(state_mu_);
  auto it = callback_queries_.find(*id);
  if (it == callback_queries_.end() || it->second) {
    return Error(400,
                 "Bad Request: query is too old and response timeout expired or query ID is "
                 "invalid");
  }
  it->second = true;
  answers_.push_back({*id, text, show_alert != nullptr && show_alert->IsTrue()});
  lock.unlock();
  state_cv_.notify_all();
  return TelegramOk("true");
}

ScriptedReply FakeTelegram::EditMessage(const RecordedRequest& request, bool with_text) {
  const JsonDocument params = TelegramParams(request);
  if (Member(params, "inline_message_id") != nullptr) {
    return Error(400, "Bad Request: MESSAGE_ID_INVALID");  // the fake sends no inline messages
  }
  std::optional<int64_t> chat_id = TelegramInt(params, "chat_id");
  if (!chat_id) return Error(400, "Bad Request: chat_id is empty");
  std::optional<int64_t> message_id = TelegramInt(params, "message_id");
  if (!message_id) return Error(400, "Bad Request: message identifier is not specified");
  std::optional<std::string> text;
  if (with_text) {
    text = StringMember(params, "text");
    if (!text || text->empty()) return Error(400, "Bad Request: message text is empty");
    if (Utf16Units(*text) > 4096) return Error(400, "Bad Request: MESSAGE_TOO_LONG");
  }
  Keyboard keyboard = ReadInlineKeyboard(params);
  if (keyboard.error) return *keyboard.error;

  std::unique_lock<std::mutex> lock(state_mu_);
  auto it = messages_.find({*chat_id, *message_id});
  if (it == messages_.end()) return Error(400, "Bad Request: message to edit not found");
  Message& message = it->second;
  const std::string new_text = text.value_or(message.text);
  // Without a reply_markup an edit removes the keyboard.
  if (new_text == message.text && keyboard.json == message.reply_markup) {
    return Error(400,
                 "Bad Request: message is not modified: specified new message content and reply "
                 "markup are exactly the same as a current content and reply markup of the "
                 "message");
  }
  message.text = new_text;
  message.reply_markup = keyboard.json;
  message.edited = true;
  edits_.push_back({with_text ? "editMessageText" : "editMessageReplyMarkup", *chat_id, *message_id,
                    text, keyboard.json});
  std::string result = MessageJson(*chat_id, *message_id, message);
  lock.unlock();
  state_cv_.notify_all();
  return TelegramOk(result);
}

// ---------------------------------------------------------------------------------------------
// NHN Cloud SMS

namespace {

std::string NhnFailureBody(int code, std::string_view message) {
  Json j;
  j.w().StartObject();
  j.Key("header");
  j.w().StartObject();
  j.Key("isSuccessful");
  j.w().Bool(false);
  j.Key("resultCode");
  j.w().Int(code);
  j.Key("resultMessage");
  j.Str(message);
  j.w().EndObject();
  j.Key("body");
  j.w().Null();
  j.w().EndObject();
  return j.Text();
}

}  // namespace

FakeNhnSms::FakeNhnSms(std::string app_key, std::string secret_key,
                       std::vector<std::string> registered_send_numbers,
                       std::optional<TlsFiles> tls)
    : FakeHttpServer(std::move(tls)),
      app_key_(std::move(app_key)),
      secret_key_(std::move(secret_key)),
      send_numbers_(std::move(registered_send_numbers)) {}

FakeNhnSms::~FakeNhnSms() { Stop(); }

ScriptedReply FakeNhnSms::Failure(int result_code, std::string message) {
  return ScriptedReply::Answer(200, NhnFailureBody(result_code, message));
}

ScriptedReply FakeNhnSms::SystemError() {
  return Failure(-9999, "System error. Please inquire at support@toast.com.");
}

ScriptedReply FakeNhnSms::QueueInsertFailed() {
  return Failure(-2021, "System error. Failed insert queue.");
}

ScriptedReply FakeNhnSms::SendNoNotRegistered() { return Failure(-2312, "Not regist sendno."); }

ScriptedReply FakeNhnSms::UnsupportedCharacters() {
  return Failure(-2023, "Unacceptable characters in title and body");
}

ScriptedReply FakeNhnSms::Answer(const RecordedRequest& request) {
  // /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}
  const std::vector<std::string_view> parts = PathSegments(request.path);
  if (parts.size() < 2 || parts[0] != "sms") return Failure(-9998, "Not exist API.");
  if (parts[1] != "v3.0") return Failure(-9995, "Invalid api version.");
  if (parts.size() != 6 || parts[2] != "appKeys" || parts[4] != "sender" ||
      (parts[5] != "sms" && parts[5] != "mms") || request.method != "POST") {
    return Failure(-9998, "Not exist API.");
  }
  if (parts[3] != app_key_) return Failure(-1000, "Invalid appKey.");
  const std::string* secret = request.header("x-secret-key");
  // The code for a wrong secret key is not documented; -1000 like a wrong appKey.
  if (secret == nullptr || *secret != secret_key_) return Failure(-1000, "Invalid secretKey.");
  if (!ContentTypeIsJson(request)) {
    return Failure(-9996, "Only application/json Content-type is supported.");
  }
  JsonDocument doc;
  if (!ParseJson(request.body, JsonLimits{}, "request", &doc).ok() || !doc.IsObject()) {
    return Failure(-9997, "Invalid API parameters.");
  }
  std::optional<std::string> body = StringMember(doc, "body");
  std::optional<std::string> title = StringMember(doc, "title");
  if (!body || body->empty() || (parts[5] == "mms" && (!title || title->empty()))) {
    return Failure(-2014, "The recipient can not be empty.");
  }
  std::optional<std::string> send_no = StringMember(doc, "sendNo");
  if (!send_no ||
      std::find(send_numbers_.begin(), send_numbers_.end(), *send_no) == send_numbers_.end()) {
    return Failure(-2312, "Not regist sendno.");
  }
  const JsonValue* recipients = Member(doc, "recipientList");
  if (recipients == nullptr || !recipients->IsArray() || recipients->Empty()) {
    return Failure(-2001, "RecipientList can not be null.");
  }
  if (recipients->Size() > 1000) return Failure(-2016, "The max recipient size is 1000.");
  for (const JsonValue& recipient : recipients->GetArray()) {
    std::optional<std::string> number = StringMember(recipient, "recipientNo");
    if (!number) number = StringMember(recipient, "internationalRecipientNo");
    if (!number || number->empty()) return Failure(-2018, "RecipientNo can not be empty.");
  }
  if (!FitsEucKr(*body) || (title && !FitsEucKr(*title))) {
    return Failure(-2023, "Unacceptable characters in title and body");
  }

  char request_id[64];
  std::snprintf(request_id, sizeof(request_id), "20260901031407FakeReq%05d", next_request_++);
  Json j;
  j.w().StartObject();
  j.Key("header");
  j.w().StartObject();
  j.Key("isSuccessful");
  j.w().Bool(true);
  j.Key("resultCode");
  j.w().Int(0);
  j.Key("resultMessage");
  j.Str("SUCCESS");
  j.w().EndObject();
  j.Key("body");
  j.w().StartObject();
  j.Key("data");
  j.w().StartObject();
  j.Key("requestId");
  j.Str(request_id);
  j.Key("statusCode");
  j.Str("2");
  if (auto key = StringMember(doc, "senderGroupingKey")) {
    j.Key("senderGroupingKey");
    j.Str(*key);
  }
  j.Key("sendResultList");
  j.w().StartArray();
  int seq = 0;
  for (const JsonValue& recipient : recipients->GetArray()) {
    std::optional<std::string> number = StringMember(recipient, "recipientNo");
    if (!number) number = StringMember(recipient, "internationalRecipientNo");
    j.w().StartObject();
    j.Key("recipientNo");
    j.Str(*number);
    j.Key("resultCode");
    j.w().Int(0);
    j.Key("resultMessage");
    j.Str("SUCCESS");
    j.Key("recipientSeq");
    j.w().Int(++seq);
    if (auto key = StringMember(recipient, "recipientGroupingKey")) {
      j.Key("recipientGroupingKey");
      j.Str(*key);
    }
    j.w().EndObject();
  }
  j.w().EndArray();
  j.w().EndObject();
  j.w().EndObject();
  j.w().EndObject();
  return ScriptedReply::Answer(200, j.Text());
}

}  // namespace rr
