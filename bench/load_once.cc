// Load tool: N alerts through the code `once` runs (parse, enrich, render, deliver with
// retries, one thread per channel) to loopback fakes of Dooray, Telegram and NHN SMS.
// Reports alerts/s and per-channel p50/p99 delivery latency. With --fail_percent=50 the
// fakes answer every other request with 503, so the retry stage is part of the figure.
//
//   build-release/load_once --alerts=2000 --concurrency=8 [--fail_percent=50]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>
#include <vector>

#include <gflags/gflags.h>
#include <glog/logging.h>

#include "bench/three_sinks.h"
#include "channels/deliver.h"
#include "responder/channel_factory.h"
#include "responder/setup.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/testdata.h"

DEFINE_int32(alerts, 2000, "alerts to send");
DEFINE_int32(concurrency, 8, "alerts in flight at once");
DEFINE_int32(fail_percent, 0, "0 or 50: the share of requests the fakes answer with 503");
DEFINE_string(payload, "sns/lambda-root-alert-alarm.json", "testdata payload to send");

namespace {

using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

std::vector<rr::ScriptedReply> HalfFailing(size_t n) {
  std::vector<rr::ScriptedReply> script;
  for (size_t i = 0; i < n; ++i) {
    script.push_back(i % 2 == 0 ? rr::ScriptedReply::Answer(503, "{\"error\":\"unavailable\"}")
                                : rr::ScriptedReply::Normal());
  }
  return script;
}

}  // namespace

int main(int argc, char** argv) {
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  FLAGS_minloglevel = 2;  // attempt lines would dominate the measurement
  google::InitGoogleLogging(argv[0]);

  rr::FakeDooray dooray;
  rr::FakeTelegram telegram;
  rr::FakeNhnSms sms;
  for (rr::FakeHttpServer* s :
       std::initializer_list<rr::FakeHttpServer*>{&dooray, &telegram, &sms}) {
    if (!s->Start().ok()) {
      std::fprintf(stderr, "load_once: cannot start a fake provider\n");
      return 1;
    }
    // Enough scripted answers for every attempt the run can make.
    if (FLAGS_fail_percent == 50) s->Script(HalfFailing(static_cast<size_t>(FLAGS_alerts) * 12));
  }
  const std::map<std::string, std::string> env = rr::bench::ThreeChannelsEnv(dooray, telegram, sms);
  const std::string config = R"({
    "subjects": {"root-alert": {"subject": "root 계정", "severity": "critical"}},
    "retry": {"base_seconds": 0.005, "cap_seconds": 0.05, "max_attempts": 6,
              "deadline_seconds": 10},
    "channels": )" + std::string(rr::bench::kThreeChannels) +
                             "}";
  rr::ConfigReport report =
      rr::ParseConfig(config, "load", [&](const std::string& k) -> std::optional<std::string> {
        auto it = env.find(k);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
      });
  if (!report.ok()) {
    std::fprintf(stderr, "load_once: %s\n", report.problems.front().c_str());
    return 1;
  }
  rr::RenderContext ctx;
  ctx.time_zone = *rr::FindTimeZone("Asia/Seoul");
  rr::Dispatcher dispatcher(report.config, rr::BuildChannels(report.config), ctx);
  const std::string payload =
      rr::testing::ReadFile(rr::testing::TestdataDir() + "/" + FLAGS_payload);

  rr::HttpClient client;
  rr::RetryPolicy policy;
  policy.base = std::chrono::milliseconds(5);
  policy.cap = std::chrono::milliseconds(50);
  policy.max_attempts = 6;
  policy.deadline = std::chrono::milliseconds(10000);
  const rr::DeliveryEnv denv{&client, &rr::SystemClock(), &rr::SystemRandom(), policy};
  const auto& channels = dispatcher.channels();

  std::vector<std::vector<double>> latency_ms(channels.size());
  std::vector<std::vector<double>> alert_ms(FLAGS_concurrency);
  std::vector<std::vector<std::vector<double>>> per_worker(
      FLAGS_concurrency, std::vector<std::vector<double>>(channels.size()));
  std::atomic<int> next{0}, failed_deliveries{0}, attempts{0};

  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < FLAGS_concurrency; ++w) {
    workers.emplace_back([&, w] {
      while (next.fetch_add(1) < FLAGS_alerts) {
        const auto t0 = Clock::now();
        std::vector<rr::Outcome> outcomes = dispatcher.Prepare(payload);
        const rr::Alert& alert = *outcomes.front().alert;
        std::vector<std::thread> sends;
        for (size_t c = 0; c < channels.size(); ++c) {
          sends.emplace_back([&, c] {
            const auto c0 = Clock::now();
            rr::DeliveryReport r = rr::Deliver(*channels[c], channels[c]->Render(alert, ctx), denv);
            per_worker[w][c].push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - c0).count());
            attempts += r.attempts;
            if (!r.sent) ++failed_deliveries;
          });
        }
        for (auto& t : sends) t.join();
        alert_ms[w].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });
  }
  for (auto& t : workers) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> all_alerts;
  for (int w = 0; w < FLAGS_concurrency; ++w) {
    all_alerts.insert(all_alerts.end(), alert_ms[w].begin(), alert_ms[w].end());
    for (size_t c = 0; c < channels.size(); ++c) {
      latency_ms[c].insert(latency_ms[c].end(), per_worker[w][c].begin(), per_worker[w][c].end());
    }
  }
  std::printf("load_once: %d alerts x %zu channels, concurrency %d, fakes failing %d%%\n",
              FLAGS_alerts, channels.size(), FLAGS_concurrency, FLAGS_fail_percent);
  std::printf("  %.0f alerts/s (%.2f s), %d attempts, %d failed deliveries\n",
              FLAGS_alerts / seconds, seconds, attempts.load(), failed_deliveries.load());
  std::printf("  alert (all channels)  p50 %.2f ms  p99 %.2f ms\n", Percentile(all_alerts, 0.5),
              Percentile(all_alerts, 0.99));
  for (size_t c = 0; c < channels.size(); ++c) {
    std::printf("  %-20s  p50 %.2f ms  p99 %.2f ms\n", channels[c]->name().c_str(),
                Percentile(latency_ms[c], 0.5), Percentile(latency_ms[c], 0.99));
  }
  return 0;  // failures under --fail_percent are part of the measurement, not an error
}
