// The daemon's spool: an SQLite file that makes "an accepted alert is never lost" true. `serve`
// answers SNS 200 (or deletes the SQS message) only after Accept() returned ok; workers then
// deliver, record each channel's result and finish the alert; on restart Unfinished() lists
// what to resume, with the channels that already got it so none is paged twice.
//
// - Durable: WAL journal, synchronous=FULL, so a commit is on disk when Accept() returns.
//   Delivery records and finishes are committed with synchronous=NORMAL (safe against a crash
//   of the process; a power cut may lose the latest, which only re-pages a channel).
// - Bytes, not parsed alerts: the payload is stored as received and parsed again on resume.
// - Duplicates (the same SNS MessageId / EventBridge id, i.e. the alert's dedup_key) are
//   recognised across restarts for as long as the alert is kept: finished alerts are pruned
//   keep_done after they finished, unfinished ones never.
// - Thread-safe. Writes from all threads are group-committed (responder/group_commit.h): calls
//   that arrive while a transaction is being written share the next one, and its one fsync.
//   Reads use a second connection and never wait for a write to reach the disk.
// - Errors are Status values naming the operation and SQLite's message, never a payload.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alarm/status.h"
#include "channels/clock.h"
#include "responder/group_commit.h"
#include "responder/sqlite_db.h"

namespace rr {

struct SpoolOptions {
  std::string path;  // the database file; its directory must exist (it is not created)
  std::chrono::hours keep_done{24 * 7};  // how long a finished alert is kept (and deduplicated)
  std::chrono::milliseconds busy_timeout{5000};  // waiting for another connection's lock
  size_t max_payload_bytes = 1 << 20;            // SQS and SNS cap messages at 256 KiB-1 MiB
  size_t max_batch = 256;                        // writes committed in one transaction at most
};

struct AcceptRequest {
  std::string dedup_key;  // SNS MessageId / EventBridge id; non-empty
  std::string source;     // where it came from: "sns-http", "sqs", "file"
  std::string payload;    // the bytes as received
  std::optional<std::string> drill_id;
};

struct Accepted {
  int64_t alert_id = 0;
  bool duplicate = false;  // the dedup_key was already in the spool: alert_id is the first one's
};

enum class DeliveryState { kPending, kSent, kFailed };
std::string_view ToString(DeliveryState state);

// What a worker reports about one channel of one alert.
struct DeliveryRecord {
  std::string channel;  // the configured channel name
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;  // attempts made since this channel's last record; the spool adds them up
  std::optional<long> http_status;
  std::optional<std::string> error;  // already redacted by the channel layer
};

// How an alert finished: "delivered", "partial", "failed", "ignored", and the outcome JSON.
struct FinishedOutcome {
  std::string outcome;
  std::string outcome_json;
};

// A channel's delivery as stored.
struct StoredDelivery {
  std::string channel;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;  // in total
  std::optional<long> http_status;
  std::optional<std::string> error;
  std::chrono::system_clock::time_point updated_at;
};

struct AlertRecord {
  int64_t alert_id = 0;
  std::string dedup_key;
  std::string source;
  std::string payload;
  std::optional<std::string> drill_id;
  std::chrono::system_clock::time_point accepted_at;
  std::optional<std::chrono::system_clock::time_point> finished_at;  // null while unfinished
  std::optional<std::string> outcome;                                // "delivered", "failed", ...
  std::optional<std::string> outcome_json;
  std::vector<StoredDelivery> deliveries;  // by channel name
};

// An alert to resume, and the channels that must not get it again.
struct PendingAlert {
  AlertRecord alert;
  std::set<std::string> sent;
};

struct SpoolCounts {
  int64_t accepted_total = 0;  // ever accepted into this file (ids are never reused); monotonic
  int64_t stored = 0;          // alerts in the spool now
  int64_t pending = 0;         // of those, not finished
  std::map<std::string, int64_t> finished_by_outcome;  // of those, finished, by outcome
};

// What Open() set up and read back from SQLite, for the start-up log line and tests.
struct SpoolSettings {
  std::string journal_mode;  // "wal"
  int synchronous = 0;       // 2: FULL
  bool foreign_keys = false;
  int schema_version = 0;
};

class Spool {
 public:
  // Opens (creating, mode 0600) the spool at options.path, migrates its schema and checks its
  // integrity. Refuses with a clear error: a missing directory, a file that is not a spool (or
  // not SQLite), a corrupt one, a schema newer than this program. `clock` (WallNow: accept,
  // delivery and finish times, pruning) must outlive the spool.
  static Result<std::unique_ptr<Spool>> Open(const SpoolOptions& options, Clock& clock);

  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  ~Spool();  // only once no call is running

