#include "channels/backoff.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace rr {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kMaxDelaySeconds = 1'000'000'000;  // saturate absurd hints instead of overflowing

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `s[pos]`.
std::optional<int> Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& names, std::string_view s) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

// The UTC instant of a calendar date and "HH:MM:SS" (second 60: a leap second).
std::optional<std::chrono::sys_seconds> MakeTime(int year, std::string_view month, int day,
                                                 std::string_view hms) {
  auto month_it = std::find(kMonths.begin(), kMonths.end(), month);
  if (month_it == kMonths.end() || hms.size() != 8 || hms[2] != ':' || hms[5] != ':') {
    return std::nullopt;
  }
  auto hour = Digits(hms, 0, 2);
  auto minute = Digits(hms, 3, 2);
  auto second = Digits(hms, 6, 2);
  if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{
      std::chrono::year(year),
      std::chrono::month(static_cast<unsigned>(month_it - kMonths.begin() + 1)),
      std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

// An HTTP-date in any of the three formats a recipient must accept (RFC 9110 5.6.7), all
// fixed-width and case-sensitive:
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
//   rfc850-date  "Sunday, 06-Nov-94 08:49:37 GMT" (a year over 50 years ahead is a past one)
//   asctime      "Sun Nov  6 08:49:37 1994"
std::optional<std::chrono::sys_seconds> ParseHttpDate(std::string_view s, int current_year) {
  if (s.size() == 29 && s.substr(3, 2) == ", ") {
    if (!OneOf(kDays, s.substr(0, 3)) || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s.substr(25) != " GMT") {
      return std::nullopt;
    }
    auto day = Digits(s, 5, 2);
    auto year = Digits(s, 12, 4);
    if (!day || !year) return std::nullopt;
    return MakeTime(*year, s.substr(8, 3), *day, s.substr(17, 8));
  }
  if (s.size() == 24 && s[3] == ' ') {
    if (!OneOf(kDays, s.substr(0, 3)) || s[7] != ' ' || s[10] != ' ' || s[19] != ' ') {
      return std::nullopt;
    }
    auto day = s[8] == ' ' ? Digits(s, 9, 1) : Digits(s, 8, 2);
    auto year = Digits(s, 20, 4);
    if (!day || !year) return std::nullopt;
    return MakeTime(*year, s.substr(4, 3), *day, s.substr(11, 8));
  }
  const size_t comma = s.find(',');
  if (comma != std::string_view::npos && OneOf(kLongDays, s.substr(0, comma))) {
    std::string_view rest = s.substr(comma + 1);  // " 06-Nov-94 08:49:37 GMT"
    if (rest.size() != 23 || rest[0] != ' ' || rest[3] != '-' || rest[7] != '-' ||
        rest[10] != ' ' || rest.substr(19) != " GMT") {
      return std::nullopt;
    }
    auto day = Digits(rest, 1, 2);
    auto yy = Digits(rest, 8, 2);
    if (!day || !yy) return std::nullopt;
    int year = current_year / 100 * 100 + *yy;
    if (year > current_year + 50) year -= 100;
    return MakeTime(year, rest.substr(4, 3), *day, rest.substr(11, 8));
  }
  return std::nullopt;
}

std::string Ms(milliseconds d) { return std::to_string(d.count()) + " ms"; }

RetryStep GiveUp(RetryStep::GiveUpReason why, std::string reason) {
  RetryStep step;
  step.verdict = RetryStep::Verdict::kGiveUp;
  step.give_up_reason = why;
  step.reason = std::move(reason);
  return step;
}

}  // namespace

milliseconds FullJitterDelay(const RetryPolicy& policy, int retry, Random& random) {
  const int64_t base = std::max<int64_t>(policy.base.count(), 0);
  const int64_t cap = std::max<int64_t>(policy.cap.count(), 0);
  retry = std::max(retry, 0);
  // min(cap, base * 2^retry) without overflowing for large retry numbers.
  int64_t window = cap;
  if (retry < 62 && base <= (cap >> retry)) window = base << retry;
  double u = random.Uniform01();
  if (!(u >= 0.0)) u = 0.0;  // also catches NaN
  if (u >= 1.0) u = 0.0;     // [0, 1) promised; a broken source must not exceed the window
  return milliseconds(static_cast<int64_t>(static_cast<double>(window) * u));
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value,
                                            std::chrono::system_clock::time_point wall_now) {
  value = TrimOws(value);
  if (value.empty()) return std::nullopt;
  if (IsDigit(value.front())) {
    int64_t seconds = 0;
    for (char c : value) {
      if (!IsDigit(c)) return std::nullopt;  // "1.5", "10s", "-3" are not delay-seconds
      seconds = std::min(seconds * 10 + (c - '0'), kMaxDelaySeconds);
    }
    return milliseconds(seconds * 1000);
  }
  const int current_year = static_cast<int>(
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(wall_now)).year());
  auto date = ParseHttpDate(value, current_year);
  if (!date) return std::nullopt;
  auto until = *date - wall_now;
  if (until <= decltype(until)::zero()) return milliseconds(0);
  // Round up: retrying a moment before the date the server named would be too early.
  return std::min(std::chrono::ceil<milliseconds>(until), milliseconds(kMaxDelaySeconds * 1000));
}

RetryStep NextWait(const RetryPolicy& policy, int attempts_made, milliseconds elapsed,
                   std::optional<milliseconds> hint, Random& random) {
  using Why = RetryStep::GiveUpReason;
  if (attempts_made >= policy.max_attempts) {
    return GiveUp(Why::kAttemptsExhausted, "attempts exhausted: " + std::to_string(attempts_made) +
                                               " of " + std::to_string(policy.max_attempts));
  }
  const milliseconds remaining = policy.deadline - elapsed;
  if (remaining <= milliseconds::zero()) {
    return GiveUp(Why::kDeadline, "deadline: the " + Ms(policy.deadline) +
                                      " deadline passed after " + std::to_string(attempts_made) +
                                      " attempts");
  }
  if (hint && *hint >= remaining) {
    return GiveUp(Why::kDeadline, "deadline: server asked to wait " + Ms(*hint) + " but " +
                                      Ms(remaining) + " of the " + Ms(policy.deadline) +
                                      " deadline remain");
  }
  const milliseconds jitter = FullJitterDelay(policy, attempts_made - 1, random);
  const milliseconds wait = hint ? std::max(*hint, jitter) : jitter;
  if (wait >= remaining) {
    return GiveUp(Why::kDeadline, "deadline: next wait " + Ms(wait) + " but " + Ms(remaining) +
                                      " of the " + Ms(policy.deadline) + " deadline remain");
  }
  RetryStep step;
  step.verdict = RetryStep::Verdict::kRetry;
  step.wait = wait;
  return step;
}

}  // namespace rr
