// Lambda cold start: from spawning `bootstrap` to its first `next` request at the Runtime API
// emulator, then one invocation (an alarm, two loopback channels), then --warm_invocations
// of an event that is ignored (nothing sent: the runtime's own per-invocation overhead, the
// `next` -> parse -> `response` round trip), and its peak resident memory. Runs the packaged
// zip in an empty root under chroot when --root names one, else the build's binary.
//
//   build-release/lambda_cold_start --runs=20 [--warm_invocations=10] [--samples=FILE]
#include <sys/resource.h>
#include <sys/wait.h>

#include <signal.h>
#include <spawn.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gflags/gflags.h>

#include "bench/samples.h"
#include "tests/fakes/fake_lambda_runtime.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/testdata.h"

DEFINE_string(binary, "build-release/root-responder", "the program to start as bootstrap");
DEFINE_string(root, "", "an unpacked zip's root (runs /var/task/bootstrap there under chroot)");
DEFINE_int32(runs, 20, "cold starts to measure");
DEFINE_int32(warm_invocations, 0,
             "after the first invocation, this many of --warm_payload (per cold start)");
DEFINE_string(warm_payload, "sns/lambda-ok-state.json",
              "testdata payload for the warm invocations (ignored: OK is not notified)");
DEFINE_string(samples, "",
              "also write every sample here, one figure a line: NAME V1 V2 ... (bench/run.sh)");

extern char** environ;

int main(int argc, char** argv) {
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  rr::FakeDooray dooray;
  rr::FakeTelegram telegram;
  if (!dooray.Start().ok() || !telegram.Start().ok()) return 1;
  const std::string payload =
      rr::testing::ReadFile(rr::testing::TestdataDir() + "/sns/lambda-root-alert-alarm.json");
  const std::string warm_payload =
      rr::testing::ReadFile(rr::testing::TestdataDir() + "/" + FLAGS_warm_payload);
  std::vector<double> start_ms, invoke_ms, warm_ms, rss_mib;
  auto ms_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
  };
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
    // Any failure kills and reaps the child first: the tool never leaves a bootstrap behind.
    auto reap = [pid](bool kill_it) {
      if (kill_it) kill(pid, SIGKILL);
      int status;
      rusage usage{};
      wait4(pid, &status, 0, &usage);
      return usage.ru_maxrss / 1024.0;  // ru_maxrss is in KiB on Linux
    };
    if (!runtime.WaitForNextCalls(1, std::chrono::seconds(10)) || !runtime.first_next_at()) {
      reap(true);
      std::fprintf(stderr, "lambda_cold_start: run %d: no `next` within 10 s\n", i);
      return 1;
    }
    start_ms.push_back(
        std::chrono::duration<double, std::milli>(*runtime.first_next_at() - spawned).count());
    const auto enqueued = std::chrono::steady_clock::now();
    std::string id = runtime.Enqueue(payload);
    rr::LambdaInvocationResult result = runtime.WaitForResult(id, std::chrono::seconds(10));
    invoke_ms.push_back(ms_since(enqueued));
    bool ok = result.kind == rr::LambdaInvocationResult::Kind::kResponse;
    for (int w = 0; ok && w < FLAGS_warm_invocations; ++w) {
      const auto warm_enqueued = std::chrono::steady_clock::now();
      std::string warm_id = runtime.Enqueue(warm_payload);
      ok = runtime.WaitForResult(warm_id, std::chrono::seconds(10)).kind ==
           rr::LambdaInvocationResult::Kind::kResponse;
      warm_ms.push_back(ms_since(warm_enqueued));
    }
    const double rss = reap(true);
    if (!ok) {
      std::fprintf(stderr, "lambda_cold_start: run %d: an invocation got no response (%s)\n", i,
                   result.body.c_str());
      return 1;
    }
    rss_mib.push_back(rss);
  }
  using rr::bench::Max;
  using rr::bench::Median;
  std::printf("lambda_cold_start: %d runs (%s)\n", FLAGS_runs,
              FLAGS_root.empty() ? FLAGS_binary.c_str() : "zip under chroot");
  std::printf("  spawn to first next   median %.2f ms  max %.2f ms\n", Median(start_ms),
              Max(start_ms));
  std::printf("  one invocation        median %.2f ms  max %.2f ms (2 channels, loopback)\n",
              Median(invoke_ms), Max(invoke_ms));
  if (!warm_ms.empty()) {
    std::printf("  warm invocation       median %.2f ms  max %.2f ms (%s, nothing sent)\n",
                Median(warm_ms), Max(warm_ms), FLAGS_warm_payload.c_str());
  }
  std::printf("  peak resident         median %.2f MiB  max %.2f MiB\n", Median(rss_mib),
              Max(rss_mib));
  if (!FLAGS_samples.empty()) {
    rr::bench::SamplesFile s(FLAGS_samples);
    s.Put("first_next_ms", start_ms);
    s.Put("first_invocation_ms", invoke_ms);
    s.Put("warm_invocation_ms", warm_ms);
    s.Put("peak_rss_mib", rss_mib);
  }
  return 0;
}
