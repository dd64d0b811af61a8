// Lambda cold start: from spawning `bootstrap` to its first `next` request at the Runtime API
// emulator, and its peak resident memory after one invocation. Runs the packaged zip in an
// empty root under chroot when --root names one, else the build's binary.
//
//   build-release/lambda_cold_start --binary=build-release/root-responder --runs=20
#include <sys/resource.h>
#include <sys/wait.h>

#include <signal.h>
#include <spawn.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <gflags/gflags.h>

#include "tests/fakes/fake_lambda_runtime.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/testdata.h"

DEFINE_string(binary, "build-release/root-responder", "the program to start as bootstrap");
DEFINE_string(root, "", "an unpacked zip's root (runs /var/task/bootstrap there under chroot)");
DEFINE_int32(runs, 20, "cold starts to measure");

extern char** environ;

int main(int argc, char** argv) {
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  rr::FakeDooray dooray;
  rr::FakeTelegram telegram;
  if (!dooray.Start().ok() || !telegram.Start().ok()) return 1;
  const std::string payload =
      rr::testing::ReadFile(rr::testing::TestdataDir() + "/sns/lambda-root-alert-alarm.json");
  std::vector<double> start_ms, invoke_ms, rss_mib;
  for (int i = 0; i < FLAGS_runs; ++i) {
    rr::FakeLambdaRuntime runtime;
    if (!runtime.Start().ok()) return 1;
    std::vector<std::string> env = {"AWS_LAMBDA_RUNTIME_API=" + runtime.host_port(),
                                    "LAMBDA_TASK_ROOT=/var/task",
                                    "LD_LIBRARY_PATH=/var/task/lib",
                                    "GLOG_minloglevel=1",
                                    "DOORAY_HOOK_URL=" + dooray.hook_url(),
                                    "TELEGRAM_BOT_TOKEN=" + telegram.token(),
                                    "TELEGRAM_CHAT_ID=-1001234567890",
                                    "TELEGRAM_API_BASE=" + telegram.api_base()};
    std::vector<std::string> args =
        FLAGS_root.empty()
            ? std::vector<std::string>{FLAGS_binary, "lambda"}
            : std::vector<std::string>{"/usr/sbin/chroot", FLAGS_root, "/var/task/bootstrap"};
    std::vector<char*> cargs, cenv;
    for (auto& a : args) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    for (auto& e : env) cenv.push_back(e.data());
    cenv.push_back(nullptr);
    const auto spawned = std::chrono::steady_clock::now();
    pid_t pid;
    if (posix_spawn(&pid, cargs[0], nullptr, nullptr, cargs.data(), cenv.data()) != 0) return 1;
    runtime.WaitForNextCalls(1, std::chrono::seconds(10));
    start_ms.push_back(
        std::chrono::duration<double, std::milli>(*runtime.first_next_at() - spawned).count());
    const auto enqueued = std::chrono::steady_clock::now();
    std::string id = runtime.Enqueue(payload);
    runtime.WaitForResult(id, std::chrono::seconds(10));
    invoke_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - enqueued)
            .count());
    kill(pid, SIGKILL);
    int status;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    rss_mib.push_back(usage.ru_maxrss / 1024.0);  // ru_maxrss is in KiB on Linux
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  auto max = [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); };
  std::printf("lambda_cold_start: %d runs (%s)\n", FLAGS_runs,
              FLAGS_root.empty() ? FLAGS_binary.c_str() : "zip under chroot");
  std::printf("  spawn to first next   median %.2f ms  max %.2f ms\n", median(start_ms),
              max(start_ms));
  std::printf("  one invocation        median %.2f ms  max %.2f ms (2 channels, loopback)\n",
              median(invoke_ms), max(invoke_ms));
  std::printf("  peak resident         median %.2f MiB  max %.2f MiB\n", median(rss_mib),
              max(rss_mib));
  return 0;
}
