// Accepts per second into the SQLite spool with real fsyncs (WAL, synchronous=FULL): one thread,
// where every accept pays its own fsync, and 32 threads, where group commit shares them.
// The spool lives in $RR_BENCH_DIR (default: the system temp directory); put it on the disk the
// daemon will use, since the figure is the disk's fsync rate times the batch size.
// Run: build-release/micro_bench --benchmark_filter=SpoolAccept (see bench/README.md).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "channels/clock.h"
#include "responder/spool.h"

namespace {

std::unique_ptr<rr::Spool> g_spool;
std::string g_dir;
std::atomic<int64_t> g_next_key{0};

void OpenSpool(const benchmark::State&) {
  const char* base = std::getenv("RR_BENCH_DIR");
  std::string pattern =
      (std::filesystem::path(base != nullptr ? base : std::filesystem::temp_directory_path()) /
       "rr-spool-bench-XXXXXX")
          .string();
  if (::mkdtemp(pattern.data()) == nullptr) return;
  g_dir = pattern;
  rr::SpoolOptions options;
  options.path = g_dir + "/spool.db";
  auto spool = rr::Spool::Open(options, rr::SystemClock());
  if (spool.ok()) g_spool = std::move(spool).value();
}

void CloseSpool(const benchmark::State&) {
  g_spool.reset();
  if (!g_dir.empty()) std::filesystem::remove_all(g_dir);
  g_dir.clear();
}

// A payload the size of a real SNS notification of a CloudWatch alarm (~1.5 KB).
const std::string& Payload() {
  static const std::string payload =
      "{\"Type\":\"Notification\",\"Message\":\"" + std::string(1400, 'm') + "\"}";
  return payload;
}

void BM_SpoolAccept(benchmark::State& state) {
  if (g_spool == nullptr) {
    state.SkipWithError("could not open the spool (RR_BENCH_DIR?)");
    return;
  }
  for (auto _ : state) {
    std::string key = "bench-" + std::to_string(g_next_key.fetch_add(1));
    auto accepted = g_spool->Accept(rr::AcceptRequest{key, "sqs", Payload(), {}});
    if (!accepted.ok()) {
      state.SkipWithError(accepted.status().ToString().c_str());
      break;
    }
  }
  state.counters["accepts/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  if (state.thread_index() == 0) {
    // Each run opens a fresh spool (Setup), so its stats are this run's. Other threads may
    // still be finishing their last accept; the ratio is close enough.
    rr::GroupCommit::Stats stats = g_spool->write_stats();
    state.counters["accepts/commit"] =
        stats.batches > 0 ? static_cast<double>(stats.ops) / static_cast<double>(stats.batches) : 0;
  }
}
BENCHMARK(BM_SpoolAccept)
    ->Setup(OpenSpool)
    ->Teardown(CloseSpool)
    ->Threads(1)
    ->Threads(32)
    ->UseRealTime();

}  // namespace
