// moto_server (moto 5.2.1, shared/reference/aws-formats.md 8) as a child process on a free
// loopback port, so tests talk to SQS and SSM over real sockets with real SigV4 requests.
// Nothing is skipped when it is missing: Start() fails and says how to install it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>

#include "alarm/status.h"

namespace rr {

class MotoServer {
 public:
  MotoServer() = default;
  // Stops the server (SIGTERM, SIGKILL after 5 s) and reaps it.
  ~MotoServer();
  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;

  // Runs `moto_server -H 127.0.0.1 -p <free port>` and waits until it answers HTTP, at most
  // `timeout`. Fails when moto_server is not on PATH (run ops/setup.sh), exits early (its log
  // is quoted), or stays silent.
  Status Start(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT"
  pid_t pid() const { return pid_; }

  // Forgets every queue, parameter, ... (POST /moto-api/reset).
  Status Reset() const;

  // What a client needs to reach it the SDK way: AWS_ENDPOINT_URL, throwaway keys, `region`,
  // and IMDS switched off (so nothing waits on 169.254.169.254).
  std::map<std::string, std::string> Environment(const std::string& region) const;

 private:
  void Stop();

  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

}  // namespace rr
