#include "responder/escalation_ladder.h"

#include <algorithm>

namespace rr {
namespace {

using Time = std::chrono::system_clock::time_point;

Time TierTime(const LadderState& state, const EscalationTier& tier) {
  return state.opened_at + std::chrono::seconds(tier.after_seconds);
}

// Every channel of tiers [0, k) was tried, and none took it.
bool AllBeforeFailed(const std::vector<EscalationTier>& tiers, size_t k, const LadderState& s) {
  bool any = false;
  for (size_t i = 0; i < k; ++i) {
    for (const std::string& c : tiers[i].channels) {
      if (s.sent.count(c) || !s.failed.count(c)) return false;
      any = true;
    }
  }
  return any;
}

void KeepEarliest(std::optional<Time>& due, Time t) {
  if (!due || t < *due) due = t;
}

}  // namespace

LadderStep NextLadderStep(const std::vector<EscalationTier>& tiers,
                          const EscalationSettings& settings, const LadderState& state, Time now) {
  LadderStep step;
  if (state.acknowledged) {
    step.finished = true;
    return step;
  }
  bool all_reached = true;
  for (size_t k = 0; k < tiers.size(); ++k) {
    const EscalationTier& tier = tiers[k];
    const bool by_time = now >= TierTime(state, tier);
    const bool reached =
        k == 0 || state.escalate_immediately || by_time || AllBeforeFailed(tiers, k, state);
    if (!reached) {
      all_reached = false;
      KeepEarliest(step.next_due, TierTime(state, tier));
      break;  // tiers are reached in order: a later one waits for this one
    }
    step.tier = static_cast<int>(k);
    bool pages = false;
    for (const std::string& c : tier.channels) {
      if (!state.sent.count(c)) {
        step.page.push_back(c);
        pages = true;
      }
    }
    if (!pages) continue;
    if (k == 0 || state.escalate_immediately) {
      step.reason = PageReason::kFirst;
    } else if (by_time) {
      step.reason = PageReason::kEscalated;
      step.waited_seconds = tier.after_seconds;
    } else {
      step.reason = PageReason::kTiersFailed;
    }
  }

  const bool repeats_left = state.firing && state.repeats_allowed && settings.repeat_seconds > 0 &&
                            state.repeats_sent < settings.max_repeats;
  if (repeats_left && step.page.empty() && !tiers.empty()) {
    const Time last = state.last_page_at.value_or(state.opened_at);
    const Time due = last + std::chrono::seconds(settings.repeat_seconds);
    if (now >= due) {
      step.repeat = tiers[step.tier].channels;
      step.repeat_number = state.repeats_sent + 1;
      if (step.repeat_number < settings.max_repeats) {
        KeepEarliest(step.next_due, now + std::chrono::seconds(settings.repeat_seconds));
      }
    } else {
      KeepEarliest(step.next_due, due);
    }
  } else if (repeats_left && !step.page.empty()) {
    // The page about to go out starts the repeat clock.
    KeepEarliest(step.next_due, now + std::chrono::seconds(settings.repeat_seconds));
  }
  const bool repeat_pending =
      repeats_left && (step.repeat.empty() || step.repeat_number < settings.max_repeats);
  step.finished = all_reached && step.page.empty() && !repeat_pending;
  return step;
}

}  // namespace rr
