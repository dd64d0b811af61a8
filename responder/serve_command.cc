#include "responder/serve_command.h"

#include <fcntl.h>
#include <glog/logging.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include "channels/clock.h"
#include "channels/http_client.h"
#include "channels/redact.h"
#include "responder/acknowledgement.h"
#include "responder/alert_pipeline.h"
#include "responder/aws_credentials.h"
#include "responder/aws_endpoint.h"
#include "responder/client_options.h"
#include "responder/commands.h"
#include "responder/daemon_http_server.h"
#include "responder/daemon_malloc.h"
#include "responder/drill_report.h"
#include "responder/loopback_host.h"
#include "responder/metrics.h"
#include "responder/setup.h"
#include "responder/sns_trust.h"
#include "responder/spool.h"
#include "responder/sqs_consumer.h"

namespace rr {
namespace {

bool SplitHostPort(const std::string& listen, std::string* host, int* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = listen.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  try {
    size_t used = 0;
    *port = std::stoi(listen.substr(colon + 1), &used);
    return used == listen.size() - colon - 1 && *port >= 0 && *port <= 65535;
  } catch (...) {
    return false;
  }
}

std::string DefaultSpoolPath(const GetEnv& env) {
  // systemd's StateDirectory= sets STATE_DIRECTORY (ops/systemd/root-responder.service).
  if (std::optional<std::string> dir = env("STATE_DIRECTORY"); dir && !dir->empty()) {
    return dir->substr(0, dir->find(':')) + "/spool.db";
  }
  return "root-responder-spool.db";
}

// "https://sqs.ap-northeast-2.amazonaws.com/111122223333/q" -> "ap-northeast-2"; empty when
// the host does not say (an emulator).
std::string RegionOfQueueUrl(const std::string& url) {
  std::string host(UrlHost(url));
  if (!host.starts_with("sqs.")) return "";
  size_t end = host.find('.', 4);
  if (end == std::string::npos) return "";
  std::string region = host.substr(4, end - 4);
  return IsValidAwsRegion(region) ? region : "";
}

// One daemon per spool: two would resume the same unfinished alerts and page twice. The lock
// is released by the kernel when the process ends, however it ends.
bool LockSpool(const std::string& spool_path, std::string* error) {
  const std::string lock_path = spool_path + ".lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = "cannot open " + lock_path + ": " + std::strerror(errno);
    return false;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    *error = "another root-responder serve is using " + spool_path;
    ::close(fd);
    return false;
  }
  return true;  // fd stays open for the life of the process
}

int Usage(const std::string& message) {
  std::cerr << "root-responder serve: " << message << "\n";
  return kExitUsage;
}

// SIGTERM and SIGINT are taken by one thread with sigwait, never by a handler: the shutdown
// then runs as ordinary code. Meanwhile, old finished alerts are pruned every hour.
void WaitForStopSignal(Spool& spool) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  auto last_prune = std::chrono::steady_clock::now();
  for (;;) {
    timespec wait{60, 0};
    int sig = sigtimedwait(&set, nullptr, &wait);
    if (sig == SIGTERM || sig == SIGINT) {
      LOG(INFO) << "stopping signal=" << (sig == SIGTERM ? "SIGTERM" : "SIGINT");
      return;
    }
    if (std::chrono::steady_clock::now() - last_prune >= std::chrono::hours(1)) {
      last_prune = std::chrono::steady_clock::now();
      Result<int> pruned = spool.Prune();
      if (pruned.ok() && *pruned > 0) LOG(INFO) << "pruned alerts=" << *pruned;
      if (!pruned.ok()) LOG(ERROR) << "prune_failed " << pruned.status().message();
    }
  }
}

}  // namespace

