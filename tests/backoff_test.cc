#include "channels/backoff.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tests/fakes/fake_clock.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Verdict = RetryStep::Verdict;
using Why = RetryStep::GiveUpReason;

// ---- Clock and Random --------------------------------------------------------------------

TEST(ClockTest, FakeSleepAdvancesBothClocksAndIsRecorded) {
  FakeClock clock;
  const auto steady0 = clock.Now();
  const auto wall0 = clock.WallNow();
  clock.SleepFor(milliseconds(1500));
  clock.Advance(milliseconds(250));
  clock.SleepFor(milliseconds(0));
  EXPECT_EQ(clock.Now() - steady0, milliseconds(1750));
  EXPECT_EQ(clock.WallNow() - wall0, milliseconds(1750));
  EXPECT_EQ(clock.elapsed(), milliseconds(1750));
  const std::vector<std::chrono::nanoseconds> expected = {milliseconds(1500), milliseconds(0)};
  EXPECT_EQ(clock.sleeps(), expected);
}

TEST(ClockTest, FakeWallClockStartsAtAFixedReadableInstant) {
  FakeClock clock;
  EXPECT_EQ(clock.WallNow().time_since_epoch(), seconds(1788232447));  // 2026-09-01T03:14:07Z
  FakeClock other(std::chrono::system_clock::time_point(seconds(784111777)));
  EXPECT_EQ(other.WallNow().time_since_epoch(), seconds(784111777));
}

TEST(ClockTest, FakeRandomPlaysItsScriptThenTheFallback) {
  FakeRandom random({0.25, 0.0, 0.999}, 0.5);
  EXPECT_EQ(random.Uniform01(), 0.25);
  EXPECT_EQ(random.Uniform01(), 0.0);
  EXPECT_EQ(random.Uniform01(), 0.999);
  EXPECT_EQ(random.Uniform01(), 0.5);
  EXPECT_EQ(random.calls(), 4u);
}

TEST(ClockTest, SystemClockIsMonotonicAndSystemRandomStaysInRange) {
  Clock& clock = SystemClock();
  EXPECT_EQ(&clock, &SystemClock());
  const auto a = clock.Now();
  clock.SleepFor(std::chrono::nanoseconds(-5));  // negative: returns at once
  EXPECT_GE(clock.Now(), a);
  const auto wall = clock.WallNow().time_since_epoch();
  EXPECT_GT(wall, seconds(1700000000));  // after 2023: a real wall clock
  double low = 1, high = 0;
  for (int i = 0; i < 10000; ++i) {
    double u = SystemRandom().Uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    low = std::min(low, u);
    high = std::max(high, u);
  }
  EXPECT_LT(low, 0.01);
  EXPECT_GT(high, 0.99);
}

// ---- Full jitter -------------------------------------------------------------------------

TEST(BackoffTest, DefaultsMatchTheIssue) {
  RetryPolicy policy;
  EXPECT_EQ(policy.base, seconds(1));
  EXPECT_EQ(policy.cap, seconds(20));
  EXPECT_EQ(policy.max_attempts, 5);
  EXPECT_EQ(policy.deadline, seconds(60));
}

TEST(BackoffTest, FullJitterWindowDoublesUpToTheCap) {
  RetryPolicy policy;
  // u just below 1 shows each window's top: 1, 2, 4, 8, 16, then the 20 s cap.
  FakeRandom top({0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999});
  std::vector<milliseconds> delays;
  for (int retry = 0; retry < 7; ++retry) delays.push_back(FullJitterDelay(policy, retry, top));
  const std::vector<milliseconds> expected = {
      milliseconds(999),   milliseconds(1999),  milliseconds(3999), milliseconds(7999),
      milliseconds(15998), milliseconds(19998), milliseconds(19998)};
  EXPECT_EQ(delays, expected);
}

TEST(BackoffTest, FullJitterScalesTheWindowByTheRandomDraw) {
  RetryPolicy policy;
  FakeRandom random({0.5, 0.25, 0.0, 0.125});
  EXPECT_EQ(FullJitterDelay(policy, 0, random), milliseconds(500));
  EXPECT_EQ(FullJitterDelay(policy, 2, random), milliseconds(1000));
  EXPECT_EQ(FullJitterDelay(policy, 3, random), milliseconds(0));
  EXPECT_EQ(FullJitterDelay(policy, 4, random), milliseconds(2000));
}

