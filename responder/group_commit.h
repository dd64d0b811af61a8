// Group commit without a thread of its own, after leveldb's writer queue (DBImpl::Write):
// callers queue up; the caller at the front becomes the leader, takes everything queued behind
// it as one batch, hands the batch to the runner (one transaction, one fsync), then wakes the
// others with their results and passes leadership to the next caller in line. While a batch is
// being written, new callers gather for the next one.
//
// Why no writer thread: there is nothing to start, stop or join; a lone caller commits on its own
// thread without a hand-off; and a batch is exactly "whoever arrived during the last fsync".
//
// SubmitDetached() is for writes whose caller need not wait (delivery bookkeeping): while
// another batch is being written it only queues the op and returns, and the leader that finds
// a detached op at the front of the queue writes that batch too, so no op is ever left without
// a thread to write it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <vector>

#include "alarm/status.h"

namespace rr {

class GroupCommit {
 public:
  // One caller's work inside the batch transaction. It runs on the leader's thread while its
  // caller waits, so it may use the caller's locals by reference.
  using Op = std::function<Status()>;
  // Runs `ops` in order inside one transaction and sets `statuses[i]` for each: an op's own
  // failure, or the batch's (a failed commit fails every op that had succeeded). `durable`:
  // some op in the batch must survive a power cut (so the commit must reach the disk).
  using BatchRunner =
      std::function<void(std::span<Op* const> ops, std::span<Status> statuses, bool durable)>;

  struct Stats {
    uint64_t ops = 0;
    uint64_t batches = 0;
    size_t largest_batch = 0;
  };

  // Told the failure of a detached op that was queued (its caller has gone on).
  using DetachedFailure = std::function<void(const Status&)>;

  GroupCommit(BatchRunner runner, size_t max_batch, DetachedFailure on_detached_failure = {});
  ~GroupCommit();  // only once no call is running
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Blocks until `op` has run and its batch is committed (or has failed); thread-safe.
  // `durable` false: the op may be lost to a power cut (never to a crash of the process).
  Status Submit(Op op, bool durable = true);
  // Not durable. When no batch is being written, runs like Submit(op, false) and returns its
  // status. Otherwise queues `op` (which must own what it uses) for the next batch and returns
  // ok at once; a failure then goes to on_detached_failure. Ops run in the order submitted.
  Status SubmitDetached(Op op);

  Stats stats() const;
  // Callers in the queue now, the one writing included (a gauge for /metrics, and for tests).
  size_t queued() const;

 private:
  struct Waiter {
    Op* op = nullptr;
    bool durable = true;
    bool detached = false;  // nobody waits: the leader that completes it deletes it
    Op owned_op;            // a detached op's own copy
    Status status;
    bool done = false;
    std::condition_variable cv;
  };

  // Writes one batch from the front of the queue (the leader is at the front); `lock` is held
  // on entry and on return, released while writing. Completes the batch's waiters.
  // Failures of detached ops in the batch are added to `detached_failures`.
  void WriteBatch(std::unique_lock<std::mutex>& lock, std::vector<Status>& detached_failures);
  // After a batch: keeps writing while detached ops lead the queue, then wakes the next leader.
  void PassLeadership(std::unique_lock<std::mutex>& lock, std::vector<Status>& detached_failures);
  // Outside the lock: the handler may log, or take locks of its own.
  void ReportDetachedFailures(const std::vector<Status>& failures) const;

  BatchRunner runner_;
  size_t max_batch_;
  DetachedFailure on_detached_failure_;
  mutable std::mutex mu_;
  std::deque<Waiter*> queue_;  // front: the leader (running a batch, or about to)
  Stats stats_;
};

}  // namespace rr
