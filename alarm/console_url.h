// Links that take a person straight to the alarm or the CloudTrail event, in the right
// region and partition.
#pragma once

#include <string>
#include <string_view>

namespace rr {

// Keeps A-Z a-z 0-9 - _ . ~ and encodes every other byte as %XX.
std::string PercentEncode(std::string_view text);

std::string AlarmConsoleUrl(std::string_view region, std::string_view alarm_name);
std::string CloudTrailEventConsoleUrl(std::string_view region, std::string_view event_id);

}  // namespace rr
