// The timestamp forms AWS sends, normalised to the one the Alert contract uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rr {

// Seconds since the Unix epoch for "2026-03-02T09:45:31.077+0000", "...Z", "...+00:00" or
// "...+0900" (milliseconds ignored); nullopt when the text is not such a timestamp.
std::optional<int64_t> ParseAwsTimestamp(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ" for epoch seconds.
std::string FormatUtc(int64_t epoch_seconds);

// ParseAwsTimestamp then FormatUtc.
std::optional<std::string> NormalizeAwsTimestamp(std::string_view text);

}  // namespace rr
