// A thin RAII layer over the sqlite3 C API: a connection, its prepared statements, and every
// SQLite error as a Status naming the database and the operation. Bound values never appear in
// an error (they may be alert payloads): SQLite's own messages do not quote them either.
//
// Neither class locks anything: a connection and its statements belong to one thread at a time
// (connections are opened with SQLITE_OPEN_NOMUTEX; the owner serialises its use).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "alarm/status.h"

namespace rr {

class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(SqliteStatement&&) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) noexcept;
  ~SqliteStatement();

  // Binders for parameter `index` (1-based). A failing bind is remembered and returned by the
  // next Step(), so a caller binds everything and checks once.
  void Bind(int index, int64_t value);
  void BindText(int index, std::string_view text);
  void BindBlob(int index, std::string_view bytes);
  void BindNull(int index);
  void BindOptionalText(int index, const std::optional<std::string>& text);

  // True when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps to the end, for statements that return no rows (or whose rows do not matter).
  Status Run();

  int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;  // blobs too: the bytes as stored
  bool ColumnIsNull(int column) const;
  std::optional<std::string> ColumnOptionalText(int column) const;
  std::optional<int64_t> ColumnOptionalInt64(int column) const;

  // Clears bindings and rewinds, ending the statement's read of the database. Run it after each
  // use (StatementReset does), or a reader's snapshot stays open and the WAL cannot be reset.
  void Reset();

 private:
  friend class SqliteDb;
  SqliteStatement(sqlite3_stmt* stmt, std::string label, std::string operation)
      : stmt_(stmt), label_(std::move(label)), operation_(std::move(operation)) {}
  void NoteBind(int rc);

  sqlite3_stmt* stmt_ = nullptr;
  std::string label_;      // the database, for error messages ("spool /var/lib/rr/spool.db")
  std::string operation_;  // what the statement does, for error messages ("insert alert")
  int bind_error_ = SQLITE_OK;
};

// Resets a statement when the scope that uses it ends, however it ends.
class StatementReset {
 public:
  explicit StatementReset(SqliteStatement& statement) : statement_(statement) {}
  ~StatementReset() { statement_.Reset(); }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  SqliteStatement& statement_;
};

class SqliteDb {
 public:
  // Opens `path` with `flags` (SQLITE_OPEN_*; NOMUTEX and extended result codes are added).
  // `label` prefixes every error of this connection, e.g. "spool /var/lib/rr/spool.db".
  static Result<SqliteDb> Open(const std::string& path, int flags, std::string label);

  SqliteDb() = default;
  SqliteDb(SqliteDb&&) noexcept = default;
  SqliteDb& operator=(SqliteDb&&) noexcept = default;

  // Runs SQL text that returns no rows (several statements allowed).
  Status Exec(const char* sql, std::string_view operation);
  // A statement kept for reuse (SQLITE_PREPARE_PERSISTENT).
  Result<SqliteStatement> Prepare(std::string_view sql, std::string operation);
  // The first column of the first row of `sql`, e.g. a PRAGMA's value; an error when no row.
  Result<int64_t> QueryInt(const char* sql, std::string_view operation);
  Result<std::string> QueryText(const char* sql, std::string_view operation);

  // Rows changed by the last INSERT, UPDATE or DELETE (not counting cascades).
  int64_t changes() const;
  // False outside an explicit transaction, including after SQLite rolled one back by itself
  // (it does on some I/O errors and when the disk is full).
  bool in_transaction() const;
  // `rc` and this connection's last message as a Status: "<label>: <operation>: <message>".
  Status Error(int rc, std::string_view operation) const;
  const std::string& label() const { return label_; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Closer> db_;
  std::string label_;
};

// The Status code for an SQLite result code: busy, locked, full disk and I/O errors are
// kUnavailable (worth another try later); constraint and range errors kInvalidArgument;
// everything else, corruption included, kInternal.
Status::Code StatusCodeForSqlite(int rc);

}  // namespace rr
