// Load tool for `serve`: signed SNS notifications POSTed concurrently to the real daemon, which
// verifies each signature, spools it (SQLite, synchronous=FULL) and delivers it to loopback
// fakes of Dooray, Telegram and NHN SMS: three channels per alert. Reports accepted/s,
// delivered/s (all three channels), p50/p99 from POST to each sink receiving the alert, and
// the daemon's peak resident memory. --fail_percent=50 makes every other sink answer 503.
//
//   build-release/load_serve --alerts=5000 --concurrency=32 [--fail_percent=50] [--samples=FILE]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gflags/gflags.h>

#include "bench/three_sinks.h"
#include "channels/http_client.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/daemon_process.h"
#include "tests/support/sns_signer.h"

DEFINE_int32(alerts, 5000, "signed notifications to post");
DEFINE_int32(concurrency, 32, "POSTs in flight at once");
DEFINE_int32(rate, 0,
             "alerts posted per second on a fixed schedule (open loop); 0: as fast as the "
             "daemon answers, which measures throughput, not latency");
DEFINE_int32(fail_percent, 0, "0 or 50: the share of sink answers that are 503");
DEFINE_string(binary, "build-release/root-responder", "the root-responder to run");
DEFINE_int32(workers, 16, "serve --workers");
DEFINE_string(samples, "", "also write the figures here, one a line: NAME VALUE (bench/run.sh)");

namespace {

using Steady = std::chrono::steady_clock;

double OwnCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Arrival times of each alert at one sink, by the number in its alarm name ("load-000123").
class Arrivals {
 public:
  explicit Arrivals(size_t n) : first_(n) {}
  void Record(const std::string& body) {
    size_t at = body.find("load-");
    if (at == std::string::npos) return;
    size_t i = std::strtoul(body.c_str() + at + 5, nullptr, 10);
    std::lock_guard<std::mutex> lock(mu_);
    if (i < first_.size() && first_[i] == Steady::time_point{}) {
      first_[i] = Steady::now();
      ++count_;
    }
  }
  size_t count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }
  Steady::time_point at(size_t i) const {
    std::lock_guard<std::mutex> lock(mu_);
    return first_[i];
  }

 private:
  mutable std::mutex mu_;
  std::vector<Steady::time_point> first_;
  size_t count_ = 0;
};

rr::ScriptedReply Maybe503(std::atomic<long>& counter) {
  if (FLAGS_fail_percent == 50 && counter.fetch_add(1) % 2 == 0) {
    return rr::ScriptedReply::Answer(503, "{\"error\":\"unavailable\"}");
  }
  return rr::ScriptedReply::Normal();
}

class TimedDooray : public rr::FakeDooray {
 public:
  explicit TimedDooray(Arrivals& a) : arrivals_(a) {}
  ~TimedDooray() override { Stop(); }

 protected:
  rr::ScriptedReply Answer(const rr::RecordedRequest& r) override {
    rr::ScriptedReply reply = Maybe503(counter_);
    if (reply.kind != rr::ScriptedReply::Kind::kNormal) return reply;
    arrivals_.Record(r.body);
    return FakeDooray::Answer(r);
  }

 private:
  Arrivals& arrivals_;
  std::atomic<long> counter_{0};
};

class TimedTelegram : public rr::FakeTelegram {
 public:
  explicit TimedTelegram(Arrivals& a) : arrivals_(a) {}
  ~TimedTelegram() override { Stop(); }

 protected:
  rr::ScriptedReply Answer(const rr::RecordedRequest& r) override {
    rr::ScriptedReply reply = Maybe503(counter_);
    if (reply.kind != rr::ScriptedReply::Kind::kNormal) return reply;
    arrivals_.Record(r.body);
    return FakeTelegram::Answer(r);
  }

 private:
  Arrivals& arrivals_;
  std::atomic<long> counter_{0};
};

class TimedSms : public rr::FakeNhnSms {
 public:
  explicit TimedSms(Arrivals& a) : arrivals_(a) {}
  ~TimedSms() override { Stop(); }

 protected:
  rr::ScriptedReply Answer(const rr::RecordedRequest& r) override {
    rr::ScriptedReply reply = Maybe503(counter_);
    if (reply.kind != rr::ScriptedReply::Kind::kNormal) return reply;
    arrivals_.Record(r.body);
    return FakeNhnSms::Answer(r);
  }

 private:
  Arrivals& arrivals_;
  std::atomic<long> counter_{0};
};

}  // namespace

