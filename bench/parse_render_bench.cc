// Parse+render per payload shape: the bytes of one delivery to the three channel requests,
// the work every mode does before it sends. Run: build/micro_bench (see bench/README.md).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "alarm/payload.h"
#include "responder/setup.h"
#include "tests/support/testdata.h"

namespace {

const char* kShapes[][2] = {
    {"sns_lambda_alarm", "sns/lambda-root-alert-alarm.json"},
    {"sns_http_alarm", "http/notification-root-alert.json"},
    {"sqs_pretty_sns_envelope", "sqs/sns-envelope-moto-pretty.json"},
    {"sqs_lambda_event", "lambda/sqs-event-sns-envelope.json"},
    {"eventbridge_console_login", "eventbridge/root-console-login-success.json"},
    {"eventbridge_api_call", "eventbridge/root-api-create-access-key.json"},
    {"eventbridge_via_sns", "sns/lambda-eventbridge-root-login.json"},
    {"composite_alarm", "sns/lambda-composite.json"},
    {"rejected_bad_json", "bad/truncated.json"},
};

rr::Dispatcher& SharedDispatcher() {
  static rr::Setup setup = rr::testing::LoadTestdataSetup();
  return *setup.dispatcher;
}

void ParseOnly(benchmark::State& state, std::string payload) {
  for (auto _ : state) {
    auto parsed = rr::ParsePayload(payload);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(payload.size()));
  state.counters["payloads/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void ParseAndRender(benchmark::State& state, std::string payload) {
  rr::Dispatcher& dispatcher = SharedDispatcher();
  for (auto _ : state) {
    auto outcomes = dispatcher.DryRun(payload);
    benchmark::DoNotOptimize(outcomes);
  }
  state.counters["payloads/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

int RegisterAll() {
  for (const auto& shape : kShapes) {
    std::string payload = rr::testing::ReadFile(rr::testing::TestdataDir() + "/" + shape[1]);
    benchmark::RegisterBenchmark((std::string("Parse/") + shape[0]).c_str(), ParseOnly, payload);
    benchmark::RegisterBenchmark((std::string("ParseRender/") + shape[0]).c_str(), ParseAndRender,
                                 payload);
  }
  return 0;
}

const int kRegistered = RegisterAll();

}  // namespace
