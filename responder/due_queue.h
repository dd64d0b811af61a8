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

#include "responder/spool.h"

namespace rr {

struct AlertJob {
  int64_t alert_id = 0;
  int64_t incident_id = 0;
  AlertRole role = AlertRole::kNone;
  std::string dedup_key;
  std::string payload;  // the bytes as accepted; re-parsed for every round
  std::chrono::system_clock::time_point accepted_at;
  std::set<std::string> sent;    // channels that already took it: never paged again
  std::set<std::string> failed;  // channels whose latest try failed
  int round = 0;                 // delivery rounds tried so far
  std::chrono::steady_clock::time_point due;
};

class DueQueue {
 public:
  void Push(AlertJob job);
  // Waits for the earliest job to be due, or for Close(); nullopt once closed.
  std::optional<AlertJob> PopDue();
  // The earliest job if it is due at `now`, without waiting (tests drive time themselves).
  std::optional<AlertJob> PopIfDue(std::chrono::steady_clock::time_point now);
  // Makes the queued job of `alert_id` due at `now` (an acknowledgement ends a wait early).
  void MakeDue(int64_t alert_id, std::chrono::steady_clock::time_point now);
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
