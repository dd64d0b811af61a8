#include "responder/spool.h"

#include <fcntl.h>
#include <glog/logging.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <utility>

#include "responder/spool_rows.h"
#include "responder/spool_schema.h"
#include "responder/spool_statements.h"

namespace rr {
namespace {

constexpr size_t kMaxKeyBytes = 1024;
constexpr size_t kMaxSourceBytes = 64;

constexpr char kAlertColumns[] =
    "id, dedup_key, source, payload, drill_id, accepted_at_ms, finished_at_ms, outcome, "
    "outcome_json, incident_id, role";

using spool_rows::FromMs;
using spool_rows::ReadTransaction;
using spool_rows::RunOnce;
using spool_rows::ToMs;

std::string Errno(const std::string& what, int error) { return what + ": " + std::strerror(error); }

// The directory must exist (creating it is the installer's job, with the owner and mode it
// chooses); the file is created 0600, and an existing one is narrowed to 0600. The WAL and
// shared-memory files SQLite creates next to it take the database file's mode.
Status PrepareSpoolFile(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return Status::InvalidArgument("spool directory " + dir.string() +
                                     " does not exist; create it (install -d -m 0700 " +
                                     dir.string() + ") or choose another spool path");
    }
    return Status::InvalidArgument(Errno("spool directory " + dir.string(), errno));
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument("spool directory " + dir.string() + " is not a directory");
  }

  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    // A new file: make its directory entry durable too (SQLite syncs the directory for the
    // WAL file it creates, not for a database file it did not create).
    ::close(fd);
    int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
    return Status::Ok();
  }
  if (errno != EEXIST) return Status::InvalidArgument(Errno("spool file " + path, errno));
  if (::stat(path.c_str(), &st) != 0) {
    return Status::InvalidArgument(Errno("spool file " + path, errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument("spool file " + path + " is not a regular file");
  }
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0 &&
        ::chmod(file.c_str(), 0600) != 0) {
      LOG(WARNING) << "spool chmod_failed file=" << file << " error=\"" << std::strerror(errno)
                   << "\"";
    }
  }
  return Status::Ok();
}

// How long a connection waits for another's lock before giving up with SQLITE_BUSY.
Status Configure(SqliteDb& db, std::chrono::milliseconds busy_timeout) {
  const std::string pragma = "PRAGMA busy_timeout = " + std::to_string(busy_timeout.count());
  return db.Exec(pragma.c_str(), "set busy timeout");
}

}  // namespace

std::string_view ToString(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kSent:
      return "sent";
    case DeliveryState::kFailed:
      return "failed";
  }
  return "pending";
}

Result<std::unique_ptr<Spool>> Spool::Open(const SpoolOptions& options, Clock& clock) {
  if (options.path.empty()) return Status::InvalidArgument("spool: no path given");
  if (options.keep_done.count() < 0) {
    return Status::InvalidArgument("spool: keep_done must not be negative");
  }
  if (options.busy_timeout.count() < 0) {
    return Status::InvalidArgument("spool: busy_timeout must not be negative");
  }
  if (Status s = PrepareSpoolFile(options.path); !s.ok()) return s;
  const std::string label = "spool " + options.path;

  Result<SqliteDb> writer = SqliteDb::Open(options.path, SQLITE_OPEN_READWRITE, label);
  if (!writer.ok()) return writer.status();
  if (Status s = Configure(*writer, options.busy_timeout); !s.ok()) return s;
  // The first statement that reads the file: a file that is not SQLite fails here.
  Result<std::string> journal = writer->QueryText("PRAGMA journal_mode = WAL", "set WAL mode");
  if (!journal.ok()) return journal.status();
  if (*journal != "wal") {
    return Status::Unavailable(label + ": WAL journal mode refused (got \"" + *journal +
                               "\"); the spool needs a local file system");
  }
  if (Status s = writer->Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
                              "set synchronous and foreign keys");
      !s.ok()) {
    return s;
  }
  Result<std::string> check = writer->QueryText("PRAGMA quick_check(1)", "check integrity");
  if (!check.ok()) return check.status();
  if (*check != "ok") {
    return Status::Internal(label + ": the file is corrupt (quick_check: " + *check +
                            "); move it aside and restore it or start an empty spool");
  }
  if (Status s = MigrateSpoolSchema(*writer); !s.ok()) return s;

  SpoolSettings settings;
  settings.journal_mode = *journal;
  Result<int64_t> synchronous = writer->QueryInt("PRAGMA synchronous", "read synchronous");
  Result<int64_t> foreign_keys = writer->QueryInt("PRAGMA foreign_keys", "read foreign_keys");
  Result<int64_t> version = writer->QueryInt("PRAGMA user_version", "read schema version");
  if (!synchronous.ok()) return synchronous.status();
  if (!foreign_keys.ok()) return foreign_keys.status();
  if (!version.ok()) return version.status();
  settings.synchronous = static_cast<int>(*synchronous);
  settings.foreign_keys = *foreign_keys != 0;
  settings.schema_version = static_cast<int>(*version);
  if (settings.synchronous != 2 || !settings.foreign_keys) {
    return Status::Internal(label + ": SQLite did not accept synchronous=FULL and foreign_keys=ON");
  }

  // Readers never write: query_only turns a mistake into an error instead of a second writer.
  Result<SqliteDb> reader = SqliteDb::Open(options.path, SQLITE_OPEN_READWRITE, label);
  if (!reader.ok()) return reader.status();
  if (Status s = Configure(*reader, options.busy_timeout); !s.ok()) return s;
  if (Status s = reader->Exec("PRAGMA query_only = ON", "set query_only"); !s.ok()) return s;

  std::unique_ptr<Spool> spool(new Spool(options, clock, std::move(*writer), std::move(*reader)));
  spool->settings_ = settings;
  if (Status s = spool->PrepareStatements(); !s.ok()) return s;
  LOG(INFO) << "spool opened path=" << options.path << " journal_mode=" << settings.journal_mode
            << " synchronous=" << settings.synchronous
            << " schema_version=" << settings.schema_version;
  return spool;
}

