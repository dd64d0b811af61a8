// Time, sleeping and randomness behind small interfaces (after leveldb's Env), so backoff and
// escalation are tested with a fake clock and scripted jitter instead of real waits.
#pragma once

#include <chrono>

namespace rr {

class Clock {
 public:
  virtual ~Clock() = default;

  // Monotonic time: for measuring elapsed time and deadlines.
  virtual std::chrono::steady_clock::time_point Now() const = 0;
  // Wall-clock time: only for comparing against dates from servers (Retry-After HTTP dates).
  virtual std::chrono::system_clock::time_point WallNow() const = 0;
  // Blocks the calling thread for `duration` (non-positive durations return at once).
  virtual void SleepFor(std::chrono::nanoseconds duration) = 0;
};

class Random {
 public:
  virtual ~Random() = default;

  // A uniformly distributed value in [0, 1).
  virtual double Uniform01() = 0;
};

// The real clock and a process-wide random source. Both are thread-safe and live forever.
Clock& SystemClock();
Random& SystemRandom();

}  // namespace rr
