// Start-up floor: spawns a command N times and reports the wall time from spawn to exit and the
// peak resident memory (wait4's ru_maxrss). bench/run.sh runs it on an empty program linked to
// the same shared libraries as root-responder, and on `root-responder --version`, so the table
// shows how much of a cold start is the dynamic loader's and the libraries' and how much ours.
//
//   build-release/spawn_floor --runs=30 --name=floor --samples=FILE -- PROGRAM [ARGS...]
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gflags/gflags.h>

#include "bench/samples.h"

DEFINE_int32(runs, 30, "starts to measure");
DEFINE_int32(warmup, 1, "starts before the measured ones, not counted");
DEFINE_string(name, "spawn", "prefix of the figures written to --samples");
DEFINE_string(samples, "", "also write every sample here: NAME_exit_ms V1 V2 ..., NAME_rss_mib");

extern char** environ;

int main(int argc, char** argv) {
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  if (argc < 2) {
    std::fprintf(stderr, "usage: spawn_floor [--runs=N] -- PROGRAM [ARGS...]\n");
    return 2;
  }
  std::vector<double> exit_ms, rss_mib;
  for (int i = 0; i < FLAGS_warmup + FLAGS_runs; ++i) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[1], &actions, nullptr, argv + 1, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      std::fprintf(stderr, "spawn_floor: cannot start %s\n", argv[1]);
      return 1;
    }
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "spawn_floor: %s did not exit 0\n", argv[1]);
      return 1;
    }
    if (i < FLAGS_warmup) continue;
    exit_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    rss_mib.push_back(static_cast<double>(usage.ru_maxrss) / 1024);
  }
  std::printf("%s: %d starts, spawn -> exit median %.2f ms, peak resident median %.1f MiB\n",
              FLAGS_name.c_str(), FLAGS_runs, rr::bench::Median(exit_ms),
              rr::bench::Median(rss_mib));
  if (!FLAGS_samples.empty()) {
    rr::bench::SamplesFile s(FLAGS_samples);
    s.Put(FLAGS_name + "_exit_ms", exit_ms);
    s.Put(FLAGS_name + "_rss_mib", rss_mib);
  }
  return 0;
}
