// Which incident an alert belongs to (issue 7, "Dedup and correlation"): an alarm that means
// "root was used" and the root sign-in or API call behind it are one incident when they come
// close together; any other alarm is an incident of its own; an OK resolves its alarm's.
#pragma once

#include <optional>
#include <string>

#include "alarm/alert.h"
#include "responder/config.h"
#include "responder/spool.h"

namespace rr {

// The CIS benchmark's root-usage metric (CloudTrailMetrics/RootAccountUsageCount).
inline constexpr char kRootUsageMetric[] = "RootAccountUsageCount";

// True for root sign-ins and root API calls, and for alarms on the root-usage metric or named
// in escalation.root_alarms.
bool IsRootUse(const Alert& alert, const EscalationSettings& settings);

// "account/region/name": the same alarm, whichever path its notifications took.
std::string AlarmIdentity(const Alert& alert);

// The plan for the spool. `dedup_key` keeps alerts that must not correlate apart; a drill is
// always an incident of its own (`drill_key`: its drill id, or its dedup key), so practice
// never joins, acknowledges or resolves a real incident.
IncidentPlan PlanIncident(const Alert& alert, const EscalationSettings& settings,
                          const std::string& dedup_key);

}  // namespace rr
