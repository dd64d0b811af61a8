// `root-responder serve`: the daemon for people who run it on a host of their own.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "responder/config.h"

namespace rr {

struct ServeOptions {
  std::string config_path;
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one (printed)
  std::string spool_path;                 // empty: $STATE_DIRECTORY/spool.db, else ./
  std::string sqs_queue_url;
  int sqs_wait_seconds = 20;            // long poll; also the longest a shutdown waits for SQS
  std::string aws_endpoint_url;         // explicit SQS endpoint (moto); else AWS_ENDPOINT_URL[_SQS]
  std::string aws_region;               // else from the queue URL, AWS_REGION, the profile
  std::vector<std::string> sns_topics;  // TopicArns whose messages are accepted
  std::vector<std::string> sns_cert_hosts;  // extra trusted SigningCertURL hosts (emulators)
  std::vector<std::string> sns_cert_files;  // pinned signing certificates (PEM files)
  bool sns_verify = true;                   // false only on a loopback address, for local emulators
  std::string tls_cert_file;
  std::string tls_key_file;
  int workers = 16;
  // A channel that did not take an alert gets it again after this, doubling up to 10 min.
  std::chrono::milliseconds round_delay{30000};
  bool verbose = false;
};

// Runs until SIGTERM or SIGINT; returns the exit status (64 for a usage or config error).
int RunServe(const ServeOptions& options, const GetEnv& env);

}  // namespace rr
