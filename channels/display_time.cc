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

// Writes `value` (0..99) as two digits at `out`.
char* TwoDigits(char* out, unsigned value) {
  out[0] = static_cast<char>('0' + value / 10 % 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

// "2026-03-02 18:45:31 KST" (long) or "03-02 18:45" (short). Digits are written by hand: every
// channel formats the time, and snprintf was 7% of parse+render (bench/parse_render_bench.cc).
std::string FormatLocal(const std::optional<std::string>& utc, const DisplayZone& zone,
                        bool long_form) {
  if (!utc) return "-";
  std::optional<date::sys_seconds> tp = ParseUtcTime(*utc);
  LocalParts p;
  if (!tp || !ToLocal(*tp, zone, &p)) return *utc;
  const int year = static_cast<int>(p.ymd.year());
  const unsigned month = static_cast<unsigned>(p.ymd.month());
  const unsigned day = static_cast<unsigned>(p.ymd.day());
  const auto hour = static_cast<unsigned>(p.hms.hours().count());
  const auto minute = static_cast<unsigned>(p.hms.minutes().count());
  const auto second = static_cast<unsigned>(p.hms.seconds().count());
  char buffer[32];
  char* out = buffer;
  if (long_form) {
    if (year < 0 || year > 9999) {  // only a shifted year 0 or 9999 gets here; keep printf's form
      char wide[96];
      std::snprintf(wide, sizeof wide, "%04d-%02u-%02u %02u:%02u:%02u %s", year, month, day, hour,
                    minute, second, p.abbrev.c_str());
      return wide;
    }
    out = TwoDigits(out, static_cast<unsigned>(year) / 100);
    out = TwoDigits(out, static_cast<unsigned>(year) % 100);
    *out++ = '-';
  }
  out = TwoDigits(out, month);
  *out++ = '-';
  out = TwoDigits(out, day);
  *out++ = ' ';
  out = TwoDigits(out, hour);
  *out++ = ':';
  out = TwoDigits(out, minute);
  if (!long_form) return std::string(buffer, out);
  *out++ = ':';
  out = TwoDigits(out, second);
  *out++ = ' ';
  std::string text(buffer, out);
  text += p.abbrev;
  return text;
}

}  // namespace

std::string FormatLongTime(const std::optional<std::string>& utc, const DisplayZone& zone) {
  return FormatLocal(utc, zone, /*long_form=*/true);
}

std::string FormatShortTime(const std::optional<std::string>& utc, const DisplayZone& zone) {
  return FormatLocal(utc, zone, /*long_form=*/false);
}

}  // namespace rr