Spool::Spool(SpoolOptions options, Clock& clock, SqliteDb writer, SqliteDb reader)
    : options_(std::move(options)),
      clock_(clock),
      writer_(std::move(writer)),
      write_(std::make_unique<WriterStatements>()),
      reader_(std::move(reader)),
      read_(std::make_unique<ReaderStatements>()),
      group_commit_([this](std::span<GroupCommit::Op* const> ops, std::span<Status> statuses,
                           bool durable) { RunBatch(ops, statuses, durable); },
                    options_.max_batch,
                    [](const Status& failure) {
                      LOG(ERROR) << "spool_bookkeeping_failed " << failure.message();
                    }) {}

Spool::~Spool() = default;

Status Spool::PrepareStatements() {
  struct Entry {
    SqliteDb* db;
    SqliteStatement* statement;
    std::string sql;
    const char* operation;
  };
  const std::string select = std::string("SELECT ") + kAlertColumns + " FROM alerts ";
  WriterStatements& w = *write_;
  ReaderStatements& r = *read_;
  Entry entries[] = {
      {&writer_, &w.begin, "BEGIN IMMEDIATE", "begin write batch"},
      {&writer_, &w.commit, "COMMIT", "commit write batch"},
      {&writer_, &w.rollback, "ROLLBACK", "roll back write batch"},
      {&writer_, &w.savepoint, "SAVEPOINT spool_op", "start write"},
      {&writer_, &w.release, "RELEASE spool_op", "end write"},
      {&writer_, &w.rollback_to, "ROLLBACK TO spool_op", "undo write"},
      {&writer_, &w.insert_alert,
       "INSERT INTO alerts (dedup_key, source, payload, drill_id, accepted_at_ms, incident_id, "
       "role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
       "insert alert"},
      {&writer_, &w.find_alert_id, "SELECT id FROM alerts WHERE dedup_key = ?1",
       "find alert by dedup key"},
      {&writer_, &w.alert_exists, "SELECT 1 FROM alerts WHERE id = ?1", "find alert"},
      {&writer_, &w.upsert_delivery,
       "INSERT INTO deliveries (alert_id, channel, status, attempts, http_status, error, "
       "updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
       "ON CONFLICT (alert_id, channel) DO UPDATE SET status = excluded.status, "
       "attempts = deliveries.attempts + excluded.attempts, http_status = excluded.http_status, "
       "error = excluded.error, updated_at_ms = excluded.updated_at_ms "
       "WHERE deliveries.status <> 'sent'",
       "record delivery"},
      {&writer_, &w.finish,
       "UPDATE alerts SET finished_at_ms = coalesce(finished_at_ms, ?2), outcome = ?3, "
       "outcome_json = ?4 WHERE id = ?1",
       "finish alert"},
      {&writer_, &w.prune,
       "DELETE FROM alerts WHERE finished_at_ms IS NOT NULL AND finished_at_ms < ?1",
       "prune finished alerts"},
      {&reader_, &r.begin, "BEGIN", "begin read"},
      {&reader_, &r.end, "COMMIT", "end read"},
      {&reader_, &r.unfinished, select + "WHERE finished_at_ms IS NULL ORDER BY id LIMIT ?1",
       "list unfinished alerts"},
      {&reader_, &r.by_dedup_key, select + "WHERE dedup_key = ?1", "find alert by dedup key"},
      {&reader_, &r.by_drill_id, select + "WHERE drill_id = ?1 ORDER BY id",
       "find alerts by drill id"},
      {&reader_, &r.by_id, select + "WHERE id = ?1", "find alert"},
      {&reader_, &r.deliveries,
       "SELECT channel, status, attempts, http_status, error, updated_at_ms FROM deliveries "
       "WHERE alert_id = ?1 ORDER BY channel",
       "read deliveries"},
      {&reader_, &r.count_alerts, "SELECT count(*), count(*) - count(finished_at_ms) FROM alerts",
       "count alerts"},
      {&reader_, &r.count_outcomes,
       "SELECT outcome, count(*) FROM alerts WHERE finished_at_ms IS NOT NULL GROUP BY outcome",
       "count outcomes"},
      {&reader_, &r.accepted_total,
       "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'alerts'), 0)",
       "count accepted alerts"},
  };
  for (Entry& entry : entries) {
    Result<SqliteStatement> statement = entry.db->Prepare(entry.sql, entry.operation);
    if (!statement.ok()) return statement.status();
    *entry.statement = std::move(*statement);
  }
  return PrepareIncidentStatements();
}

