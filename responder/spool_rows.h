// Small pieces the spool's translation units share (spool.cc, spool_incidents.cc): times as
// stored (milliseconds since the epoch), one-shot statements, read snapshots.
#pragma once

#include <chrono>
#include <cstdint>

#include "alarm/status.h"
#include "responder/sqlite_db.h"

namespace rr::spool_rows {

inline int64_t ToMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

inline std::chrono::system_clock::time_point FromMs(int64_t ms) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::milliseconds(ms)));
}

inline Status RunOnce(SqliteStatement& statement) {
  StatementReset reset(statement);
  return statement.Run();
}

// One snapshot for a read made of several queries; ends it however the read ends.
class ReadTransaction {
 public:
  ReadTransaction(SqliteStatement& begin, SqliteStatement& end)
      : end_(end), status_(RunOnce(begin)) {}
  ~ReadTransaction() {
    if (status_.ok()) RunOnce(end_);
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  const Status& status() const { return status_; }

 private:
  SqliteStatement& end_;
  Status status_;
};

}  // namespace rr::spool_rows
