// A work list ordered by due time, for the daemon's delivery workers: an alert is due at once
// when accepted, and again after a backoff when a channel did not take it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

namespace rr {

struct AlertJob {
  int64_t alert_id = 0;
  std::string dedup_key;
  std::string payload;  // the bytes as accepted; re-parsed for every round
  std::chrono::system_clock::time_point accepted_at;
  std::set<std::string> sent;  // channels that already took it: never paged again
  int round = 0;               // delivery rounds tried so far
  std::chrono::steady_clock::time_point due;
};

class DueQueue {
 public:
  void Push(AlertJob job);
  // Waits for the earliest job to be due, or for Close(); nullopt once closed.
  std::optional<AlertJob> PopDue();
  // Wakes every waiter; PopDue returns nullopt from now on. Jobs left stay in the spool.
  void Close();
  size_t size() const;

 private:
  struct Later {
    bool operator()(const AlertJob& a, const AlertJob& b) const { return a.due > b.due; }
  };
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::priority_queue<AlertJob, std::vector<AlertJob>, Later> jobs_;
  bool closed_ = false;
};

}  // namespace rr