int main(int argc, char** argv) {
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  const size_t n = static_cast<size_t>(FLAGS_alerts);
  Arrivals at_dooray(n), at_telegram(n), at_sms(n);
  TimedDooray dooray(at_dooray);
  TimedTelegram telegram(at_telegram);
  TimedSms sms(at_sms);
  for (rr::FakeHttpServer* s :
       std::initializer_list<rr::FakeHttpServer*>{&dooray, &telegram, &sms}) {
    if (!s->Start().ok()) {
      std::fprintf(stderr, "load_serve: cannot start a fake provider\n");
      return 1;
    }
  }
  std::string dir = (std::filesystem::temp_directory_path() / "rr-load-serve-XXXXXX").string();
  if (!::mkdtemp(dir.data())) return 1;
  std::ofstream(dir + "/config.json") << R"({
    "escalation": {"correlation_window_seconds": 0, "repeat_seconds": 0,
                   "tiers": [{"channels": ["dooray", "telegram", "nhn_sms"], "after_seconds": 0}]},
    "retry": {"base_seconds": 0.005, "cap_seconds": 0.05, "max_attempts": 6, "deadline_seconds": 10},
    "channels": )" + std::string(rr::bench::kThreeChannels) +
                                             "}";
  std::map<std::string, std::string> env = rr::bench::ThreeChannelsEnv(dooray, telegram, sms);
  env["GLOG_minloglevel"] = "1";
  rr::testing::DaemonProcess daemon;
  if (!daemon.Start(FLAGS_binary,
                    {"serve", "--config=" + dir + "/config.json", "--listen=127.0.0.1:0",
                     "--spool=" + dir + "/spool.db",
                     "--sns-topics=arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic",
                     "--sns-certs=" + rr::testing::TestSigningCertPath(),
                     "--workers=" + std::to_string(FLAGS_workers), "--round-delay-ms=100"},
                    env, dir + "/daemon.log")) {
    std::fprintf(stderr, "load_serve: %s\n", daemon.error().c_str());
    return 1;
  }

  // Sign every body first: the figure is the daemon's, not the signer's.
  std::vector<std::string> bodies(n);
  for (size_t i = 0; i < n; ++i) {
    char name[32], id[64];
    std::snprintf(name, sizeof name, "load-%06zu", i);
    std::snprintf(id, sizeof id, "66666666-0000-4000-8000-%012zu", i);
    rr::testing::SnsNotification note;
    note.message_id = id;
    note.subject = std::string("ALARM: \"") + name + "\" in Asia Pacific (Seoul)";
    note.message = rr::testing::AlarmMessage(name, "ALARM", "Threshold Crossed");
    bodies[i] = rr::testing::SignedNotificationBody(note);
  }

  rr::HttpClientOptions options;
  options.total_timeout = std::chrono::seconds(30);
  rr::HttpClient client(options);
  std::vector<Steady::time_point> posted(n);
  std::vector<double> accept_ms(n);
  std::atomic<size_t> next{0};
  std::atomic<int> refused{0};
  const double daemon_cpu_before = daemon.CpuSeconds();
  const double own_cpu_before = OwnCpuSeconds();
  const auto start = Steady::now();
  std::vector<std::thread> posters;
  for (int w = 0; w < FLAGS_concurrency; ++w) {
    posters.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < n;) {
        rr::HttpRequest post;
        post.url = daemon.base_url() + "/";
        post.headers = {{"x-amz-sns-message-type", "Notification"},
                        {"Content-Type", "text/plain; charset=UTF-8"}};
        post.body = bodies[i];
        if (FLAGS_rate > 0) {
          // Latency counts from the scheduled time, so a late post (a busy poster, a slow
          // accept before it) is counted, not hidden (coordinated omission).
          posted[i] =
              start + std::chrono::duration_cast<Steady::duration>(
                          std::chrono::duration<double>(static_cast<double>(i) / FLAGS_rate));
          std::this_thread::sleep_until(posted[i]);
        } else {
          posted[i] = Steady::now();
        }
        rr::HttpResponse r = client.Send(post);
        accept_ms[i] = std::chrono::duration<double, std::milli>(Steady::now() - posted[i]).count();
        if (r.status != 200) ++refused;
      }
    });
  }
  for (auto& t : posters) t.join();
  const double accept_seconds = std::chrono::duration<double>(Steady::now() - start).count();
  const auto wait_until = Steady::now() + std::chrono::seconds(120);
  while ((at_dooray.count() < n || at_telegram.count() < n || at_sms.count() < n) &&
         Steady::now() < wait_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // CPU per alert, of the daemon and of this tool (posters and fake sinks): on a small machine
  // both share the cores, so the daemon's figure says what it costs, whatever the tool takes.
  const double daemon_cpu_us =
      (daemon.CpuSeconds() - daemon_cpu_before) * 1e6 / static_cast<double>(n);
  const double own_cpu_us = (OwnCpuSeconds() - own_cpu_before) * 1e6 / static_cast<double>(n);
  Steady::time_point last{};
  std::vector<double> to_sink;
  std::vector<double> after_accept;  // from the POST's 200 to the sink: the delivery's share
  std::map<std::string, std::vector<double>> by_sink;
  for (size_t i = 0; i < n; ++i) {
    for (const Arrivals* a : {&at_dooray, &at_telegram, &at_sms}) {
      Steady::time_point t = a->at(i);
      if (t == Steady::time_point{}) continue;
      last = std::max(last, t);
      to_sink.push_back(std::chrono::duration<double, std::milli>(t - posted[i]).count());
      after_accept.push_back(to_sink.back() - accept_ms[i]);
      by_sink[a == &at_dooray     ? "dooray"
              : a == &at_telegram ? "telegram"
                                  : "nhn_sms"]
          .push_back(to_sink.back());
    }
  }
  const double deliver_seconds = std::chrono::duration<double>(last - start).count();
  const size_t delivered = std::min({at_dooray.count(), at_telegram.count(), at_sms.count()});
  std::printf("load_serve: %zu signed notifications, %d concurrent POSTs, %d%% sink 503s, %s\n", n,
              FLAGS_concurrency, FLAGS_fail_percent,
              FLAGS_rate > 0 ? ("offered " + std::to_string(FLAGS_rate) + "/s").c_str()
                             : "as fast as answered");
  std::printf("  accepted      %8.0f /s   (%d refused)  POST->200 p50 %.1f ms  p99 %.1f ms\n",
              static_cast<double>(n - refused) / accept_seconds, refused.load(),
              Percentile(accept_ms, 0.5), Percentile(accept_ms, 0.99));
  std::printf("  delivered     %8.0f /s   (%zu of %zu alerts on all three channels)\n",
              static_cast<double>(delivered) / deliver_seconds, delivered, n);
  std::printf("  POST->sink    p50 %.1f ms  p99 %.1f ms  (%zu channel deliveries)\n",
              Percentile(to_sink, 0.5), Percentile(to_sink, 0.99), to_sink.size());
  std::printf("  200->sink     p50 %.1f ms  p99 %.1f ms  (the delivery's share);  p99 by sink:",
              Percentile(after_accept, 0.5), Percentile(after_accept, 0.99));
  for (const auto& [sink, ms] : by_sink)
    std::printf(" %s %.1f ms", sink.c_str(), Percentile(ms, 0.99));
  std::printf("\n");
  const double peak_rss_mib = static_cast<double>(daemon.PeakRssKib()) / 1024;
  std::printf("  daemon peak resident %.1f MiB\n", peak_rss_mib);
  std::printf("  CPU per alert: daemon %.0f us, load tool and sinks %.0f us\n", daemon_cpu_us,
              own_cpu_us);
  if (!FLAGS_samples.empty()) {
    std::ofstream s(FLAGS_samples, std::ios::trunc);
    s << "accepted_per_s " << static_cast<double>(n - refused) / accept_seconds << '\n'
      << "refused " << refused.load() << '\n'
      << "accept_p50_ms " << Percentile(accept_ms, 0.5) << '\n'
      << "accept_p99_ms " << Percentile(accept_ms, 0.99) << '\n'
      << "delivered_per_s " << static_cast<double>(delivered) / deliver_seconds << '\n'
      << "delivered_alerts " << delivered << '\n'
      << "sink_p50_ms " << Percentile(to_sink, 0.5) << '\n'
      << "sink_p99_ms " << Percentile(to_sink, 0.99) << '\n'
      << "delivery_p99_ms " << Percentile(after_accept, 0.99) << '\n'
      << "peak_rss_mib " << peak_rss_mib << '\n'
      << "daemon_cpu_us_per_alert " << daemon_cpu_us << '\n'
      << "tool_cpu_us_per_alert " << own_cpu_us << '\n';
  }
  daemon.Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return delivered == n ? 0 : 1;
}
