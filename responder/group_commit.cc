#include "responder/group_commit.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

namespace rr {

GroupCommit::GroupCommit(BatchRunner runner, size_t max_batch)
    : runner_(std::move(runner)), max_batch_(std::max<size_t>(max_batch, 1)) {}

Status GroupCommit::Submit(Op op, bool durable) {
  Waiter self;
  self.op = &op;
  self.durable = durable;
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&self);
  self.cv.wait(lock, [&] { return self.done || queue_.front() == &self; });
  if (self.done) return std::move(self.status);  // a leader committed this op for us

  // Leader: the batch is this op and whoever queued behind it, up to max_batch_.
  const size_t size = std::min(queue_.size(), max_batch_);
  std::vector<Waiter*> batch(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(size));
  lock.unlock();  // others may queue for the next batch while this one is written

  std::vector<Op*> ops;
  ops.reserve(size);
  bool batch_durable = false;
  for (Waiter* waiter : batch) {
    ops.push_back(waiter->op);
    batch_durable = batch_durable || waiter->durable;
  }
  std::vector<Status> statuses(size);
  try {
    runner_(ops, statuses, batch_durable);
  } catch (const std::exception& e) {  // e.g. bad_alloc: fail the batch, never strand the queue
    for (Status& status : statuses)
      status = Status::Internal(std::string("write batch: ") + e.what());
  }

  lock.lock();
  for (size_t i = 0; i < size; ++i) {
    Waiter* waiter = queue_.front();
    queue_.pop_front();
    waiter->status = std::move(statuses[i]);
    waiter->done = true;
    if (waiter != &self) waiter->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader
  stats_.ops += size;
  stats_.batches += 1;
  stats_.largest_batch = std::max(stats_.largest_batch, size);
  return std::move(self.status);
}

GroupCommit::Stats GroupCommit::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

size_t GroupCommit::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

}  // namespace rr
