// The zone people read times in: the system tzdb's rules, or a fixed offset for a zone that
// keeps no daylight saving time where the system has no tzdb (Lambda's Amazon Linux 2023
// images ship none, and the date library reads only /usr/share/zoneinfo).
#pragma once

#include <chrono>
#include <string>

namespace date {
class time_zone;
}

namespace rr {

struct DisplayZone {
  DisplayZone() = default;
  DisplayZone(const date::time_zone* zone) : tz(zone) {}  // NOLINT: a tzdb zone is a zone
  DisplayZone(std::chrono::seconds offset, std::string abbrev)
      : fixed_offset(offset), fixed_abbrev(std::move(abbrev)) {}

  const date::time_zone* tz = nullptr;  // when null, the fixed offset applies (UTC by default)
  std::chrono::seconds fixed_offset{0};
  std::string fixed_abbrev = "UTC";
};

}  // namespace rr