  // Durable when it returns ok. A known dedup_key is not stored again: the answer names the
  // alert already stored, with duplicate=true.
  Result<Accepted> Accept(AcceptRequest request);
  // All in one transaction: every request is stored, or none. Answers in request order; a
  // dedup_key repeated within `requests` is a duplicate of its first occurrence.
  Result<std::vector<Accepted>> AcceptAll(std::vector<AcceptRequest> requests);

  // Creates or updates the alert's row for record.channel. A channel once recorded as sent
  // stays sent: later records for it are ignored. NotFound for an unknown alert.
  Status RecordDelivery(int64_t alert_id, const DeliveryRecord& record);
  // A delivery round in one write: every channel's record and, when given, the finish.
  Status RecordRound(int64_t alert_id, const std::vector<DeliveryRecord>& records,
                     const std::optional<FinishedOutcome>& finish);
  // Marks the alert finished with its outcome ("delivered", "partial", "failed", "ignored",
  // ...) and the outcome JSON. Finishing again replaces the outcome but keeps the first
  // finishing time. NotFound for an unknown alert.
  Status Finish(int64_t alert_id, std::string_view outcome, std::string_view outcome_json);

  // Unfinished alerts, oldest first, at most `limit` (> 0).
  Result<std::vector<PendingAlert>> Unfinished(size_t limit);
  Result<std::optional<AlertRecord>> FindByDedupKey(std::string_view dedup_key);
  Result<std::vector<AlertRecord>> FindByDrillId(std::string_view drill_id);  // oldest first
  Result<SpoolCounts> Counts();

  // Deletes alerts (with their deliveries) that finished more than keep_done ago; never an
  // unfinished one. Returns how many alerts it deleted.
  Result<int> Prune();

  const SpoolSettings& settings() const { return settings_; }
  const std::string& path() const { return options_.path; }
  // Writes and transactions so far (ops / batches is the mean group size).
  GroupCommit::Stats write_stats() const { return group_commit_.stats(); }

 private:
  struct WriterStatements;
  struct ReaderStatements;

  Spool(SpoolOptions options, Clock& clock, SqliteDb writer, SqliteDb reader);
  Status PrepareStatements();
  void RunBatch(std::span<GroupCommit::Op* const> ops, std::span<Status> statuses, bool durable);
  Status CheckRecord(const DeliveryRecord& record) const;
  Status WriteDelivery(int64_t alert_id, const DeliveryRecord& record);
  Status WriteFinish(int64_t alert_id, std::string_view outcome, std::string_view outcome_json);
  // Delivery records and finishes: lost to a power cut at worst, which re-pages a channel.
  static constexpr bool kBookkeeping = false;
  Result<Accepted> AcceptOne(const AcceptRequest& request, int64_t now_ms);
  Status CheckRequest(const AcceptRequest& request) const;
  int64_t NowMs() const;

  // Reader side; read_mu_ held.
  Result<std::vector<AlertRecord>> ReadAlerts(SqliteStatement& query);
  Status ReadDeliveries(AlertRecord& alert);

  SpoolOptions options_;
  Clock& clock_;
  SpoolSettings settings_;
  SqliteDb writer_;             // used only by the group-commit leader of the moment
  bool synced_commits_ = true;  // the writer's synchronous is FULL (else NORMAL)
  std::unique_ptr<WriterStatements> write_;
  std::mutex read_mu_;
  SqliteDb reader_;
  std::unique_ptr<ReaderStatements> read_;
  GroupCommit group_commit_;
};

}  // namespace rr
