// A clock that only moves when told (or when something sleeps on it), and a random source that
// plays back a script, so backoff schedules can be pinned exactly.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <vector>

#include "channels/clock.h"

namespace rr {

class FakeClock final : public Clock {
 public:
  // Starts at an arbitrary steady time and at `wall_start` on the wall clock
  // (default 2026-09-01T03:14:07Z).
  FakeClock();
  explicit FakeClock(std::chrono::system_clock::time_point wall_start);

  std::chrono::steady_clock::time_point Now() const override;
  std::chrono::system_clock::time_point WallNow() const override;
  // Advances both clocks by `duration` at once and records it; never blocks.
  void SleepFor(std::chrono::nanoseconds duration) override;

  // Moves time forward without recording a sleep (time spent "working", e.g. in a request).
  void Advance(std::chrono::nanoseconds duration);

  // Every SleepFor call in order, as given (non-positive ones included).
  std::vector<std::chrono::nanoseconds> sleeps() const;
  // Total time moved since construction, by sleeps and Advance.
  std::chrono::nanoseconds elapsed() const;

 private:
  mutable std::mutex mu_;
  std::chrono::steady_clock::time_point steady_start_;
  std::chrono::system_clock::time_point wall_start_;
  std::chrono::nanoseconds elapsed_{0};
  std::vector<std::chrono::nanoseconds> sleeps_;
};

class FakeRandom final : public Random {
 public:
  // Returns `script` in order; once it runs out, returns `after_script` forever.
  explicit FakeRandom(std::vector<double> script = {}, double after_script = 0.5);

  double Uniform01() override;

  // How many values have been drawn.
  std::size_t calls() const;

 private:
  mutable std::mutex mu_;
  std::vector<double> script_;
  double after_script_;
  std::size_t calls_ = 0;
};

}  // namespace rr