int64_t Spool::NowMs() const { return ToMs(clock_.WallNow()); }

// --- writes ---

void Spool::RunBatch(std::span<GroupCommit::Op* const> ops, std::span<Status> statuses,
                     bool durable) {
  // A transaction left open by an earlier batch that failed half-way must not absorb this one.
  if (writer_.in_transaction()) RunOnce(write_->rollback);
  // Accepts must reach the disk before the source is answered (FULL: the WAL is synced at each
  // commit). Bookkeeping alone may wait for the next sync (NORMAL): losing it to a power cut
  // only means a channel is paged again, never an alert lost. Either survives a crash.
  if (durable != synced_commits_) {
    Status s = writer_.Exec(durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
                            "set synchronous for the batch");
    if (!s.ok()) {
      for (Status& status : statuses) status = s;
      return;
    }
    synced_commits_ = durable;
  }
  if (Status s = RunOnce(write_->begin); !s.ok()) {
    for (Status& status : statuses) status = s;
    return;
  }
  // Each op runs in a savepoint, so one op's failure (an unknown alert id) undoes that op only.
  Status batch;  // set when the transaction as a whole can no longer commit
  for (size_t i = 0; i < ops.size(); ++i) {
    if (!batch.ok()) {
      statuses[i] = batch;
      continue;
    }
    if (Status s = RunOnce(write_->savepoint); !s.ok()) {
      statuses[i] = batch = s;
      continue;
    }
    statuses[i] = (*ops[i])();
    if (!writer_.in_transaction()) {
      // SQLite rolled the whole transaction back by itself (disk full, some I/O errors).
      batch = Status::Unavailable("write batch rolled back after: " + statuses[i].message());
      continue;
    }
    Status end = statuses[i].ok() ? RunOnce(write_->release) : RunOnce(write_->rollback_to);
    if (!statuses[i].ok() && end.ok()) end = RunOnce(write_->release);
    if (!end.ok()) {
      if (statuses[i].ok()) statuses[i] = end;
      batch = end;
    }
  }
  if (batch.ok()) batch = RunOnce(write_->commit);
  if (batch.ok()) return;
  if (writer_.in_transaction()) RunOnce(write_->rollback);
  for (Status& status : statuses) {
    if (status.ok()) status = batch;
  }
}

