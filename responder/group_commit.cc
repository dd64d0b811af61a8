#include "responder/group_commit.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <string>
#include <utility>

namespace rr {

GroupCommit::GroupCommit(BatchRunner runner, size_t max_batch, DetachedFailure on_detached_failure)
    : runner_(std::move(runner)),
      max_batch_(std::max<size_t>(max_batch, 1)),
      on_detached_failure_(std::move(on_detached_failure)) {}

GroupCommit::~GroupCommit() {
  // Empty when every call has returned (a leader never leaves a detached op behind); this only
  // frees what an unexpected exception out of a batch could have stranded.
  for (Waiter* waiter : queue_) {
    if (waiter->detached) delete waiter;
  }
}

Status GroupCommit::Submit(Op op, bool durable) {
  Waiter self;
  self.op = &op;
  self.durable = durable;
  std::vector<Status> detached_failures;
  {
    std::unique_lock<std::mutex> lock(mu_);
    queue_.push_back(&self);
    self.cv.wait(lock, [&] { return self.done || queue_.front() == &self; });
    if (self.done) return std::move(self.status);  // a leader committed this op for us
    WriteBatch(lock, detached_failures);           // this op and whoever queued behind it
    PassLeadership(lock, detached_failures);
  }
  ReportDetachedFailures(detached_failures);
  return std::move(self.status);
}

Status GroupCommit::SubmitDetached(Op op) {
  std::vector<Status> detached_failures;
  Waiter self;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (!queue_.empty()) {
      // A batch is being written: its leader (or the next one) writes this op too.
      auto waiter = std::make_unique<Waiter>();
      waiter->owned_op = std::move(op);
      waiter->op = &waiter->owned_op;
      waiter->durable = false;
      waiter->detached = true;
      queue_.push_back(waiter.release());
      return Status::Ok();
    }
    // Nothing being written: lead at once, as Submit would, and keep the op's own status.
    self.op = &op;
    self.durable = false;
    queue_.push_back(&self);
    WriteBatch(lock, detached_failures);
    PassLeadership(lock, detached_failures);
  }
  ReportDetachedFailures(detached_failures);
  return std::move(self.status);
}

void GroupCommit::WriteBatch(std::unique_lock<std::mutex>& lock,
                             std::vector<Status>& detached_failures) {
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
    if (waiter->detached) {
      if (!statuses[i].ok()) detached_failures.push_back(std::move(statuses[i]));
      delete waiter;
      continue;
    }
    waiter->status = std::move(statuses[i]);
    waiter->done = true;
    waiter->cv.notify_one();  // the leader's own waiter has nobody waiting on it: harmless
  }
  stats_.ops += size;
  stats_.batches += 1;
  stats_.largest_batch = std::max(stats_.largest_batch, size);
}

void GroupCommit::PassLeadership(std::unique_lock<std::mutex>& lock,
                                 std::vector<Status>& detached_failures) {
  // A detached op has no thread of its own to lead: whoever finishes the batch before it does.
  while (!queue_.empty() && queue_.front()->detached) WriteBatch(lock, detached_failures);
  if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader
}

void GroupCommit::ReportDetachedFailures(const std::vector<Status>& failures) const {
  if (!on_detached_failure_) return;
  for (const Status& failure : failures) on_detached_failure_(failure);
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
