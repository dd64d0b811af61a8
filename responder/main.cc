// root-responder: one binary, one subcommand per run mode (DESIGN.md, "Command line").
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <gflags/gflags.h>
#include <glog/logging.h>

#include "responder/commands.h"
#include "responder/drill_command.h"
#ifndef RR_LAMBDA_ONLY
#include "responder/serve_command.h"
#endif

DEFINE_string(event, "", "once: the payload to handle, a file or - for standard input");
DEFINE_string(config, "", "configuration file (JSON); without it, environment variables");
DEFINE_bool(dry_run, false, "once: render what would be sent and send nothing");
DEFINE_string(channel, "", "test-channel: the configured channel to send a test message to");
DEFINE_bool(verbose, false, "log curl's trace of every request (secrets redacted)");
DEFINE_string(listen, "127.0.0.1:8080", "serve: HOST:PORT for SNS POSTs, /healthz and /metrics");
DEFINE_string(spool, "", "serve: the SQLite spool file (default $STATE_DIRECTORY/spool.db)");
DEFINE_string(sqs_queue_url, "", "serve: also consume this SQS queue");
DEFINE_int32(sqs_wait_seconds, 20, "serve: SQS long-poll wait (1-20 s)");
DEFINE_string(aws_endpoint_url, "", "serve: the SQS endpoint (an emulator); else AWS_ENDPOINT_URL");
DEFINE_string(aws_region, "", "serve: the AWS region; else from the queue URL or AWS_REGION");
DEFINE_string(sns_topics, "", "serve: comma-separated TopicArns whose messages are accepted");
DEFINE_string(sns_cert_hosts, "", "serve: extra trusted SigningCertURL hosts (emulators)");
DEFINE_string(sns_certs, "", "serve: comma-separated PEM files of pinned signing certificates");
DEFINE_bool(sns_verify, true, "serve: verify SNS signatures (false only on loopback)");
DEFINE_string(tls_cert, "", "serve: PEM certificate chain for HTTPS");
DEFINE_string(tls_key, "", "serve: PEM private key for HTTPS");
DEFINE_int32(workers, 16,
             "serve: alerts delivered at once (each sends to all its channels in parallel)");
DEFINE_string(alarm_name, "", "drill: the CloudWatch alarm to drill (e.g. root-alert)");
DEFINE_string(region, "", "drill: the alarm's region; else AWS_REGION or the profile's");
DEFINE_string(profile, "", "drill: the AWS profile; else AWS_PROFILE or default");
DEFINE_string(endpoint_url, "", "drill: one endpoint for every AWS service (an emulator)");
DEFINE_string(responder_url, "", "drill: the serve daemon to ask, e.g. http://127.0.0.1:8080");
DEFINE_string(log_group, "", "drill: the Lambda function's log group to search for the drill");
DEFINE_bool(simulate_action, false,
            "drill: publish the alarm message to its topic ourselves (emulators that never run "
            "alarm actions); the checklist marks that hop simulated");
DEFINE_bool(json, false, "drill: print the checklist as JSON");
DEFINE_int32(wait_seconds, 60, "drill: how long to wait for the alarm history and the responder");
DEFINE_int32(round_delay_ms, 30000,
             "serve: wait before giving a failed channel the alert again (doubles, up to 10 min)");

namespace {

constexpr char kUsage[] =
    "root-responder: tells people, within seconds, that the AWS root account was used.\n"
    "\n"
    "  root-responder once --event=FILE|- [--config=FILE] [--dry-run]\n"
    "  root-responder lambda                (also: the program named bootstrap)\n"
    "  root-responder serve [--listen=HOST:PORT] [--sqs-queue-url=URL] --sns-topics=ARN,...\n"
    "  root-responder drill --alarm-name=NAME [--region=R] [--profile=P] [--endpoint-url=URL]\n"
    "        [--responder-url=URL | --log-group=GROUP] [--simulate-action] [--json]\n"
    "  root-responder check-config [--config=FILE]\n"
    "  root-responder test-channel --channel=NAME [--config=FILE]\n"
    "\n"
    "Without --config the configuration comes from DOORAY_HOOK_URL, TELEGRAM_BOT_TOKEN,\n"
    "TELEGRAM_CHAT_ID, SMS_APP_KEY, SMS_SECRET_KEY, SMS_SEND_NO, SMS_RECIPIENTS, ...";

// The contract spells flags with dashes (--dry-run); gflags names them with underscores.
std::vector<std::string> DashesToUnderscores(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (size_t i = 1; i < args.size(); ++i) {
    std::string& a = args[i];
    if (!a.starts_with("--")) continue;
    size_t end = a.find('=');
    for (size_t j = 2; j < std::min(end, a.size()); ++j) {
      if (a[j] == '-') a[j] = '_';
    }
  }
  return args;
}

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

// The Lambda zip carries glibc's EUC-KR converter beside the program (ops/lambda/package.sh);
// iconv must be told where, before its first use.
void UseBundledIconvModules() {
  if (std::getenv("GCONV_PATH")) return;
  std::error_code error;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return;
  std::filesystem::path gconv = exe.parent_path() / "gconv";
  if (std::filesystem::exists(gconv / "gconv-modules", error)) {
    setenv("GCONV_PATH", gconv.c_str(), 0);
  }
}

}  // namespace

