#include "responder/daemon_http_server.h"

#include <glog/logging.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <thread>

#include "alarm/quote_input.h"

namespace rr {
namespace {

constexpr std::string_view kAckPrefix = "/ack/";

// A request path as it may be logged: quoted (it is the client's text), and without the token
// of an acknowledgement link, which is a capability.
std::string PathForLog(std::string_view path) {
  if (path.find(kAckPrefix) != std::string_view::npos) return "/ack/<redacted>";
  return QuoteInput(path, 120);
}

// True when an /ack/ request announces a body over kMaxAckBodyBytes, or one without a length
// (chunked): it is refused before a byte of it is read.
bool AckBodyTooLarge(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  if (!req.has_header("Content-Length")) return false;
  const std::string value = req.get_header_value("Content-Length");
  uint64_t length = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
  return error != std::errc() || end != value.data() + value.size() || length > kMaxAckBodyBytes;
}

void Send(const AckHttpAnswer& answer, httplib::Response& res) {
  res.status = answer.status;
  for (const auto& [name, value] : answer.headers) res.set_header(name, value);
  res.set_content(answer.body, answer.content_type);
}

}  // namespace

class DaemonHttpServer::Impl {
 public:
  std::unique_ptr<httplib::Server> server;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> running{false};  // inside Run()
};

DaemonHttpServer::DaemonHttpServer(DaemonServerOptions options, DaemonRoutes routes)
    : impl_(std::make_unique<Impl>()), options_(std::move(options)) {
  if (!options_.tls_cert_file.empty()) {
    impl_->server = std::make_unique<httplib::SSLServer>(options_.tls_cert_file.c_str(),
                                                         options_.tls_key_file.c_str());
  } else {
    impl_->server = std::make_unique<httplib::Server>();
  }
  httplib::Server& s = *impl_->server;
  const int threads = std::max(1, options_.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_payload_max_length(options_.max_body_bytes);
  s.set_read_timeout(options_.read_timeout);
  s.set_write_timeout(options_.write_timeout);
  // Headers and body go out in separate writes: without this, Nagle and the client's delayed
  // ACK hold every answer for 40 ms.
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(100);
  // A shutdown waits for idle kept-alive connections; SNS opens new ones as it needs.
  s.set_keep_alive_timeout(1);

  auto sns = [routes](const httplib::Request& req, httplib::Response& res) {
    HttpHeaders headers;
    for (const auto& [name, value] : req.headers) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      headers.emplace_back(std::move(lower), value);
    }
    HttpAnswer answer = routes.sns->Handle(headers, req.body);
    res.status = answer.status;
    res.set_content(answer.body, "text/plain; charset=utf-8");
  };
  s.Post("/", sns);
  s.Post("/sns", sns);
  s.Get("/healthz", [routes](const httplib::Request&, httplib::Response& res) {
    HttpAnswer answer = routes.health();
    res.status = answer.status;
    res.set_content(answer.body, "text/plain; charset=utf-8");
  });
  s.Get("/metrics", [routes](const httplib::Request&, httplib::Response& res) {
    res.set_content(routes.metrics(), "text/plain; version=0.0.4; charset=utf-8");
  });
  s.Get(R"(/drills/([A-Za-z0-9._-]{1,64}))",
        [routes](const httplib::Request& req, httplib::Response& res) {
          HttpAnswer answer = routes.drill(req.matches[1]);
          res.status = answer.status;
          res.set_content(answer.body, "application/json");
        });
  if (routes.ack) {
    // HEAD is served by the GET handler (httplib sends the length without the body); the
    // handler, not the route, decides what a malformed token is.
    auto ack = [routes](const httplib::Request& req, httplib::Response& res) {
      Send(routes.ack(req.method, req.matches[1].str(), req.get_header_value("Content-Type"),
                      req.body),
           res);
    };
    const std::string pattern = std::string(kAckPrefix) + "(.*)";
    s.Get(pattern, ack);
    s.Post(pattern, ack);
    s.Put(pattern, ack);  // the rest: 405 with Allow
    s.Patch(pattern, ack);
    s.Delete(pattern, ack);
    s.Options(pattern, ack);
    s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
      if (req.path.rfind(kAckPrefix, 0) != 0 || !AckBodyTooLarge(req)) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      res.status = 413;
      // The body stays unread on the connection: the client is asked to close it (httplib
      // itself closes only at the keep-alive timeout, or when the body fails to parse as a
      // request).
      res.set_header("Connection", "close");
      res.set_content("request too large\n", "text/plain; charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    });
  }
  s.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        LOG(ERROR) << "http_handler_exception path=" << PathForLog(req.path);
        res.status = 500;
        res.set_content("internal error\n", "text/plain");
      });
}

DaemonHttpServer::~DaemonHttpServer() { Stop(); }

Status DaemonHttpServer::Bind() {
  httplib::Server& s = *impl_->server;
  if (!s.is_valid()) {
    return Status::InvalidArgument("cannot use the TLS certificate " + options_.tls_cert_file +
                                   " and key " + options_.tls_key_file);
  }
  if (options_.port == 0) {
    port_ = s.bind_to_any_port(options_.host);
    if (port_ <= 0) return Status::Unavailable("cannot listen on " + options_.host);
  } else {
    if (!s.bind_to_port(options_.host, options_.port)) {
      return Status::Unavailable("cannot listen on " + options_.host + ":" +
                                 std::to_string(options_.port) + " (in use, or not allowed)");
    }
    port_ = options_.port;
  }
  return Status::Ok();
}

void DaemonHttpServer::Run() {
  impl_->running = true;
  if (port_ > 0 && !impl_->stop_requested) impl_->server->listen_after_bind();
  impl_->running = false;
}

void DaemonHttpServer::Stop() {
  if (!impl_ || !impl_->server) return;
  impl_->stop_requested = true;
  // httplib's stop() does nothing until its accept loop runs: wait for it to start, if Run()
  // was entered but has not got there yet.
  while (impl_->running && !impl_->server->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->server->stop();
}

}  // namespace rr
