#include "tests/support/run_binary.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <sstream>

namespace rr::testing {
namespace {

using Steady = std::chrono::steady_clock;

// Closes a file descriptor once, on scope exit or on request.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset(int fd) {
    Close();
    fd_ = fd;
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

bool MakePipe(Fd* read_end, Fd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  read_end->Reset(fds[0]);
  write_end->Reset(fds[1]);
  return true;
}

std::string Errno(const char* what, int error) {
  return std::string(what) + ": " + std::strerror(error);
}

}  // namespace

std::string BinaryRun::Describe() const {
  std::ostringstream s;
  if (!spawn_error.empty()) s << "spawn error: " << spawn_error << "\n";
  s << "exit code " << exit_code;
  if (term_signal != 0) s << ", killed by signal " << term_signal;
  if (timed_out) s << ", TIMED OUT";
  s << ", " << elapsed.count() << " ms\n--- stdout ---\n"
    << out << "\n--- stderr ---\n"
    << err << "\n--- end ---";
  return s.str();
}

BinaryRun RunBinary(const BinaryInvocation& invocation) {
  BinaryRun run;
  const auto start = Steady::now();
  Fd in_read, in_write, out_read, out_write, err_read, err_write;
  if (!MakePipe(&in_read, &in_write) || !MakePipe(&out_read, &out_write) ||
      !MakePipe(&err_read, &err_write)) {
    run.spawn_error = Errno("pipe2", errno);
    return run;
  }

  std::vector<std::string> argv_storage;
  argv_storage.push_back(invocation.path);
  argv_storage.insert(argv_storage.end(), invocation.args.begin(), invocation.args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (const auto& [name, value] : invocation.env) env_storage.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
  // The child starts with default signal dispositions, whatever the test process changed.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t all_signals, no_signals;
  sigfillset(&all_signals);
  sigemptyset(&no_signals);
  posix_spawnattr_setsigdefault(&attr, &all_signals);
  posix_spawnattr_setsigmask(&attr, &no_signals);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, invocation.path.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  in_read.Close();
  out_write.Close();
  err_write.Close();
  if (spawned != 0) {
    run.spawn_error = Errno("posix_spawn", spawned);
    return run;
  }

  // Feed standard input and drain both outputs together, so neither side can block the other.
  size_t written = 0;
  if (invocation.stdin_data.empty()) {
    in_write.Close();
  } else {
    // A child that exits without reading its input must not take the test process with it.
    static std::once_flag ignore_sigpipe;
    std::call_once(ignore_sigpipe, [] { std::signal(SIGPIPE, SIG_IGN); });
  }
  if (in_write.get() >= 0) ::fcntl(in_write.get(), F_SETFL, O_NONBLOCK);
  const auto deadline = start + invocation.timeout;
  char buffer[65536];
  while (out_read.get() >= 0 || err_read.get() >= 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now());
    if (left.count() <= 0) {
      run.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[3];
    nfds_t n = 0;
    Fd* owners[3];
    std::string* sinks[3];
    auto add = [&](Fd& fd, short events, std::string* sink) {
      if (fd.get() < 0) return;
      fds[n] = pollfd{fd.get(), events, 0};
      owners[n] = &fd;
      sinks[n] = sink;
      ++n;
    };
    add(out_read, POLLIN, &run.out);
    add(err_read, POLLIN, &run.err);
    add(in_write, POLLOUT, nullptr);
    int ready = ::poll(fds, n, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      run.spawn_error = Errno("poll", errno);
      ::kill(pid, SIGKILL);
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (sinks[i] == nullptr) {  // standard input
        if (fds[i].revents & (POLLERR | POLLHUP)) {
          owners[i]->Close();  // the child closed its end; it will not read the rest
          continue;
        }
        ssize_t w = ::write(fds[i].fd, invocation.stdin_data.data() + written,
                            invocation.stdin_data.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if ((w < 0 && errno != EAGAIN && errno != EINTR) ||
            written == invocation.stdin_data.size()) {
          owners[i]->Close();
        }
        continue;
      }
      ssize_t r = ::read(fds[i].fd, buffer, sizeof buffer);
      if (r > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(r));
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        owners[i]->Close();
      }
    }
  }
  in_write.Close();

  // The outputs are closed; the child may still linger (or have closed them and hung).
  int status = 0;
  pid_t waited = 0;
  while (true) {
    waited = ::waitpid(pid, &status, run.timed_out ? 0 : WNOHANG);
    if (waited < 0 && errno == EINTR) continue;
    if (waited != 0) break;
    if (Steady::now() >= deadline) {
      run.timed_out = true;
      ::kill(pid, SIGKILL);
      continue;  // now wait for it without WNOHANG
    }
    ::usleep(1000);
  }
  if (waited == pid) {
    if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) run.term_signal = WTERMSIG(status);
  }
  run.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start);
  return run;
}

}  // namespace rr::testing
