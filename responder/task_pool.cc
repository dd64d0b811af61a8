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
  latch.left = tasks.size() - 1;
  if (latch.left > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i + 1 < tasks.size(); ++i) {
      queue_.push_back([&latch, &task = tasks[i]] {
        task();
        latch.CountDown();
      });
    }
  }
  cv_.notify_all();
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
