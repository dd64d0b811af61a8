// The daemon's HTTP(S) listener (cpp-httplib): SNS POSTs to "/" or "/sns", GET /healthz,
// GET /metrics, GET /drills/<id> and, when configured, GET/HEAD/POST /ack/<token>. Limits keep one
// client from holding the daemon: bodies over `max_body_bytes` get 413, headers over 8 KiB are
// refused by the library, a connection that sends nothing for `read_timeout` is closed, and at most
// `threads` requests are served at once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "alarm/status.h"
#include "responder/ack_http.h"
#include "responder/sns_http_endpoint.h"

namespace rr {

struct DaemonServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;            // 0: any free port (tests)
  std::string tls_cert_file;  // both set: HTTPS
  std::string tls_key_file;
  int threads = 64;  // SNS keeps connections alive; each holds a thread while it does
  size_t max_body_bytes = 300 * 1024;  // SNS messages are at most 256 KiB plus the envelope
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};
};

struct DaemonRoutes {
  SnsHttpEndpoint* sns = nullptr;
  std::function<HttpAnswer()> health;    // GET /healthz
  std::function<std::string()> metrics;  // GET /metrics, Prometheus text
  // GET /drills/<id>: what became of a drill's alert (JSON); id is [A-Za-z0-9._-]{1,64}.
  std::function<HttpAnswer(const std::string& drill_id)> drill;
  // GET/HEAD/POST /ack/<token>: the acknowledgement page and its form (HandleAckHttp with the
  // secret, clock and incident store bound). Unset: /ack/ is 404. Bodies over kMaxAckBodyBytes
  // get 413 before they are read; other methods get 405. The token, a capability, is never
  // logged: paths under /ack/ are logged as "/ack/<redacted>".
  std::function<AckHttpAnswer(std::string_view method, std::string_view token,
                              std::string_view content_type, std::string_view body)>
      ack;
};

class DaemonHttpServer {
 public:
  DaemonHttpServer(DaemonServerOptions options, DaemonRoutes routes);
  ~DaemonHttpServer();

  // Binds the socket (so the port is known and taken before Run).
  Status Bind();
  int port() const { return port_; }
  // Serves until Stop(); returns at once if Bind() failed.
  void Run();
  // Safe from any thread, also before Run() started.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  DaemonServerOptions options_;
  int port_ = 0;
};

}  // namespace rr
