#include "channels/display_time.h"

#include "alarm/aws_time.h"

#include <chrono>
#include <cstdio>
#include <exception>

namespace rr {
namespace {

struct LocalParts {
  date::year_month_day ymd;
  date::hh_mm_ss<std::chrono::seconds> hms{std::chrono::seconds{0}};
  std::string abbrev;
};

// Local calendar parts of `tp` in `tz` (UTC when null). False if the zone library failed.
bool ToLocal(date::sys_seconds tp, const DisplayZone& zone, LocalParts* parts) {
  try {
    date::local_seconds local;
    if (zone.tz == nullptr) {
      local = date::local_seconds{tp.time_since_epoch() + zone.fixed_offset};
      parts->abbrev = zone.fixed_abbrev;
    } else {
      date::sys_info info = zone.tz->get_info(tp);
      local = date::local_seconds{tp.time_since_epoch() + info.offset};
      parts->abbrev = info.abbrev;
    }
    auto day = date::floor<date::days>(local);
    parts->ymd = date::year_month_day{day};
    parts->hms = date::hh_mm_ss<std::chrono::seconds>{local - day};
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::optional<date::sys_seconds> ParseUtcTime(std::string_view text) {
  // Alert.event_time is always the normalised "YYYY-MM-DDTHH:MM:SSZ"; one parser for all forms.
  if (text.size() != 20 || text.back() != 'Z') return std::nullopt;
  std::optional<int64_t> seconds = ParseAwsTimestamp(text);
  if (!seconds) return std::nullopt;
  return date::sys_seconds{std::chrono::seconds{*seconds}};
}

namespace {

// "2026-03-02 18:45:31 KST" (long) or "03-02 18:45" (short).
std::string FormatLocal(const std::optional<std::string>& utc, const DisplayZone& zone,
                        bool long_form) {
  if (!utc) return "-";
  std::optional<date::sys_seconds> tp = ParseUtcTime(*utc);
  LocalParts p;
  if (!tp || !ToLocal(*tp, zone, &p)) return *utc;
  const unsigned month = static_cast<unsigned>(p.ymd.month());
  const unsigned day = static_cast<unsigned>(p.ymd.day());
  const long long hour = p.hms.hours().count();
  const long long minute = p.hms.minutes().count();
  char buffer[96];
  if (long_form) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02lld:%02lld:%02lld %s",
                  static_cast<int>(p.ymd.year()), month, day, hour, minute,
                  static_cast<long long>(p.hms.seconds().count()), p.abbrev.c_str());
  } else {
    std::snprintf(buffer, sizeof buffer, "%02u-%02u %02lld:%02lld", month, day, hour, minute);
  }
  return buffer;
}

}  // namespace

std::string FormatLongTime(const std::optional<std::string>& utc, const DisplayZone& zone) {
  return FormatLocal(utc, zone, /*long_form=*/true);
}

std::string FormatShortTime(const std::optional<std::string>& utc, const DisplayZone& zone) {
  return FormatLocal(utc, zone, /*long_form=*/false);
}

}  // namespace rr
