// EventBridge events for activity CloudTrail recorded: console sign-ins (aws.signin) and API
// calls. Only root usage becomes an alert, judged as the CIS metric filter judges it.
#pragma once

#include <string_view>

#include "alarm/field_reader.h"
#include "alarm/parsed.h"

namespace rr {

bool IsCloudTrailDetailType(std::string_view detail_type);
Parsed ParseCloudTrailEvent(FieldReader& event, const EnvelopeFacts& envelope);

}  // namespace rr
