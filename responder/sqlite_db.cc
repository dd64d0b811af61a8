#include "responder/sqlite_db.h"

#include <utility>

namespace rr {
namespace {

Status MakeStatus(int rc, std::string message) {
  switch (StatusCodeForSqlite(rc)) {
    case Status::Code::kUnavailable:
      return Status::Unavailable(std::move(message));
    case Status::Code::kInvalidArgument:
      return Status::InvalidArgument(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

std::string Describe(std::string_view label, std::string_view operation, std::string_view what,
                     int rc) {
  std::string message;
  message.append(label).append(": ").append(operation).append(": ").append(what);
  message.append(" (sqlite code ").append(std::to_string(rc)).append(")");
  return message;
}

}  // namespace

Status::Code StatusCodeForSqlite(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOMEM:
      return Status::Code::kUnavailable;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return Status::Code::kInvalidArgument;
    default:
      return Status::Code::kInternal;
  }
}

// --- SqliteStatement ---

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      label_(std::move(other.label_)),
      operation_(std::move(other.operation_)),
      bind_error_(other.bind_error_) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    label_ = std::move(other.label_);
    operation_ = std::move(other.operation_);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::NoteBind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void SqliteStatement::Bind(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value));
}

void SqliteStatement::BindText(int index, std::string_view text) {
  NoteBind(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void SqliteStatement::BindBlob(int index, std::string_view bytes) {
  // A zero-length blob from a null pointer would bind NULL; point at something instead.
  const char* data = bytes.empty() ? "" : bytes.data();
  NoteBind(sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_TRANSIENT));
}

void SqliteStatement::BindNull(int index) { NoteBind(sqlite3_bind_null(stmt_, index)); }

void SqliteStatement::BindOptionalText(int index, const std::optional<std::string>& text) {
  if (text) {
    BindText(index, *text);
  } else {
    BindNull(index);
  }
}

Result<bool> SqliteStatement::Step() {
  if (bind_error_ != SQLITE_OK) {
    int rc = std::exchange(bind_error_, SQLITE_OK);
    return MakeStatus(rc, Describe(label_, operation_, sqlite3_errstr(rc), rc));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return MakeStatus(rc, Describe(label_, operation_, sqlite3_errmsg(sqlite3_db_handle(stmt_)), rc));
}

Status SqliteStatement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

int64_t SqliteStatement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::ColumnText(int column) const {
  // sqlite3_column_blob before _bytes, as the documentation asks; it does not convert text.
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return std::string();
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<std::string> SqliteStatement::ColumnOptionalText(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnText(column);
}

std::optional<int64_t> SqliteStatement::ColumnOptionalInt64(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnInt64(column);
}

void SqliteStatement::Reset() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

// --- SqliteDb ---

Result<SqliteDb> SqliteDb::Open(const std::string& path, int flags, std::string label) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                           nullptr);
  SqliteDb db;
  db.db_.reset(raw);  // closed on every path, failure included
  db.label_ = std::move(label);
  if (rc != SQLITE_OK) {
    const char* what = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return MakeStatus(rc, Describe(db.label_, "open", what, rc));
  }
  return db;
}

Status SqliteDb::Exec(const char* sql, std::string_view operation) {
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, operation);
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql, std::string operation) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(rc, "prepare " + operation);
  }
  return SqliteStatement(stmt, label_, std::move(operation));
}

Result<int64_t> SqliteDb::QueryInt(const char* sql, std::string_view operation) {
  Result<SqliteStatement> statement = Prepare(sql, std::string(operation));
  if (!statement.ok()) return statement.status();
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal(label_ + ": " + std::string(operation) + ": no result");
  return statement->ColumnInt64(0);
}

Result<std::string> SqliteDb::QueryText(const char* sql, std::string_view operation) {
  Result<SqliteStatement> statement = Prepare(sql, std::string(operation));
  if (!statement.ok()) return statement.status();
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal(label_ + ": " + std::string(operation) + ": no result");
  return statement->ColumnText(0);
}

int64_t SqliteDb::changes() const { return sqlite3_changes64(db_.get()); }

bool SqliteDb::in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

Status SqliteDb::Error(int rc, std::string_view operation) const {
  const char* what = db_ != nullptr ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
  return MakeStatus(rc, Describe(label_, operation, what, rc));
}

}  // namespace rr
