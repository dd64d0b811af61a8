// Retry timing: exponential backoff with full jitter, server hints (Retry-After, Telegram
// parameters.retry_after) and an overall deadline. Pure functions of their inputs: time and
// randomness come in as arguments, so schedules are pinned in tests with FakeRandom.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "channels/clock.h"

namespace rr {

struct RetryPolicy {
  std::chrono::milliseconds base{1000};       // full-jitter window of the first retry
  std::chrono::milliseconds cap{20000};       // the window never grows past this
  int max_attempts = 5;                       // attempts in all, the first one included
  std::chrono::milliseconds deadline{60000};  // from the first attempt's start
};

// The delay before retry `retry` (0 for the first retry): U(0, min(cap, base * 2^retry)),
// drawn from `random`. Never negative, never above the cap.
std::chrono::milliseconds FullJitterDelay(const RetryPolicy& policy, int retry, Random& random);

// Parses a Retry-After field value (RFC 9110 10.2.3): delay-seconds ("120") or an HTTP-date,
// measured from `wall_now`. Dates are accepted in the three formats RFC 9110 5.6.7 requires
// recipients to read: IMF-fixdate ("Tue, 01 Sep 2026 03:14:37 GMT") and the obsolete RFC 850
// ("Tuesday, 01-Sep-26 03:14:37 GMT") and asctime ("Tue Sep  1 03:14:37 2026") forms. A date
// in the past gives zero. Anything else (negative or fractional numbers, junk) gives nullopt.
std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point wall_now);

// What to do after a failed, retryable attempt.
struct RetryStep {
  enum class Verdict { kRetry, kGiveUp };
  enum class GiveUpReason { kNone, kAttemptsExhausted, kDeadline };

  Verdict verdict = Verdict::kGiveUp;
  std::chrono::milliseconds wait{0};  // kRetry: sleep this long, then attempt again
  GiveUpReason give_up_reason = GiveUpReason::kNone;
  // kGiveUp: in words, starting "attempts exhausted" or "deadline", e.g.
  // "deadline: server asked to wait 90000 ms but 12000 ms of the 60000 ms deadline remain".
  std::string reason;

  bool retry() const { return verdict == Verdict::kRetry; }
};

// Plans the next step after `attempts_made` attempts (>= 1) that started `elapsed` ago in total.
// `hint` is the server's requested wait, if any. The server wins: wait = max(hint, jitter).
// Gives up at once, without waiting, when the attempts are used up or when the wait would not
// end before the deadline (a wait landing exactly on the deadline does not fit either: the next
// attempt would have no time left). Draws one value from `random` unless it gives up before the
// jitter matters (attempts used up, deadline passed, or the hint alone does not fit).
RetryStep NextWait(const RetryPolicy& policy, int attempts_made, std::chrono::milliseconds elapsed,
                   std::optional<std::chrono::milliseconds> hint, Random& random);

}  // namespace rr
