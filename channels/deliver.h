// The single retry stage every channel goes through (after Alertmanager's RetryStage): send,
// classify, wait as the policy and the server say, give up with a reason.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "channels/backoff.h"
#include "channels/channel.h"
#include "channels/clock.h"
#include "channels/http_client.h"

namespace rr {

struct DeliveryReport {
  bool sent = false;
  int attempts = 0;
  std::optional<long> http_status;  // of the last answer, if any came
  std::string reason;               // classified reason of the failure; empty when sent
  std::string error;                // reason and detail in words, redacted; empty when sent
  std::chrono::milliseconds elapsed{0};
  std::string config_hint;  // e.g. a Telegram chat migrated to a new id
};

struct DeliveryEnv {
  HttpClient* client;
  Clock* clock;
  Random* random;
  RetryPolicy policy;
};

// Sends `requests` (one, or Telegram's parts in order), each with retries, within one overall
// deadline; stops at the first part that fails for good.
DeliveryReport Deliver(const Channel& channel, const std::vector<HttpRequest>& requests,
                       const DeliveryEnv& env);

}  // namespace rr