TEST(BackoffTest, FullJitterNeverOverflowsOrLeavesTheWindow) {
  RetryPolicy policy;
  FakeRandom random({0.5, 0.5, 1.0, -0.5});
  EXPECT_EQ(FullJitterDelay(policy, 1000, random), milliseconds(10000));  // capped, no overflow
  EXPECT_EQ(FullJitterDelay(policy, -3, random), milliseconds(500));      // treated as retry 0
  EXPECT_EQ(FullJitterDelay(policy, 0, random), milliseconds(0));         // broken source: clamped
  EXPECT_EQ(FullJitterDelay(policy, 0, random), milliseconds(0));
}

TEST(BackoffTest, FullJitterHonoursACustomBaseAndCap) {
  RetryPolicy policy;
  policy.base = milliseconds(200);
  policy.cap = milliseconds(1000);
  FakeRandom random({0.5, 0.5, 0.5, 0.5});
  EXPECT_EQ(FullJitterDelay(policy, 0, random), milliseconds(100));
  EXPECT_EQ(FullJitterDelay(policy, 1, random), milliseconds(200));
  EXPECT_EQ(FullJitterDelay(policy, 2, random), milliseconds(400));
  EXPECT_EQ(FullJitterDelay(policy, 3, random), milliseconds(500));  // 1600 capped at 1000
}

// ---- Retry-After -------------------------------------------------------------------------

TEST(BackoffTest, RetryAfterDelaySeconds) {
  FakeClock clock;
  EXPECT_EQ(ParseRetryAfter("7", clock.WallNow()), milliseconds(7000));
  EXPECT_EQ(ParseRetryAfter("0", clock.WallNow()), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter(" 120\t", clock.WallNow()), milliseconds(120000));
  EXPECT_EQ(ParseRetryAfter("99999999999999999999", clock.WallNow()),
            milliseconds(1'000'000'000'000));  // saturates instead of overflowing
}

TEST(BackoffTest, RetryAfterHttpDate) {
  FakeClock clock;  // 2026-09-01T03:14:07Z
  EXPECT_EQ(ParseRetryAfter("Tue, 01 Sep 2026 03:14:37 GMT", clock.WallNow()), seconds(30));
  EXPECT_EQ(ParseRetryAfter("Wed, 02 Sep 2026 03:14:07 GMT", clock.WallNow()), seconds(86400));
  clock.Advance(milliseconds(400));  // mid-second: round up, never early
  EXPECT_EQ(ParseRetryAfter("Tue, 01 Sep 2026 03:14:10 GMT", clock.WallNow()), milliseconds(2600));
}

TEST(BackoffTest, RetryAfterObsoleteDateFormatsAreReadToo) {
  FakeClock clock;  // 2026-09-01T03:14:07Z
  EXPECT_EQ(ParseRetryAfter("Tuesday, 01-Sep-26 03:14:37 GMT", clock.WallNow()), seconds(30));
  EXPECT_EQ(ParseRetryAfter("Tue Sep  1 03:14:37 2026", clock.WallNow()), seconds(30));
  EXPECT_EQ(ParseRetryAfter("Thu Sep 10 03:14:07 2026", clock.WallNow()), seconds(9 * 86400));
  // Two-digit years: the next 50 years are ahead, anything later is the past century.
  EXPECT_EQ(ParseRetryAfter("Wednesday, 01-Sep-27 03:14:07 GMT", clock.WallNow()),
            seconds(365 * 86400));
  EXPECT_EQ(ParseRetryAfter("Tuesday, 01-Sep-76 03:14:07 GMT", clock.WallNow()),
            milliseconds(1'000'000'000'000));  // 2076, saturated
  EXPECT_EQ(ParseRetryAfter("Monday, 01-Sep-80 03:14:07 GMT", clock.WallNow()),
            milliseconds(0));  // 1980
}

