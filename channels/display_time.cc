#include "channels/display_time.h"

#include "alarm/aws_time.h"

#include <chrono>
#include <exception>

namespace rr {
namespace {

void AppendTwoDigits(unsigned value, std::string* out) {
  out->push_back(static_cast<char>('0' + value / 10 % 10));
  out->push_back(static_cast<char>('0' + value % 10));
}

struct LocalParts {
  date::year_month_day ymd;
  date::hh_mm_ss<std::chrono::seconds> hms{std::chrono::seconds{0}};
  std::string abbrev;
};

// Local calendar parts of `tp` in `tz` (UTC when null). False if the zone library failed.
bool ToLocal(date::sys_seconds tp, const date::time_zone* tz, LocalParts* parts) {
  try {
    date::local_seconds local;
    if (tz == nullptr) {
      local = date::local_seconds{tp.time_since_epoch()};
      parts->abbrev = "UTC";
    } else {
      date::sys_info info = tz->get_info(tp);
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

std::string FormatLongTime(const std::optional<std::string>& utc, const date::time_zone* tz) {
  if (!utc) return "-";
  std::optional<date::sys_seconds> tp = ParseUtcTime(*utc);
  LocalParts p;
  if (!tp || !ToLocal(*tp, tz, &p)) return *utc;
  std::string out = std::to_string(static_cast<int>(p.ymd.year()));
  out.push_back('-');
  AppendTwoDigits(static_cast<unsigned>(p.ymd.month()), &out);
  out.push_back('-');
  AppendTwoDigits(static_cast<unsigned>(p.ymd.day()), &out);
  out.push_back(' ');
  AppendTwoDigits(static_cast<unsigned>(p.hms.hours().count()), &out);
  out.push_back(':');
  AppendTwoDigits(static_cast<unsigned>(p.hms.minutes().count()), &out);
  out.push_back(':');
  AppendTwoDigits(static_cast<unsigned>(p.hms.seconds().count()), &out);
  out.push_back(' ');
  out += p.abbrev;
  return out;
}

std::string FormatShortTime(const std::optional<std::string>& utc, const date::time_zone* tz) {
  if (!utc) return "-";
  std::optional<date::sys_seconds> tp = ParseUtcTime(*utc);
  LocalParts p;
  if (!tp || !ToLocal(*tp, tz, &p)) return *utc;
  std::string out;
  AppendTwoDigits(static_cast<unsigned>(p.ymd.month()), &out);
  out.push_back('-');
  AppendTwoDigits(static_cast<unsigned>(p.ymd.day()), &out);
  out.push_back(' ');
  AppendTwoDigits(static_cast<unsigned>(p.hms.hours().count()), &out);
  out.push_back(':');
  AppendTwoDigits(static_cast<unsigned>(p.hms.minutes().count()), &out);
  return out;
}

}  // namespace rr
