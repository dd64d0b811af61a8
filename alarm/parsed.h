// What parsing one delivery gives: an alert to act on, an alert-shaped thing to ignore, or a
// rejection. Reasons are words for people and logs, and name what was wrong.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "alarm/alert.h"

namespace rr {

enum class Verdict { kAlert, kIgnored, kRejected };

// Reasons quote payload text; a payload must not be able to forge log lines or fields, so
// control characters become '?' and the reason is cut (on a character boundary) at 600 bytes.
std::string PrintableReason(std::string reason);

struct Parsed {
  Verdict verdict = Verdict::kRejected;
  std::string reason;          // empty for kAlert
  std::optional<Alert> alert;  // set for kAlert; for kIgnored when the payload got that far

  static Parsed Accept(Alert alert) { return {Verdict::kAlert, "", std::move(alert)}; }
  static Parsed Ignore(std::string reason, std::optional<Alert> alert = std::nullopt) {
    return {Verdict::kIgnored, PrintableReason(std::move(reason)), std::move(alert)};
  }
  static Parsed Reject(std::string reason) {
    return {Verdict::kRejected, PrintableReason(std::move(reason)), {}};
  }
};

// What an envelope around the payload said about it.
struct EnvelopeFacts {
  std::optional<std::string> sns_message_id;
};

}  // namespace rr
