// An alert's time as people read it: in their time zone, long for chat, short for SMS.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "channels/display_zone.h"

#include "alarm/alert.h"

namespace rr {

// Parses the Alert.event_time form "YYYY-MM-DDTHH:MM:SSZ" exactly; nullopt otherwise.
std::optional<date::sys_seconds> ParseUtcTime(std::string_view text);

// "2026-03-02 18:45:31 KST" for "2026-03-02T09:45:31Z" in Asia/Seoul. A null time gives "-",
// an unparsable one comes back as given, a null zone means UTC. Never throws.
std::string FormatLongTime(const std::optional<std::string>& utc, const DisplayZone& zone);

// "03-02 18:45": the compact form for SMS. Same fallbacks as FormatLongTime.
std::string FormatShortTime(const std::optional<std::string>& utc, const DisplayZone& zone);

}  // namespace rr