Status Spool::CheckRequest(const AcceptRequest& request) const {
  if (request.dedup_key.empty()) return Status::InvalidArgument("spool accept: dedup_key is empty");
  if (request.dedup_key.size() > kMaxKeyBytes) {
    return Status::InvalidArgument("spool accept: dedup_key of " +
                                   std::to_string(request.dedup_key.size()) +
                                   " bytes is longer than " + std::to_string(kMaxKeyBytes));
  }
  if (request.source.empty()) return Status::InvalidArgument("spool accept: source is empty");
  if (request.source.size() > kMaxSourceBytes) {
    return Status::InvalidArgument("spool accept: source is longer than " +
                                   std::to_string(kMaxSourceBytes) + " bytes");
  }
  if (request.payload.empty()) return Status::InvalidArgument("spool accept: payload is empty");
  if (request.payload.size() > options_.max_payload_bytes) {
    return Status::InvalidArgument(
        "spool accept: payload of " + std::to_string(request.payload.size()) +
        " bytes is over the limit of " + std::to_string(options_.max_payload_bytes));
  }
  if (request.drill_id && request.drill_id->empty()) {
    return Status::InvalidArgument("spool accept: drill_id is empty (leave it unset instead)");
  }
  return Status::Ok();
}

Result<Accepted> Spool::AcceptOne(const AcceptRequest& request, int64_t now_ms) {
  // Look before inserting: an INSERT that hits the UNIQUE key would still use up an
  // AUTOINCREMENT id, and accepted_total counts ids. The writer is alone, so nothing can come
  // between the look and the insert.
  SqliteStatement& find = write_->find_alert_id;
  StatementReset find_reset(find);
  find.BindText(1, request.dedup_key);
  Result<bool> row = find.Step();
  if (!row.ok()) return row.status();
  if (*row) return Accepted{find.ColumnInt64(0), true};
  if (request.incident) return PlaceInIncident(request, now_ms);
  Result<int64_t> id = InsertAlert(request, now_ms, 0, AlertRole::kNone);
  if (!id.ok()) return id.status();
  return Accepted{*id, false};
}

Result<int64_t> Spool::InsertAlert(const AcceptRequest& request, int64_t now_ms,
                                   int64_t incident_id, AlertRole role) {
  SqliteStatement& insert = write_->insert_alert;
  StatementReset insert_reset(insert);
  insert.BindText(1, request.dedup_key);
  insert.BindText(2, request.source);
  insert.BindBlob(3, request.payload);
  insert.BindOptionalText(4, request.drill_id);
  insert.Bind(5, now_ms);
  if (incident_id > 0) {
    insert.Bind(6, incident_id);
  } else {
    insert.BindNull(6);
  }
  if (role == AlertRole::kNone) {
    insert.BindNull(7);
  } else {
    insert.BindText(7, ToString(role));
  }
  Result<bool> row = insert.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal(writer_.label() + ": insert alert: no id returned");
  return insert.ColumnInt64(0);
}