int main(int argc, char** argv) {
  UseBundledIconvModules();
  // A peer closing a connection must give an error from send(), not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args = DashesToUnderscores(argc, argv);
  std::vector<char*> cargs;
  for (std::string& a : args) cargs.push_back(a.data());
  int cargc = static_cast<int>(cargs.size());
  char** cargv = cargs.data();
  gflags::SetUsageMessage(kUsage);
  gflags::ParseCommandLineFlags(&cargc, &cargv, /*remove_flags=*/true);
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);

  // Lambda starts the zip's `bootstrap` with no arguments: that is the lambda command.
  const std::string_view program = argv[0];
  const bool bootstrap = program == "bootstrap" || program.ends_with("/bootstrap");
  if (cargc < 2 && !bootstrap) {
    std::cerr << kUsage << "\n";
    return rr::kExitUsage;
  }
  std::string command = cargc < 2 ? "lambda" : cargv[1];
  if (cargc > 2) {
    std::cerr << "root-responder " << command << ": unexpected argument \"" << cargv[2] << "\"\n";
    return rr::kExitUsage;
  }
  if (command == "once") {
    rr::OnceOptions options{FLAGS_event, FLAGS_config, FLAGS_dry_run, FLAGS_verbose};
    return rr::RunOnce(options, rr::ProcessEnv(), std::cin, std::cout, std::cerr);
  }
  if (command == "lambda") return rr::RunLambda(rr::ProcessEnv());
  if (command == "drill") {
    rr::DrillOptions o;
    o.alarm_name = FLAGS_alarm_name;
    o.region = FLAGS_region;
    o.profile = FLAGS_profile;
    o.endpoint_url = FLAGS_endpoint_url;
    o.responder_url = FLAGS_responder_url;
    o.log_group = FLAGS_log_group;
    o.simulate_action = FLAGS_simulate_action;
    o.json = FLAGS_json;
    o.wait = std::chrono::seconds(std::clamp(FLAGS_wait_seconds, 1, 900));
    return rr::RunDrill(o, rr::ProcessEnv(), std::cout, std::cerr);
  }
#ifndef RR_LAMBDA_ONLY
  if (command == "serve") {
    rr::ServeOptions o;
    o.config_path = FLAGS_config;
    o.listen = FLAGS_listen;
    o.spool_path = FLAGS_spool;
    o.sqs_queue_url = FLAGS_sqs_queue_url;
    o.sqs_wait_seconds = std::clamp(FLAGS_sqs_wait_seconds, 1, 20);
    o.aws_endpoint_url = FLAGS_aws_endpoint_url;
    o.aws_region = FLAGS_aws_region;
    o.sns_topics = CommaList(FLAGS_sns_topics);
    o.sns_cert_hosts = CommaList(FLAGS_sns_cert_hosts);
    o.sns_cert_files = CommaList(FLAGS_sns_certs);
    o.sns_verify = FLAGS_sns_verify;
    o.tls_cert_file = FLAGS_tls_cert;
    o.tls_key_file = FLAGS_tls_key;
    o.workers = std::clamp(FLAGS_workers, 1, 256);  // 0 would deliver nothing
    o.round_delay = std::chrono::milliseconds(std::max(1, FLAGS_round_delay_ms));
    o.verbose = FLAGS_verbose;
    return rr::RunServe(o, rr::ProcessEnv());
  }
#endif
  if (command == "test-channel") {
    return rr::RunTestChannel(FLAGS_config, FLAGS_channel, FLAGS_verbose, rr::ProcessEnv(),
                              std::cout, std::cerr);
  }
  if (command == "check-config") {
    return rr::RunCheckConfig(FLAGS_config, rr::ProcessEnv(), std::cout, std::cerr);
  }
  std::cerr << "root-responder: unknown command \"" << command << "\"\n\n" << kUsage << "\n";
  return rr::kExitUsage;
}
