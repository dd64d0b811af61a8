// `once` cold start: spawns `root-responder once --event=F --config=C` as a fresh process, N
// times, against loopback fakes of Dooray, Telegram and NHN SMS (three channels, all sent at
// once since `once` has no timers). Per run: wall time from spawn to the first request at a
// sink, to the last sink's request, and to the process's exit; and its peak resident memory
// (wait4's ru_maxrss). A run counts only when it exits 0 with outcome "delivered" and each sink
// got exactly one request. One warm-up run (page cache, fakes' first accept) is not counted.
//
//   build-release/once_cold_start --runs=30 [--samples=FILE]
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gflags/gflags.h>

#include "alarm/json.h"
#include "bench/samples.h"
#include "bench/three_sinks.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/testdata.h"

DEFINE_string(binary, "build-release/root-responder", "the root-responder to start");
DEFINE_int32(runs, 30, "cold starts to measure");
DEFINE_int32(warmup, 1, "runs before the measured ones, not counted");
DEFINE_string(payload, "sns/lambda-root-alert-alarm.json", "testdata payload to send");
DEFINE_string(samples, "",
              "also write every sample here, one figure a line: NAME V1 V2 ... (bench/run.sh)");

namespace {

using Steady = std::chrono::steady_clock;

// When a sink first saw a request in the current run (0: not yet), and how many it saw.
class FirstArrival {
 public:
  void Reset() {
    first_ns_ = 0;
    count_ = 0;
  }
  void Record() {
    int64_t now = Steady::now().time_since_epoch().count();
    int64_t expected = 0;
    first_ns_.compare_exchange_strong(expected, now);
    ++count_;
  }
  int64_t first_ns() const { return first_ns_; }
  int count() const { return count_; }

 private:
  std::atomic<int64_t> first_ns_{0};
  std::atomic<int> count_{0};
};

template <typename Fake>
class Timed : public Fake {
 public:
  ~Timed() override { this->Stop(); }
  FirstArrival arrival;

 protected:
  rr::ScriptedReply Answer(const rr::RecordedRequest& r) override {
    arrival.Record();
    return Fake::Answer(r);
  }
};

double Ms(int64_t from_ns, int64_t to_ns) { return static_cast<double>(to_ns - from_ns) / 1e6; }

std::string Outcome(const std::string& stdout_text) {
  rr::JsonDocument doc;
  if (!rr::ParseJson(stdout_text, rr::JsonLimits{}, "outcome", &doc).ok() || !doc.IsObject() ||
      !doc.HasMember("outcome") || !doc["outcome"].IsString()) {
    return "<no outcome JSON>";
  }
  return std::string(rr::AsView(doc["outcome"]));
}

}  // namespace

int main(int argc, char** argv) {
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  ::signal(SIGPIPE, SIG_IGN);
  Timed<rr::FakeDooray> dooray;
  Timed<rr::FakeTelegram> telegram;
  Timed<rr::FakeNhnSms> sms;
  for (rr::FakeHttpServer* s :
       std::initializer_list<rr::FakeHttpServer*>{&dooray, &telegram, &sms}) {
    if (!s->Start().ok()) {
      std::fprintf(stderr, "once_cold_start: cannot start a fake provider\n");
      return 1;
    }
  }
  std::string dir = (std::filesystem::temp_directory_path() / "rr-once-cold-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) return 1;
  const std::string config = dir + "/config.json", out_path = dir + "/out.json";
  std::ofstream(config) << R"({
    "subjects": {"root-alert": {"subject": "root 계정", "severity": "critical"}},
    "retry": {"base_seconds": 0.005, "cap_seconds": 0.05, "max_attempts": 3, "deadline_seconds": 5},
    "channels": )" + std::string(rr::bench::kThreeChannels) +
                               "}";
  // Exactly this environment, as a cron job or a hook would give it; logging as shipped (INFO,
  // to stderr, which goes to /dev/null here).
  std::vector<std::string> env = {"PATH=/usr/bin:/bin"};
  for (const auto& [name, value] : rr::bench::ThreeChannelsEnv(dooray, telegram, sms))
    env.push_back(name + "=" + value);
  std::vector<std::string> args = {FLAGS_binary, "once",
                                   "--event=" + rr::testing::TestdataDir() + "/" + FLAGS_payload,
                                   "--config=" + config};
  std::vector<char*> cargs, cenv;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  for (auto& e : env) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  std::vector<double> first_ms, last_ms, exit_ms, rss_mib;
  int failed = 0;
  for (int i = 0; i < FLAGS_warmup + FLAGS_runs; ++i) {
    for (auto* a : {&dooray.arrival, &telegram.arrival, &sms.arrival}) a->Reset();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const int64_t spawned = Steady::now().time_since_epoch().count();
    pid_t pid = 0;
    int rc = posix_spawn(&pid, cargs[0], &actions, nullptr, cargs.data(), cenv.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      std::fprintf(stderr, "once_cold_start: cannot start %s\n", FLAGS_binary.c_str());
      return 1;
    }
    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    const int64_t exited = Steady::now().time_since_epoch().count();
    std::stringstream out;
    out << std::ifstream(out_path).rdbuf();
    const std::string outcome = Outcome(out.str());
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && outcome == "delivered" &&
                    dooray.arrival.count() == 1 && telegram.arrival.count() == 1 &&
                    sms.arrival.count() == 1;
    if (!ok) {
      std::fprintf(stderr,
                   "once_cold_start: run %d: status %d, outcome %s, requests %d/%d/%d; not "
                   "counted\n",
                   i, status, outcome.c_str(), dooray.arrival.count(), telegram.arrival.count(),
                   sms.arrival.count());
      ++failed;
      continue;
    }
    if (i < FLAGS_warmup) continue;
    const int64_t arrivals[] = {dooray.arrival.first_ns(), telegram.arrival.first_ns(),
                                sms.arrival.first_ns()};
    first_ms.push_back(Ms(spawned, *std::min_element(std::begin(arrivals), std::end(arrivals))));
    last_ms.push_back(Ms(spawned, *std::max_element(std::begin(arrivals), std::end(arrivals))));
    exit_ms.push_back(Ms(spawned, exited));
    rss_mib.push_back(static_cast<double>(usage.ru_maxrss) / 1024.0);  // KiB on Linux
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);

  auto line = [](const char* what, const std::vector<double>& v, const char* unit) {
    if (v.empty()) return;
    std::printf("  %-28s median %7.2f %s  min %7.2f  max %7.2f\n", what, rr::bench::Median(v), unit,
                *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
  };
  std::printf("once_cold_start: %zu of %d runs counted (%s, 3 channels, loopback)\n",
              exit_ms.size(), FLAGS_runs, FLAGS_binary.c_str());
  line("spawn to first sink request", first_ms, "ms ");
  line("spawn to last sink request", last_ms, "ms ");
  line("spawn to exit (delivered)", exit_ms, "ms ");
  line("peak resident", rss_mib, "MiB");
  if (!FLAGS_samples.empty()) {
    rr::bench::SamplesFile s(FLAGS_samples);
    s.Put("first_request_ms", first_ms);
    s.Put("last_request_ms", last_ms);
    s.Put("exit_ms", exit_ms);
    s.Put("peak_rss_mib", rss_mib);
    s.Put("failed_runs", {static_cast<double>(failed)});
  }
  return failed == 0 ? 0 : 1;
}
