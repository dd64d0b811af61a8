#include "responder/incident_keys.h"

#include <algorithm>

namespace rr {

bool IsRootUse(const Alert& alert, const EscalationSettings& settings) {
  if (alert.kind != AlertKind::kAlarm) return true;  // sign-ins and API calls here are root's
  if (alert.metric_name == kRootUsageMetric) return true;
  const auto& names = settings.root_alarms;
  return alert.alarm_name &&
         std::find(names.begin(), names.end(), *alert.alarm_name) != names.end();
}

std::string AlarmIdentity(const Alert& alert) {
  return alert.account_id.value_or("?") + "/" + alert.region.value_or("?") + "/" +
         alert.alarm_name.value_or("?");
}

IncidentPlan PlanIncident(const Alert& alert, const EscalationSettings& settings,
                          const std::string& dedup_key) {
  IncidentPlan plan;
  plan.window = std::chrono::seconds(settings.correlation_window_seconds);
  const bool alarm = alert.kind == AlertKind::kAlarm;
  if (alarm) {
    plan.alarm_identity = AlarmIdentity(alert);
    plan.firing = alert.state == "ALARM";
    plan.resolves = alert.state == "OK";
  }
  plan.root_event = !alarm;
  if (alert.drill) {
    // Never joined with anything. Its alarm's OK still resolves it: the state is the alarm's.
    plan.correlation_key = "drill:" + dedup_key;
    plan.window = std::chrono::seconds(0);
    return plan;
  }
  if (IsRootUse(alert, settings)) {
    plan.correlation_key = "root:" + alert.account_id.value_or("?");
  } else if (alarm) {
    plan.correlation_key = "alarm:" + *plan.alarm_identity;
  } else {
    plan.correlation_key = "alert:" + dedup_key;
  }
  return plan;
}

}  // namespace rr
