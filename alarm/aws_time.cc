#include "alarm/aws_time.h"

#include <chrono>
#include <cstdio>

namespace rr {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::optional<int64_t> ParseAwsTimestamp(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, &year) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s[7] != '-' || !Digits(s, 8, 2, &day) || s[10] != 'T' || !Digits(s, 11, 2, &hour) ||
      s[13] != ':' || !Digits(s, 14, 2, &minute) || s[16] != ':' || !Digits(s, 17, 2, &second)) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{std::chrono::year(year), std::chrono::month(month),
                            std::chrono::day(day)};
  // AWS never sends leap seconds, so 60 is as wrong as February 30.
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    const size_t digits_start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == digits_start) return std::nullopt;  // "31.Z": a fraction needs digits
  }
  int offset_seconds = 0;
  std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset_seconds = 0;
  } else if (zone.size() >= 5 && (zone[0] == '+' || zone[0] == '-')) {
    int oh, om;
    bool colon = zone.size() == 6 && zone[3] == ':';
    if (!Digits(zone, 1, 2, &oh) || !Digits(zone, colon ? 4 : 3, 2, &om) ||
        zone.size() != (colon ? 6u : 5u) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_seconds = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  const int64_t days = sys_days(date).time_since_epoch().count();
  return days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
}

std::string FormatUtc(int64_t t) {
  using namespace std::chrono;
  const sys_seconds time{seconds(t)};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss<seconds> clock{time - day};
  const int year = static_cast<int>(date.year());
  const unsigned fields[] = {static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                             static_cast<unsigned>(clock.hours().count()),
                             static_cast<unsigned>(clock.minutes().count()),
                             static_cast<unsigned>(clock.seconds().count())};
  if (year < 0 || year > 9999) {  // an offset can push year 0 or 9999 out; keep printf's form
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02uZ", year, fields[0], fields[1],
                  fields[2], fields[3], fields[4]);
    return buf;
  }
  // By hand: every payload's time goes through here, and snprintf was most of its cost.
  std::string out = "0000-00-00T00:00:00Z";
  auto put = [&out](size_t at, unsigned value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10)
      out[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<unsigned>(year), 4);
  put(5, fields[0], 2);
  put(8, fields[1], 2);
  put(11, fields[2], 2);
  put(14, fields[3], 2);
  put(17, fields[4], 2);
  return out;
}

std::optional<std::string> NormalizeAwsTimestamp(std::string_view text) {
  auto t = ParseAwsTimestamp(text);
  if (!t) return std::nullopt;
  return FormatUtc(*t);
}

}  // namespace rr