TEST(BackoffTest, RetryAfterDateInThePastMeansNow) {
  FakeClock clock;
  EXPECT_EQ(ParseRetryAfter("Tue, 01 Sep 2026 03:14:07 GMT", clock.WallNow()), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", clock.WallNow()), milliseconds(0));
}

TEST(BackoffTest, RetryAfterRejectsEverythingElse) {
  FakeClock clock;
  for (const char* bad : {
           "", "   ", "-1", "1.5", "10s", "+5", "soon", "0x10",
           "Sunday, 06-Nov-94 08:49:37",      // RFC 850 form without GMT
           "Sun, 06-Nov-94 08:49:37 GMT",     // RFC 850 form needs the long day name
           "Sun Nov 6 08:49:37 1994",         // asctime day is padded to two places
           "Tue, 01 Sep 2026 03:14:37 UTC",   // must say GMT
           "Tue, 1 Sep 2026 03:14:37 GMT",    // two-digit day
           "Tue, 31 Feb 2026 03:14:37 GMT",   // no such date
           "Tue, 01 Sep 2026 24:00:00 GMT",   // hour out of range
           "Tue, 01 Sept 2026 03:14:37 GMT",  // month name
           "Xyz, 01 Sep 2026 03:14:37 GMT",   // day name
           "tue, 01 sep 2026 03:14:37 gmt",   // case-sensitive
       }) {
    EXPECT_EQ(ParseRetryAfter(bad, clock.WallNow()), std::nullopt) << "'" << bad << "'";
  }
}

// ---- NextWait: the planner ---------------------------------------------------------------

TEST(BackoffTest, NextWaitUsesJitterWithoutAHint) {
  RetryPolicy policy;
  FakeRandom random({0.5});
  RetryStep step = NextWait(policy, 1, milliseconds(300), std::nullopt, random);
  EXPECT_EQ(step.verdict, Verdict::kRetry);
  EXPECT_TRUE(step.retry());
  EXPECT_EQ(step.wait, milliseconds(500));
  EXPECT_EQ(step.give_up_reason, Why::kNone);
  EXPECT_EQ(step.reason, "");
}

TEST(BackoffTest, NextWaitServerHintWinsOverASmallerJitter) {
  RetryPolicy policy;
  FakeRandom random({0.5, 0.9});
  // Telegram "retry after 7" on the first failure: jitter 500 ms loses to the hint.
  EXPECT_EQ(NextWait(policy, 1, milliseconds(100), seconds(7), random).wait, seconds(7));
  // A hint smaller than the jitter does not shorten the wait (4th attempt: window 8 s).
  EXPECT_EQ(NextWait(policy, 4, milliseconds(100), seconds(1), random).wait, milliseconds(7200));
}

TEST(BackoffTest, NextWaitGivesUpWhenAttemptsAreExhausted) {
  RetryPolicy policy;
  FakeRandom random;
  RetryStep step = NextWait(policy, 5, milliseconds(1000), std::nullopt, random);
  EXPECT_EQ(step.verdict, Verdict::kGiveUp);
  EXPECT_EQ(step.give_up_reason, Why::kAttemptsExhausted);
  EXPECT_EQ(step.reason, "attempts exhausted: 5 of 5");
  EXPECT_EQ(random.calls(), 0u);
}

TEST(BackoffTest, NextWaitGivesUpAtOnceWhenTheHintDoesNotFitTheDeadline) {
  RetryPolicy policy;
  FakeRandom random;
  RetryStep step = NextWait(policy, 2, seconds(48), seconds(30), random);
  EXPECT_EQ(step.verdict, Verdict::kGiveUp);
  EXPECT_EQ(step.give_up_reason, Why::kDeadline);
  EXPECT_EQ(step.wait, milliseconds(0));
  EXPECT_EQ(step.reason,
            "deadline: server asked to wait 30000 ms but 12000 ms of the 60000 ms deadline remain");
  EXPECT_EQ(random.calls(), 0u);
}

TEST(BackoffTest, NextWaitGivesUpWhenTheJitteredWaitDoesNotFit) {
  RetryPolicy policy;
  FakeRandom random({0.75});
  // 4th retry window 8 s, drawn 6 s, but only 5 s are left.
  RetryStep step = NextWait(policy, 4, seconds(55), std::nullopt, random);
  EXPECT_EQ(step.give_up_reason, Why::kDeadline);
  EXPECT_EQ(step.reason, "deadline: next wait 6000 ms but 5000 ms of the 60000 ms deadline remain");
}

TEST(BackoffTest, NextWaitAWaitEndingExactlyAtTheDeadlineDoesNotFit) {
  RetryPolicy policy;
  FakeRandom random({0.5, 0.5});
  EXPECT_EQ(NextWait(policy, 1, milliseconds(59500), std::nullopt, random).give_up_reason,
            Why::kDeadline);
  EXPECT_TRUE(NextWait(policy, 1, milliseconds(59499), std::nullopt, random).retry());
}

TEST(BackoffTest, NextWaitGivesUpWhenTheDeadlineHasPassed) {
  RetryPolicy policy;
  FakeRandom random;
  RetryStep step = NextWait(policy, 2, seconds(61), std::nullopt, random);
  EXPECT_EQ(step.give_up_reason, Why::kDeadline);
  EXPECT_EQ(step.reason, "deadline: the 60000 ms deadline passed after 2 attempts");
}

// A send loop as the responder will write it, driven by FakeClock: every attempt fails and
// takes 200 ms; the exact sleeps and the reason for stopping are pinned.
struct LoopResult {
  int attempts = 0;
  std::vector<std::chrono::nanoseconds> sleeps;
  RetryStep last;
};

LoopResult RunFailingLoop(const RetryPolicy& policy, FakeClock& clock, Random& random,
                          const std::vector<std::optional<milliseconds>>& hints) {
  LoopResult result;
  const auto start = clock.Now();
  while (true) {
    ++result.attempts;
    clock.Advance(milliseconds(200));  // the attempt itself
    std::optional<milliseconds> hint;
    if (result.attempts - 1 < static_cast<int>(hints.size())) hint = hints[result.attempts - 1];
    auto elapsed = std::chrono::duration_cast<milliseconds>(clock.Now() - start);
    result.last = NextWait(policy, result.attempts, elapsed, hint, random);
    if (!result.last.retry()) break;
    clock.SleepFor(result.last.wait);
  }
  result.sleeps = clock.sleeps();
  return result;
}

TEST(BackoffTest, ScheduleWithDefaultsIsPinned) {
  RetryPolicy policy;
  FakeClock clock;
  FakeRandom random({0.3, 0.6, 0.9, 0.45});
  LoopResult r = RunFailingLoop(policy, clock, random, {});
  EXPECT_EQ(r.attempts, 5);
  const std::vector<std::chrono::nanoseconds> expected = {milliseconds(300), milliseconds(1200),
                                                          milliseconds(3600), milliseconds(3600)};
  EXPECT_EQ(r.sleeps, expected);
  EXPECT_EQ(r.last.give_up_reason, Why::kAttemptsExhausted);
  EXPECT_EQ(clock.elapsed(), milliseconds(5 * 200 + 300 + 1200 + 3600 + 3600));
}

TEST(BackoffTest, ScheduleHonoursTelegramRetryAfterThenGivesUpOnTheDeadline) {
  RetryPolicy policy;
  FakeClock clock;
  FakeRandom random({0.1, 0.1, 0.1});
  // 429 retry_after 7, then 429 retry_after 40 (fits: 52.6 s left), then retry_after 30 when
  // only 12.4 s remain: stop at once, without sleeping.
  LoopResult r = RunFailingLoop(policy, clock, random, {seconds(7), seconds(40), seconds(30)});
  EXPECT_EQ(r.attempts, 3);
  const std::vector<std::chrono::nanoseconds> expected = {seconds(7), seconds(40)};
  EXPECT_EQ(r.sleeps, expected);
  EXPECT_EQ(r.last.give_up_reason, Why::kDeadline);
  EXPECT_EQ(r.last.reason,
            "deadline: server asked to wait 30000 ms but 12400 ms of the 60000 ms deadline remain");
}

TEST(BackoffTest, ScheduleWithAShortDeadlineStopsBeforeTheAttemptLimit) {
  RetryPolicy policy;
  policy.deadline = seconds(5);
  FakeClock clock;
  FakeRandom random({0.9, 0.9, 0.9});
  LoopResult r = RunFailingLoop(policy, clock, random, {});
  // 0.2 + 0.9 + 0.2 + 1.8 + 0.2 = 3.3 s used; the next wait 3.6 s does not fit 1.7 s.
  EXPECT_EQ(r.attempts, 3);
  const std::vector<std::chrono::nanoseconds> expected = {milliseconds(900), milliseconds(1800)};
  EXPECT_EQ(r.sleeps, expected);
  EXPECT_EQ(r.last.give_up_reason, Why::kDeadline);
}

TEST(BackoffTest, RetryAfterDateFeedsThePlanner) {
  RetryPolicy policy;
  FakeClock clock;
  FakeRandom random({0.0});
  auto hint = ParseRetryAfter("Tue, 01 Sep 2026 03:14:19 GMT", clock.WallNow());
  ASSERT_TRUE(hint.has_value());
  RetryStep step = NextWait(policy, 1, milliseconds(200), hint, random);
  ASSERT_TRUE(step.retry());
  EXPECT_EQ(step.wait, seconds(12));
}

}  // namespace
}  // namespace rr
