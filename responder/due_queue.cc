#include "responder/due_queue.h"

namespace rr {

void DueQueue::Push(AlertJob job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push(std::move(job));
  }
  // Every waiter re-checks: the new job may be due earlier than the one they wait for.
  cv_.notify_all();
}

std::optional<AlertJob> DueQueue::PopDue() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!closed_) {
    if (jobs_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const auto due = jobs_.top().due;
    if (due <= std::chrono::steady_clock::now()) {
      AlertJob job = jobs_.top();
      jobs_.pop();
      return job;
    }
    cv_.wait_until(lock, due);
  }
  return std::nullopt;
}

void DueQueue::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

size_t DueQueue::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.size();
}

}  // namespace rr
