#include "responder/commands.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include <glog/logging.h>

#include "channels/clock.h"
#include "channels/http_client.h"
#include "channels/redact.h"
#include "responder/client_options.h"
#include "responder/lambda_handler.h"
#include "responder/lambda_runtime.h"
#include "responder/setup.h"

namespace rr {
namespace {

// Reads at most `limit` + 1 bytes: enough for the parser to say the payload is too large
// without holding a hostile multi-gigabyte stream in memory.
bool ReadPayload(std::istream& in, size_t limit, std::string* out) {
  out->clear();
  char buffer[65536];
  while (in && out->size() <= limit) {
    in.read(buffer, sizeof buffer);
    out->append(buffer, static_cast<size_t>(in.gcount()));
  }
  return !in.bad();
}

void ReportProblems(const Setup& setup, std::ostream& err) {
  err << "root-responder: the configuration (" << setup.source << ") has "
      << setup.report.problems.size()
      << (setup.report.problems.size() == 1 ? " problem:\n" : " problems:\n");
  for (const std::string& p : setup.report.problems) err << "  - " << RedactKnown(p) << "\n";
}

void LogWarnings(const Setup& setup) {
  for (const std::string& w : setup.report.warnings) LOG(WARNING) << "config " << w;
}

void LogOutcome(const Outcome& o) {
  const Alert* a = o.alert ? &*o.alert : nullptr;
  LOG(INFO) << "outcome result=" << ToString(o.kind)
            << " kind=" << (a ? ToString(a->kind) : std::string_view("-"))
            << " dedup_key=" << (a && a->dedup_key ? *a->dedup_key : "-")
            << " deliveries=" << o.deliveries.size()
            << (o.reason.empty() ? "" : " reason=\"" + RedactKnown(o.reason) + "\"");
}

// What test-channel sends: a drill-marked alert that says plainly it is a test.
Alert TestAlert() {
  Alert a;
  a.kind = AlertKind::kAlarm;
  a.alarm_name = "root-responder-test";
  a.subject = "root-responder 연결 테스트";
  a.severity = Severity::kInfo;
  a.state = "ALARM";
  a.reason = "root-responder test-channel: a test message, no action needed";
  a.dedup_key = "test-channel";
  a.drill = true;
  return a;
}

}  // namespace

int RunOnce(const OnceOptions& options, const GetEnv& env, std::istream& in, std::ostream& out,
            std::ostream& err) {
  if (options.event_path.empty()) {
    err << "root-responder once: --event=FILE (or --event=- for standard input) is required\n";
    return kExitUsage;
  }
  Setup setup = LoadSetup(options.config_path, env);
  if (!setup.report.ok()) {
    ReportProblems(setup, err);
    return kExitUsage;
  }
  LogWarnings(setup);
  std::string payload;
  const size_t limit = PayloadLimits().json.max_bytes;
  bool read_ok;
  if (options.event_path == "-") {
    read_ok = ReadPayload(in, limit, &payload);
  } else {
    std::ifstream file(options.event_path, std::ios::binary);
    if (!file) {
      err << "root-responder once: cannot open " << options.event_path << "\n";
      return kExitUsage;
    }
    read_ok = ReadPayload(file, limit, &payload);
  }
  if (!read_ok) {
    err << "root-responder once: error reading " << options.event_path << "\n";
    return kExitUsage;
  }
  std::vector<Outcome> outcomes;
  if (options.dry_run) {
    outcomes = setup.dispatcher->DryRun(payload);
  } else {
    HttpClient client(ClientOptionsFor(setup.report.config, options.verbose));
    outcomes = setup.dispatcher->Send(payload, client, SystemClock(), SystemRandom());
  }
  for (const Outcome& o : outcomes) {
    LogOutcome(o);
    out << OutcomeToJson(o) << "\n";
  }
  out.flush();
  return ExitCodeFor(outcomes);
}

int RunCheckConfig(const std::string& config_path, const GetEnv& env, std::ostream& out,
                   std::ostream& err) {
  Setup setup = LoadSetup(config_path, env);
  for (const std::string& w : setup.report.warnings) err << "warning: " << RedactKnown(w) << "\n";
  if (!setup.report.ok()) {
    ReportProblems(setup, err);
    return kExitUsage;
  }
  const Config& c = setup.report.config;
  out << "configuration OK (" << setup.source << "): time zone " << c.timezone << ", "
      << c.channels.size() << (c.channels.size() == 1 ? " channel" : " channels") << "\n";
  for (const ChannelEntry& ch : c.channels) {
    int tier = c.TierOf(ch.name);
    out << "  " << ch.name << " (" << ch.type << "), tier " << tier << ", after "
        << (tier < static_cast<int>(c.tiers.size()) ? c.tiers[tier].after_seconds : 0) << " s\n";
  }
  return kExitOk;
}

int RunTestChannel(const std::string& config_path, const std::string& channel_name, bool verbose,
                   const GetEnv& env, std::ostream& out, std::ostream& err) {
  if (channel_name.empty()) {
    err << "root-responder test-channel: --channel=NAME is required\n";
    return kExitUsage;
  }
  Setup setup = LoadSetup(config_path, env);
  if (!setup.report.ok()) {
    ReportProblems(setup, err);
    return kExitUsage;
  }
  LogWarnings(setup);
  std::unique_ptr<Dispatcher> one = setup.dispatcher->WithOnlyChannel(channel_name);
  if (!one) {
    err << "root-responder test-channel: no channel is named \"" << channel_name
        << "\"; configured:";
    for (const auto& c : setup.dispatcher->channels()) err << " " << c->name();
    err << "\n";
    return kExitUsage;
  }
  Outcome o;
  o.kind = OutcomeKind::kDryRun;
  o.alert = TestAlert();
  HttpClient client(ClientOptionsFor(setup.report.config, verbose));
  one->SendAlert(o, client, SystemClock(), SystemRandom());
  LogOutcome(o);
  out << OutcomeToJson(o) << "\n";
  return o.kind == OutcomeKind::kDelivered ? kExitOk : kExitFailed;
}

int RunLambda(const GetEnv& env) {
  std::optional<std::string> api_address = env("AWS_LAMBDA_RUNTIME_API");
  if (!api_address || api_address->empty()) {
    LOG(ERROR) << "lambda: AWS_LAMBDA_RUNTIME_API is not set; run this inside Lambda or the "
                  "emulator";
    return kExitUsage;
  }
  std::unique_ptr<RuntimeApi> api = MakeRuntimeApi(*api_address);
  Setup setup = LoadSetup(env("ROOT_RESPONDER_CONFIG").value_or(""), env);
  if (!setup.report.ok()) {
    std::string message = "the configuration (" + setup.source + ") has problems:";
    for (const std::string& p : setup.report.problems) message += " " + p + ";";
    LOG(ERROR) << "lambda init_error=\"" << RedactKnown(message) << "\"";
    Status posted = api->PostInitError("Runtime.ConfigInvalid", message);
    if (!posted.ok()) LOG(ERROR) << "lambda init_error_post=\"" << posted.message() << "\"";
    return kExitUsage;
  }
  LogWarnings(setup);
  HttpClientOptions options = ClientOptionsFor(setup.report.config, /*verbose=*/false);
  // Debian's libcurl looks for Debian's bundle; Amazon Linux keeps it elsewhere.
  constexpr char kAmazonLinuxBundle[] = "/etc/pki/tls/certs/ca-bundle.crt";
  if (options.ca_bundle.empty() && !std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt") &&
      std::filesystem::exists(kAmazonLinuxBundle)) {
    options.ca_bundle = kAmazonLinuxBundle;
  }
  HttpClient client(options);
  LambdaHandler handler(*setup.dispatcher, client, SystemClock(), SystemRandom());
  return RunRuntimeLoop(
      *api, [&](const Invocation& inv) { return handler.Handle(inv); }, SystemClock());
}

}  // namespace rr
