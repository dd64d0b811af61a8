#include "responder/task_pool.h"

#include <algorithm>

namespace rr {
namespace {

// Counts a batch down; the caller waits for zero.
struct Latch {
  std::mutex mu;
  std::condition_variable cv;
  size_t left = 0;

  void CountDown() {
    std::lock_guard<std::mutex> lock(mu);
    if (--left == 0) cv.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return left == 0; });
  }
};

}  // namespace

TaskPool::TaskPool(size_t threads) {
  for (size_t i = 0; i < std::max<size_t>(1, threads); ++i)
    threads_.emplace_back([this] { Work(); });
}

TaskPool::~TaskPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void TaskPool::RunAll(std::vector<std::function<void()>>& tasks) {
  if (tasks.empty()) return;
  Latch latch;
  const size_t on_pool = tasks.size() - 1;
  latch.left = on_pool;
  if (on_pool > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i + 1 < tasks.size(); ++i) {
      queue_.push_back([&latch, &task = tasks[i]] {
        task();
        latch.CountDown();
      });
    }
  }
  // One thread per task: waking the whole pool (workers x channels threads) for two tasks
  // was a herd of futex wake-ups per alert under load.
  for (size_t i = 0; i < on_pool; ++i) cv_.notify_one();
  tasks.back()();
  latch.Wait();
}

void TaskPool::Work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace rr
