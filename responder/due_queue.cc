#include "responder/due_queue.h"

namespace rr {

void DueQueue::Push(AlertJob job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push(std::move(job));
  }
  // One waiter is enough: it takes the job when due, or waits for it if it is due before the
  // time it waited for. The others' waits stay right (for the earlier top, or for any job).
  // Waking all the workers for each job was a herd of futex wake-ups per alert under load.
  cv_.notify_one();
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

std::optional<AlertJob> DueQueue::PopIfDue(std::chrono::steady_clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (jobs_.empty() || jobs_.top().due > now) return std::nullopt;
  AlertJob job = jobs_.top();
  jobs_.pop();
  return job;
}

void DueQueue::MakeDue(int64_t alert_id, std::chrono::steady_clock::time_point now) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Rare (a person acknowledged): rebuilding the heap is fine.
    std::vector<AlertJob> all;
    all.reserve(jobs_.size());
    while (!jobs_.empty()) {
      all.push_back(jobs_.top());
      jobs_.pop();
    }
    for (AlertJob& job : all) {
      if (job.alert_id == alert_id && job.due > now) job.due = now;
      jobs_.push(std::move(job));
    }
  }
  cv_.notify_all();
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
