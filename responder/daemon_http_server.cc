#include "responder/daemon_http_server.h"

#include <glog/logging.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>

namespace rr {

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
  s.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        LOG(ERROR) << "http_handler_exception path=" << req.path;
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
