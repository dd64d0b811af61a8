#include "responder/policy.h"

#include <algorithm>

namespace rr {

std::optional<std::string> IgnoreReason(const Config& config, const Alert& alert) {
  if (alert.kind != AlertKind::kAlarm || !alert.state) return std::nullopt;
  const auto& states = config.notify_states;
  if (std::find(states.begin(), states.end(), *alert.state) != states.end()) return std::nullopt;
  std::string listed;
  for (const auto& s : states) listed += (listed.empty() ? "" : ", ") + s;
  return "alarm state " + *alert.state + " is not in notify_states [" + listed + "]";
}

}  // namespace rr
