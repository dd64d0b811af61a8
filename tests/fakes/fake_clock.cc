#include "tests/fakes/fake_clock.h"

#include <utility>

namespace rr {
namespace {

// 2026-09-01T03:14:07Z: a fixed, readable instant so HTTP-date tests are deterministic.
constexpr std::chrono::seconds kDefaultWallStart{1788232447};

}  // namespace

FakeClock::FakeClock() : FakeClock(std::chrono::system_clock::time_point(kDefaultWallStart)) {}

FakeClock::FakeClock(std::chrono::system_clock::time_point wall_start)
    : steady_start_(std::chrono::steady_clock::time_point(std::chrono::hours(1000))),
      wall_start_(wall_start) {}

std::chrono::steady_clock::time_point FakeClock::Now() const {
  std::lock_guard<std::mutex> lock(mu_);
  return steady_start_ + elapsed_;
}

std::chrono::system_clock::time_point FakeClock::WallNow() const {
  std::lock_guard<std::mutex> lock(mu_);
  return wall_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed_);
}

void FakeClock::SleepFor(std::chrono::nanoseconds duration) {
  std::lock_guard<std::mutex> lock(mu_);
  sleeps_.push_back(duration);
  if (duration > std::chrono::nanoseconds::zero()) elapsed_ += duration;
}

void FakeClock::Advance(std::chrono::nanoseconds duration) {
  std::lock_guard<std::mutex> lock(mu_);
  if (duration > std::chrono::nanoseconds::zero()) elapsed_ += duration;
}

std::vector<std::chrono::nanoseconds> FakeClock::sleeps() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sleeps_;
}

std::chrono::nanoseconds FakeClock::elapsed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return elapsed_;
}

FakeRandom::FakeRandom(std::vector<double> script, double after_script)
    : script_(std::move(script)), after_script_(after_script) {}

double FakeRandom::Uniform01() {
  std::lock_guard<std::mutex> lock(mu_);
  double value = calls_ < script_.size() ? script_[calls_] : after_script_;
  ++calls_;
  return value;
}

std::size_t FakeRandom::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

}  // namespace rr
