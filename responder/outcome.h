// The outcome of handling one alert-bearing record: the JSON `once` prints and every other
// mode logs (DESIGN.md, "Outcome JSON"), and the exit status it maps to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "alarm/alert.h"
#include "channels/http_request.h"

namespace rr {

enum class OutcomeKind { kDelivered, kPartial, kFailed, kIgnored, kRejected, kDryRun };
std::string_view ToString(OutcomeKind kind);

struct Delivery {
  std::string channel;
  std::string type;
  int tier = 0;
  std::string status;  // sent, failed, skipped, rendered
  int attempts = 0;
  std::optional<long> http_status;
  std::optional<std::string> error;
  std::string reason;  // the failure's reason word (rate_limited, network, ...); not in the JSON
  std::optional<std::string> config_hint;  // e.g. a Telegram chat that moved to a new id
  long elapsed_ms = 0;
  std::vector<HttpRequest> requests;  // dry runs: what would have been sent
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::kRejected;
  std::string reason;
  std::optional<Alert> alert;
  std::vector<Delivery> deliveries;
};

// One JSON object on one line. Every secret of every request is redacted.
std::string OutcomeToJson(const Outcome& outcome);

// 0 delivered, partial, ignored or dry run; 1 failed; 2 rejected. Of several outcomes the
// worst decides: failed, then rejected.
int ExitCodeFor(const std::vector<Outcome>& outcomes);

}  // namespace rr
