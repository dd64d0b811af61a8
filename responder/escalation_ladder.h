// The escalation ladder as a pure function of time (issue 7): which channels an incident pages
// now, and when to look again. Tier 0 goes at once; tier N when its delay has passed without
// an acknowledgement, or at once when every channel of the tiers before it failed. While an
// alarm keeps firing unacknowledged, the current tier is paged again every repeat_seconds, at
// most max_repeats times. An acknowledgement stops everything still to come.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "channels/page_extras.h"
#include "responder/config.h"

namespace rr {

struct LadderState {
  std::chrono::system_clock::time_point opened_at;
  bool escalate_immediately = false;  // every tier at once (a subject's rule, or a drill)
  bool acknowledged = false;
  bool firing = false;  // an alarm of the incident is in ALARM
  bool repeats_allowed = true;
  int repeats_sent = 0;
  std::optional<std::chrono::system_clock::time_point> last_page_at;
  std::set<std::string> sent;    // channels that took a page of this incident
  std::set<std::string> failed;  // channels whose page failed and that never took one
};

struct LadderStep {
  // Channels to page now: every channel of the tiers reached that has not taken the page.
  std::vector<std::string> page;
  PageReason reason = PageReason::kFirst;  // why the highest tier in `page` goes now
  int waited_seconds = 0;                  // kEscalated: that tier's delay
  int tier = 0;                            // the highest tier reached
  // A repeat to send now, to every channel of the current tier; empty when none is due.
  std::vector<std::string> repeat;
  int repeat_number = 0;  // 1-based
  // When a later tier or repeat comes due; nullopt when none will (retries are not counted:
  // the caller schedules those).
  std::optional<std::chrono::system_clock::time_point> next_due;
  bool finished = false;  // acknowledged, or every tier taken and no repeat left to send
};

LadderStep NextLadderStep(const std::vector<EscalationTier>& tiers,
                          const EscalationSettings& settings, const LadderState& state,
                          std::chrono::system_clock::time_point now);

}  // namespace rr
