// What a page carries besides its alert, and the short notices that are not pages. The
// escalation policy (responder/) fills these in; every channel draws them in its own style.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alarm/alert.h"

namespace rr {

// Why this page goes out now, when it is not the first page of its incident.
enum class PageReason {
  kFirst,         // tier 0, or every tier at once
  kEscalated,     // a later tier: nobody acknowledged within its delay
  kTiersFailed,   // a later tier early: every channel of the tiers before it failed
  kRepeat,        // the alarm is still firing and nobody acknowledged
  kRelatedEvent,  // a root event joined an incident that was paged for its alarm
};

struct PageExtras {
  PageReason reason = PageReason::kFirst;
  int waited_seconds = 0;  // kEscalated: how long nobody acknowledged
  int repeat = 0;          // kRepeat: this is repeat `repeat` of `max_repeats`
  int max_repeats = 0;
  int64_t incident_id = 0;  // 0: not part of an incident (once, Lambda)
  // Other alerts of the same incident (an alarm and the sign-in event of one root use), shown
  // after the alert itself, one compact line each.
  std::vector<Alert> related;
  // Chat channels: a link that opens a confirmation page (a GET never acknowledges).
  std::optional<std::string> ack_url;
  // Telegram: the "Acknowledge" inline button's callback_data (1-64 bytes).
  std::optional<std::string> ack_callback_data;
};

// A message about an incident that is not a page.
struct Notice {
  enum class Kind {
    kAcknowledged,  // "acknowledged by X at T": pending tiers stop
    kResolved,      // the alarm went back to OK
  };
  Kind kind = Kind::kAcknowledged;
  Alert alert;  // kAcknowledged: the incident's first alert; kResolved: the OK alarm alert
  int64_t incident_id = 0;
  std::string by;  // kAcknowledged: who, as shown ("@alice (Telegram)", "alice (link)")
  std::chrono::system_clock::time_point at;
};

}  // namespace rr