Result<Accepted> Spool::Accept(AcceptRequest request) {
  if (Status s = CheckRequest(request); !s.ok()) return s;
  Accepted accepted;
  Status s = group_commit_.Submit([&]() -> Status {
    Result<Accepted> one = AcceptOne(request, NowMs());
    if (!one.ok()) return one.status();
    accepted = *one;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return accepted;
}

Result<std::vector<Accepted>> Spool::AcceptAll(std::vector<AcceptRequest> requests) {
  for (size_t i = 0; i < requests.size(); ++i) {
    if (Status s = CheckRequest(requests[i]); !s.ok()) {
      return Status::InvalidArgument("request " + std::to_string(i) + ": " + s.message());
    }
  }
  std::vector<Accepted> accepted;
  if (requests.empty()) return accepted;
  Status s = group_commit_.Submit([&]() -> Status {
    accepted.clear();
    const int64_t now_ms = NowMs();
    for (const AcceptRequest& request : requests) {
      Result<Accepted> one = AcceptOne(request, now_ms);
      if (!one.ok()) return one.status();
      accepted.push_back(*one);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return accepted;
}

Status Spool::CheckRecord(const DeliveryRecord& record) const {
  if (record.channel.empty()) return Status::InvalidArgument("spool record delivery: no channel");
  if (record.attempts < 0) {
    return Status::InvalidArgument("spool record delivery: attempts must not be negative");
  }
  return Status::Ok();
}

Status Spool::WriteDelivery(int64_t alert_id, const DeliveryRecord& record) {
  SqliteStatement& exists = write_->alert_exists;
  StatementReset exists_reset(exists);
  exists.Bind(1, alert_id);
  Result<bool> row = exists.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("spool record delivery: no alert " + std::to_string(alert_id));
  SqliteStatement& upsert = write_->upsert_delivery;
  StatementReset upsert_reset(upsert);
  upsert.Bind(1, alert_id);
  upsert.BindText(2, record.channel);
  upsert.BindText(3, ToString(record.state));
  upsert.Bind(4, record.attempts);
  if (record.http_status) {
    upsert.Bind(5, static_cast<int64_t>(*record.http_status));
  } else {
    upsert.BindNull(5);
  }
  upsert.BindOptionalText(6, record.error);
  upsert.Bind(7, NowMs());
  return upsert.Run();
}

Status Spool::WriteFinish(int64_t alert_id, std::string_view outcome,
                          std::string_view outcome_json) {
  SqliteStatement& finish = write_->finish;
  StatementReset reset(finish);
  finish.Bind(1, alert_id);
  finish.Bind(2, NowMs());
  finish.BindText(3, outcome);
  finish.BindText(4, outcome_json);
  if (Status s = finish.Run(); !s.ok()) return s;
  if (writer_.changes() == 0) {
    return Status::NotFound("spool finish: no alert " + std::to_string(alert_id));
  }
  return Status::Ok();
}

Status Spool::RecordDelivery(int64_t alert_id, const DeliveryRecord& record) {
  if (Status s = CheckRecord(record); !s.ok()) return s;
  return group_commit_.Submit([&] { return WriteDelivery(alert_id, record); }, kBookkeeping);
}

Status Spool::Finish(int64_t alert_id, std::string_view outcome, std::string_view outcome_json) {
  if (outcome.empty()) return Status::InvalidArgument("spool finish: outcome is empty");
  return group_commit_.SubmitDetached(
      [this, alert_id, outcome = std::string(outcome), outcome_json = std::string(outcome_json)] {
        return WriteFinish(alert_id, outcome, outcome_json);
      });
}

Status Spool::RecordRound(int64_t alert_id, std::vector<DeliveryRecord> records,
                          std::optional<FinishedOutcome> finish, std::optional<PageMark> page) {
  for (const DeliveryRecord& r : records) {
    if (Status s = CheckRecord(r); !s.ok()) return s;
  }
  if (finish && finish->outcome.empty()) {
    return Status::InvalidArgument("spool finish: outcome is empty");
  }
  return group_commit_.SubmitDetached(
      [this, alert_id, records = std::move(records), finish = std::move(finish), page]() -> Status {
        for (const DeliveryRecord& r : records) {
          if (Status s = WriteDelivery(alert_id, r); !s.ok()) return s;
        }
        if (page) {
          if (Status s = WritePageMark(*page); !s.ok()) return s;
        }
        return finish ? WriteFinish(alert_id, finish->outcome, finish->outcome_json) : Status::Ok();
      });
}

Result<int> Spool::Prune() {
  int deleted = 0;
  Status s = group_commit_.Submit([&]() -> Status {
    SqliteStatement& prune = write_->prune;
    StatementReset reset(prune);
    prune.Bind(
        1, NowMs() -
               std::chrono::duration_cast<std::chrono::milliseconds>(options_.keep_done).count());
    if (Status run = prune.Run(); !run.ok()) return run;
    deleted = static_cast<int>(writer_.changes());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (deleted > 0) LOG(INFO) << "spool pruned alerts=" << deleted;
  return deleted;
}

// --- reads ---

Result<std::vector<AlertRecord>> Spool::ReadAlerts(SqliteStatement& query) {
  std::vector<AlertRecord> alerts;
  {
    StatementReset reset(query);
    while (true) {
      Result<bool> row = query.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      AlertRecord& a = alerts.emplace_back();
      a.alert_id = query.ColumnInt64(0);
      a.dedup_key = query.ColumnText(1);
      a.source = query.ColumnText(2);
      a.payload = query.ColumnText(3);
      a.drill_id = query.ColumnOptionalText(4);
      a.accepted_at = FromMs(query.ColumnInt64(5));
      if (std::optional<int64_t> ms = query.ColumnOptionalInt64(6)) a.finished_at = FromMs(*ms);
      a.outcome = query.ColumnOptionalText(7);
      a.outcome_json = query.ColumnOptionalText(8);
      a.incident_id = query.ColumnOptionalInt64(9).value_or(0);
      a.role = AlertRoleFromString(query.ColumnOptionalText(10).value_or(""));
    }
  }
  for (AlertRecord& alert : alerts) {
    if (Status s = ReadDeliveries(alert); !s.ok()) return s;
  }
  return alerts;
}

Status Spool::ReadDeliveries(AlertRecord& alert) {
  SqliteStatement& query = read_->deliveries;
  StatementReset reset(query);
  query.Bind(1, alert.alert_id);
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    StoredDelivery& d = alert.deliveries.emplace_back();
    d.channel = query.ColumnText(0);
    const std::string state = query.ColumnText(1);
    d.state = state == "sent"     ? DeliveryState::kSent
              : state == "failed" ? DeliveryState::kFailed
                                  : DeliveryState::kPending;
    d.attempts = static_cast<int>(query.ColumnInt64(2));
    if (std::optional<int64_t> http = query.ColumnOptionalInt64(3)) d.http_status = *http;
    d.error = query.ColumnOptionalText(4);
    d.updated_at = FromMs(query.ColumnInt64(5));
  }
}

Result<std::vector<PendingAlert>> Spool::Unfinished(size_t limit) {
  if (limit == 0) return Status::InvalidArgument("spool unfinished: limit must be positive");
  std::lock_guard<std::mutex> lock(read_mu_);
  ReadTransaction transaction(read_->begin, read_->end);
  if (!transaction.status().ok()) return transaction.status();
  read_->unfinished.Bind(1, static_cast<int64_t>(std::min<size_t>(
                                limit, static_cast<size_t>(std::numeric_limits<int64_t>::max()))));
  Result<std::vector<AlertRecord>> alerts = ReadAlerts(read_->unfinished);
  if (!alerts.ok()) return alerts.status();
  std::vector<PendingAlert> pending;
  pending.reserve(alerts->size());
  for (AlertRecord& alert : *alerts) {
    PendingAlert& p = pending.emplace_back();
    for (const StoredDelivery& d : alert.deliveries) {
      if (d.state == DeliveryState::kSent) p.sent.insert(d.channel);
      if (d.state == DeliveryState::kFailed) p.failed.insert(d.channel);
    }
    p.alert = std::move(alert);
  }
  return pending;
}

Result<std::optional<AlertRecord>> Spool::FindByDedupKey(std::string_view dedup_key) {
  std::lock_guard<std::mutex> lock(read_mu_);
  ReadTransaction transaction(read_->begin, read_->end);
  if (!transaction.status().ok()) return transaction.status();
  read_->by_dedup_key.BindText(1, dedup_key);
  Result<std::vector<AlertRecord>> alerts = ReadAlerts(read_->by_dedup_key);
  if (!alerts.ok()) return alerts.status();
  if (alerts->empty()) return std::optional<AlertRecord>();
  return std::optional<AlertRecord>(std::move(alerts->front()));
}

Result<std::optional<AlertRecord>> Spool::FindAlert(int64_t alert_id) {
  std::lock_guard<std::mutex> lock(read_mu_);
  ReadTransaction transaction(read_->begin, read_->end);
  if (!transaction.status().ok()) return transaction.status();
  read_->by_id.Bind(1, alert_id);
  Result<std::vector<AlertRecord>> alerts = ReadAlerts(read_->by_id);
  if (!alerts.ok()) return alerts.status();
  if (alerts->empty()) return std::optional<AlertRecord>();
  return std::optional<AlertRecord>(std::move(alerts->front()));
}

Result<std::vector<AlertRecord>> Spool::FindByDrillId(std::string_view drill_id) {
  std::lock_guard<std::mutex> lock(read_mu_);
  ReadTransaction transaction(read_->begin, read_->end);
  if (!transaction.status().ok()) return transaction.status();
  read_->by_drill_id.BindText(1, drill_id);
  return ReadAlerts(read_->by_drill_id);
}

Result<SpoolCounts> Spool::Counts() {
  std::lock_guard<std::mutex> lock(read_mu_);
  ReadTransaction transaction(read_->begin, read_->end);
  if (!transaction.status().ok()) return transaction.status();
  SpoolCounts counts;
  {
    SqliteStatement& q = read_->count_alerts;
    StatementReset reset(q);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    counts.stored = q.ColumnInt64(0);
    counts.pending = q.ColumnInt64(1);
  }
  {
    SqliteStatement& q = read_->accepted_total;
    StatementReset reset(q);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    counts.accepted_total = q.ColumnInt64(0);
  }
  SqliteStatement& q = read_->count_outcomes;
  StatementReset reset(q);
  while (true) {
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    counts.finished_by_outcome[q.ColumnText(0)] = q.ColumnInt64(1);
  }
  return counts;
}

}  // namespace rr
