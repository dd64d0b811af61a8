#include "tests/fakes/moto_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "channels/http_client.h"

extern char** environ;

namespace rr {
namespace {

constexpr char kInstallHint[] =
    "moto_server is not on PATH: run ops/setup.sh (moto 5.2.1 for python3), then run the tests "
    "again";

// A port nothing listens on right now (bound to 0, read back, closed).
int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool OnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

std::string Tail(const std::string& path, size_t max_bytes = 2000) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > max_bytes ? all.substr(all.size() - max_bytes) : all;
}

}  // namespace

MotoServer::~MotoServer() { Stop(); }

std::string MotoServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

Status MotoServer::Start(std::chrono::milliseconds timeout) {
  if (pid_ > 0) return Status::Ok();
  if (!OnPath("moto_server")) return Status::NotFound(kInstallHint);
  port_ = FreeLoopbackPort();
  if (port_ == 0) return Status::Internal("no free loopback port for moto_server");

  char log_template[] = "/tmp/rr_moto_XXXXXX";
  int log_fd = mkstemp(log_template);
  if (log_fd < 0) return Status::Internal("cannot create a log file for moto_server");
  log_path_ = log_template;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, log_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, log_fd, STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, log_fd);
  const std::string port = std::to_string(port_);
  std::vector<std::string> args = {"moto_server", "-H", "127.0.0.1", "-p", port};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "moto_server", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(log_fd);
  if (rc != 0) return Status::NotFound(std::string(kInstallHint) + " (spawn failed)");
  pid_ = pid;

  HttpClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(500);
  options.total_timeout = std::chrono::milliseconds(2000);
  HttpClient client(options);
  HttpRequest ping;
  ping.method = "GET";
  ping.url = url() + "/moto-api/";
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Status::Unavailable("moto_server exited at start-up (status " +
                                 std::to_string(status) + "); its log:\n" + Tail(log_path_));
    }
    HttpResponse r = client.Send(ping);
    if (r.transport_ok()) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string log = Tail(log_path_);
  Stop();
  return Status::DeadlineExceeded("moto_server did not answer on " + url() + " within " +
                                  std::to_string(timeout.count()) + " ms; its log:\n" + log);
}

Status MotoServer::Reset() const {
  HttpClient client;
  HttpRequest reset;
  reset.url = url() + "/moto-api/reset";
  HttpResponse r = client.Send(reset);
  if (!r.transport_ok() || r.status != 200) {
    return Status::Unavailable("moto reset failed: " +
                               (r.transport_ok() ? "HTTP " + std::to_string(r.status) : r.error));
  }
  return Status::Ok();
}

std::map<std::string, std::string> MotoServer::Environment(const std::string& region) const {
  return {{"AWS_ENDPOINT_URL", url()},
          {"AWS_ACCESS_KEY_ID", "AKIAMOTOTESTKEY00001"},
          {"AWS_SECRET_ACCESS_KEY", "motoTestSecretKey/doesNotMatter+0000000001"},
          {"AWS_REGION", region},
          {"AWS_EC2_METADATA_DISABLED", "true"}};
}

void MotoServer::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    bool reaped = false;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        reaped = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!reaped) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
  }
  if (!log_path_.empty()) {
    std::remove(log_path_.c_str());
    log_path_.clear();
  }
}

}  // namespace rr
