// A long-running child process for tests of `serve`: started with exactly the environment
// given, its stderr collected into a file (so a log never blocks it), its stdout read until
// it prints "listening HOST:PORT". Stopped with SIGTERM or killed with SIGKILL, and always
// reaped: a failed test never leaves a daemon behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace rr::testing {

class DaemonProcess {
 public:
  DaemonProcess() = default;
  ~DaemonProcess();  // SIGKILL and reap if still running
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Starts `path args...` and waits up to `timeout` for its "listening HOST:PORT" line.
  // False (with the reason in error()) when it exited or stayed silent.
  bool Start(const std::string& path, const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env, const std::string& log_path,
             std::chrono::milliseconds timeout = std::chrono::seconds(20));

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  bool running() const { return pid_ > 0; }

  // Sends SIGTERM and waits for the exit status (-1 if it had to be killed after `timeout`).
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // SIGKILL, at once: what a crash or the OOM killer does.
  void Kill();

  // The daemon's peak resident memory so far (VmHWM), in KiB; -1 when unknown.
  long PeakRssKib() const;
  // CPU time the daemon has used so far, user and system, in seconds; -1 when unknown.
  double CpuSeconds() const;

  // The daemon's log so far.
  std::string Log() const;
  const std::string& error() const { return error_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::string log_path_;
  std::string error_;
};

}  // namespace rr::testing