int RunServe(const ServeOptions& options, const GetEnv& env) {
  TuneMallocForDaemon();
  DaemonServerOptions server_options;
  if (!SplitHostPort(options.listen, &server_options.host, &server_options.port)) {
    return Usage("--listen must be HOST:PORT, got \"" + options.listen + "\"");
  }
  if (!options.sns_verify && !IsLoopbackAddress(server_options.host.find(':') == std::string::npos
                                                    ? server_options.host
                                                    : "[" + server_options.host + "]")) {
    return Usage(
        "--sns-verify=false is for local emulators only and needs a loopback --listen "
        "address (127.0.0.1, ::1, localhost); refusing to accept unsigned alerts on " +
        server_options.host);
  }
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return Usage("--tls-cert and --tls-key go together");
  }
  server_options.tls_cert_file = options.tls_cert_file;
  server_options.tls_key_file = options.tls_key_file;

  Setup setup = LoadSetup(options.config_path, env);
  if (!setup.report.ok()) {
    std::cerr << "root-responder serve: the configuration (" << setup.source << ") has problems:\n";
    for (const std::string& p : setup.report.problems)
      std::cerr << "  - " << RedactKnown(p) << "\n";
    return kExitUsage;
  }
  for (const std::string& w : setup.report.warnings) LOG(WARNING) << "config " << w;

  HttpClient client(ClientOptionsFor(setup.report.config, options.verbose));
  Clock& clock = SystemClock();
  Result<SnsEndpointHooks> hooks = MakeSnsHooks(options, client, clock);
  if (!hooks.ok()) return Usage(hooks.status().message());

  SpoolOptions spool_options;
  spool_options.path = options.spool_path.empty() ? DefaultSpoolPath(env) : options.spool_path;
  if (std::string error; !LockSpool(spool_options.path, &error)) return Usage("spool: " + error);
  Result<std::unique_ptr<Spool>> spool = Spool::Open(spool_options, clock);
  if (!spool.ok()) return Usage("spool: " + spool.status().message());

  // Signals are blocked before any thread starts, so only WaitForStopSignal receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Metrics metrics;
  // Every worker sends to all channels of its alert at once, on threads kept for it.
  TaskPool delivery_pool(static_cast<size_t>(options.workers) *
                         setup.dispatcher->channels().size());
  setup.dispatcher->set_task_pool(&delivery_pool);
  PipelineOptions pipeline_options;
  pipeline_options.workers = options.workers;
  pipeline_options.first_round_delay = options.round_delay;
  const Config& config = setup.report.config;
  AttachAckMakers(config.ack, clock, pipeline_options);
  AlertPipeline pipeline(*setup.dispatcher, **spool, client, clock, SystemRandom(), metrics,
                         pipeline_options);
  if (Status s = pipeline.Start(); !s.ok()) return Usage("spool: " + s.message());

  // The SQS consumer: its own client, whose timeout outlasts a long poll.
  std::unique_ptr<AwsCredentialChain> credentials;
  std::unique_ptr<HttpClient> sqs_client;
  std::unique_ptr<SqsConsumer> sqs;
  if (!options.sqs_queue_url.empty()) {
    std::string region = options.aws_region;
    if (region.empty()) region = RegionOfQueueUrl(options.sqs_queue_url);
    if (region.empty()) {
      Result<std::string> resolved = ResolveAwsRegion(env);
      if (!resolved.ok()) return Usage("--sqs-queue-url: " + resolved.status().message());
      region = *resolved;
    }
    Result<AwsEndpoint> endpoint =
        ResolveAwsEndpoint(kSqsService, region, env, options.aws_endpoint_url);
    if (!endpoint.ok()) return Usage("--sqs-queue-url: " + endpoint.status().message());
    credentials = std::make_unique<AwsCredentialChain>(clock, env);
    HttpClientOptions sqs_http = ClientOptionsFor(setup.report.config, /*verbose=*/false);
    sqs_http.total_timeout = std::chrono::seconds(options.sqs_wait_seconds + 15);
    sqs_client = std::make_unique<HttpClient>(sqs_http);
    SqsConsumerOptions sqs_options;
    sqs_options.queue_url = options.sqs_queue_url;
    sqs_options.wait_seconds = options.sqs_wait_seconds;
    sqs = std::make_unique<SqsConsumer>(*sqs_client, *credentials, *endpoint, pipeline, metrics,
                                        sqs_options);
    LOG(INFO) << "sqs queue=" << options.sqs_queue_url << " endpoint=" << endpoint->url
              << " region=" << region;
  }

  SnsHttpEndpoint sns(pipeline, metrics, *hooks);
  DaemonRoutes routes;
  routes.sns = &sns;
  routes.metrics = [&metrics] { return metrics.Text(); };
  routes.health = [&spool, &pipeline] {
    Result<SpoolCounts> counts = (*spool)->Counts();
    if (!counts.ok()) return HttpAnswer{503, "spool unavailable\n"};
    return HttpAnswer{200, "ok unfinished=" + std::to_string(pipeline.unfinished()) + "\n"};
  };
  routes.drill = [&spool](const std::string& id) {
    Result<std::vector<AlertRecord>> found = (*spool)->FindByDrillId(id);
    if (!found.ok()) return HttpAnswer{503, "{\"error\":\"spool unavailable\"}"};
    return HttpAnswer{200, DrillReportJson(id, *found)};
  };
  if (config.ack.links()) {
    routes.ack = MakeAckRoute(config.ack, pipeline, clock, setup.dispatcher->render_context());
  }
  Result<std::vector<std::unique_ptr<TelegramAckPoller>>> pollers =
      StartTelegramAckPollers(config, client, clock, pipeline, setup.dispatcher->render_context());
  if (!pollers.ok()) return Usage(pollers.status().message());
  DaemonHttpServer server(server_options, routes);
  if (Status s = server.Bind(); !s.ok()) return Usage(s.message());
  LOG(INFO) << "serving listen=" << server_options.host << ":" << server.port()
            << " tls=" << (options.tls_cert_file.empty() ? "off" : "on")
            << " spool=" << spool_options.path
            << " sns_verify=" << (options.sns_verify ? "on" : "OFF")
            << " channels=" << setup.dispatcher->channels().size()
            << " ack_links=" << (config.ack.links() ? "on" : "off")
            << " ack_button=" << (pollers->empty() ? "off" : "on")
            << " unfinished=" << pipeline.unfinished();
  if (!options.sns_verify) {
    LOG(WARNING) << "sns_verify=OFF: any local process can post alerts; never run like this "
                    "outside a test or demo";
  }
  // Tests and scripts read the port from here when they asked for port 0.
  std::cout << "listening " << server_options.host << ":" << server.port() << std::endl;

  std::atomic<bool> stopping{false};
  std::thread http([&server] { server.Run(); });
  std::thread sqs_thread([&sqs, &stopping] {
    if (sqs) sqs->Run(stopping);
  });
  WaitForStopSignal(**spool);
  // Stop taking new requests (an SQS long poll in progress ends within its wait), then let
  // rounds in progress finish; anything unfinished is already in the spool and is resumed by
  // the next start.
  stopping = true;
  server.Stop();
  http.join();
  sqs_thread.join();
  for (auto& poller : *pollers) poller->Stop();
  pipeline.Stop();
  LOG(INFO) << "stopped unfinished=" << pipeline.unfinished();
  return kExitOk;
}

}  // namespace rr
