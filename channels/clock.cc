#include "channels/clock.h"

#include <mutex>
#include <random>
#include <thread>

namespace rr {
namespace {

class RealClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() const override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point WallNow() const override {
    return std::chrono::system_clock::now();
  }
  void SleepFor(std::chrono::nanoseconds duration) override {
    if (duration > std::chrono::nanoseconds::zero()) std::this_thread::sleep_for(duration);
  }
};

class RealRandom final : public Random {
 public:
  RealRandom() : engine_(std::random_device{}()) {}

  double Uniform01() override {
    std::lock_guard<std::mutex> lock(mu_);
    // generate_canonical can return 1.0 through rounding (LWG 2524); keep the promise of [0, 1).
    double value = std::generate_canonical<double, 53>(engine_);
    return value < 1.0 ? value : 0.0;
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

}  // namespace

Clock& SystemClock() {
  static RealClock* clock = new RealClock();  // never destroyed: safe during static teardown
  return *clock;
}

Random& SystemRandom() {
  static RealRandom* random = new RealRandom();
  return *random;
}

}  // namespace rr
