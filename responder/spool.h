// The daemon's spool: an SQLite file that makes "an accepted alert is never lost" true. `serve`
// answers SNS 200 (or deletes the SQS message) only after Accept() returned ok; workers then
// deliver, record each channel's result and finish the alert; on restart Unfinished() lists
// what to resume, with the channels that already got it so none is paged twice.
//
// - Durable: WAL journal, synchronous=FULL, so a commit is on disk when Accept() returns.
//   Delivery records and finishes are committed with synchronous=NORMAL, and their callers do
//   not wait for a write in progress (a power cut or a crash may lose the latest, which only
//   re-pages a channel).
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

// Where an accepted alert goes among incidents (responder/incident_keys.h decides).
struct IncidentPlan {
  std::string correlation_key;  // alerts with the same key within `window` are one incident
  std::chrono::milliseconds window{0};
  std::optional<std::string> alarm_identity;  // alarms
  bool firing = false;                        // an alarm in ALARM
  bool resolves = false;    // an alarm in OK: resolves the firing incidents of alarm_identity
  bool root_event = false;  // a root sign-in or API call
  // An OK that finds nothing firing: placed like any alert (notify_states lists OK) instead
  // of answered kNothingToResolve.
  bool place_if_nothing_to_resolve = false;
};

struct AcceptRequest {
  std::string dedup_key;  // SNS MessageId / EventBridge id; non-empty
  std::string source;     // where it came from: "sns-http", "sqs", "file"
  std::string payload;    // the bytes as received
  std::optional<std::string> drill_id;
  std::optional<IncidentPlan> incident;  // unset: no incident (sent on its own, all tiers)
};

// What an alert is to its incident.
enum class AlertRole {
  kNone,              // no incident
  kPrimary,           // opened it: pages the tiers
  kMember,            // joined it: not paged again
  kFollowUp,          // joined it with the first root event: told once to the chat already paged
  kResolve,           // an OK that resolved it: a "resolved" notice
  kAck,               // its acknowledgement: an "acknowledged" notice
  kNothingToResolve,  // an OK for an alarm not firing here: not stored (alert_id 0)
};
std::string_view ToString(AlertRole role);
AlertRole AlertRoleFromString(std::string_view text);  // kNone for anything else

struct Accepted {
  int64_t alert_id = 0;
  bool duplicate = false;  // the dedup_key was already in the spool: alert_id is the first one's
  int64_t incident_id = 0;
  AlertRole role = AlertRole::kNone;
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
  int64_t incident_id = 0;  // 0: none
  AlertRole role = AlertRole::kNone;
  std::vector<StoredDelivery> deliveries;  // by channel name
};

struct IncidentRecord {
  int64_t incident_id = 0;
  std::string correlation_key;
  int64_t primary_alert_id = 0;
  std::chrono::system_clock::time_point opened_at;
  std::optional<std::string> alarm_identity;
  bool firing = false;
  bool root_event = false;
  std::optional<std::chrono::system_clock::time_point> resolved_at;
  std::optional<std::chrono::system_clock::time_point> acked_at;
  std::optional<std::string> acked_by;
  int repeats_sent = 0;
  std::optional<std::chrono::system_clock::time_point> last_page_at;
  // Its alerts but the ack notice, oldest first (the primary first), with their roles.
  std::vector<std::pair<int64_t, AlertRole>> alerts;
};

// A page of an incident went out: the latest page time, and whether it was a repeat.
struct PageMark {
  int64_t incident_id = 0;
  std::chrono::system_clock::time_point at;
  bool repeat = false;
};

struct AckAnswer {
  enum class Kind { kAcknowledged, kAlreadyAcknowledged, kUnknownIncident };
  Kind kind = Kind::kUnknownIncident;
  std::string by;  // who acknowledged (the earlier one, when already acknowledged)
  std::chrono::system_clock::time_point at;
  int64_t notice_alert_id = 0;  // kAcknowledged: the stored "acknowledged" notice to send
};

// An alert to resume, the channels that must not get it again, and those that failed.
struct PendingAlert {
  AlertRecord alert;
  std::set<std::string> sent;
  std::set<std::string> failed;
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
  // A delivery round in one write: every channel's record, the incident's page mark and, when
  // given, the finish. Like Finish(), it does not wait while another write is in progress.
  Status RecordRound(int64_t alert_id, std::vector<DeliveryRecord> records,
                     std::optional<FinishedOutcome> finish,
                     std::optional<PageMark> page = std::nullopt);

  // Records that `by` acknowledged the incident, and stores the notice to send about it (an
  // alert row of role kAck), durably. The first acknowledgement wins.
  Result<AckAnswer> Acknowledge(int64_t incident_id, std::string_view by);
  // Marks the alert finished with its outcome ("delivered", "partial", "failed", "ignored",
  // ...) and the outcome JSON. Finishing again replaces the outcome but keeps the first
  // finishing time. NotFound for an unknown alert.
  //
  // Bookkeeping (this and RecordRound) never waits behind another write: when one is in
  // progress the call queues its write for the next batch and returns ok, and a failure is
  // logged instead ("spool_bookkeeping_failed"). The write is then seen by reads a batch later,
  // and a crash in between loses it like a power cut would: the channel is paged again on resume.
  // With no other write in progress (a quiet daemon, tests on one thread) it is written before
  // the call returns, with its own status.
  Status Finish(int64_t alert_id, std::string_view outcome, std::string_view outcome_json);

  // Unfinished alerts, oldest first, at most `limit` (> 0).
  Result<std::vector<PendingAlert>> Unfinished(size_t limit);
  Result<std::optional<AlertRecord>> FindByDedupKey(std::string_view dedup_key);
  Result<std::optional<AlertRecord>> FindAlert(int64_t alert_id);
  Result<std::optional<IncidentRecord>> FindIncident(int64_t incident_id);
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
  struct IncidentStatements;

  Spool(SpoolOptions options, Clock& clock, SqliteDb writer, SqliteDb reader);
  Status PrepareStatements();
  Status PrepareIncidentStatements();  // spool_incidents.cc
  void RunBatch(std::span<GroupCommit::Op* const> ops, std::span<Status> statuses, bool durable);
  Status CheckRecord(const DeliveryRecord& record) const;
  Status WriteDelivery(int64_t alert_id, const DeliveryRecord& record);
  Status WriteFinish(int64_t alert_id, std::string_view outcome, std::string_view outcome_json);
  // Delivery records and finishes: lost to a power cut at worst, which re-pages a channel.
  static constexpr bool kBookkeeping = false;
  Result<Accepted> AcceptOne(const AcceptRequest& request, int64_t now_ms);
  // spool_incidents.cc: the incident half of an accept, and the writes escalation makes.
  Result<Accepted> PlaceInIncident(const AcceptRequest& request, int64_t now_ms);
  Result<int64_t> InsertAlert(const AcceptRequest& request, int64_t now_ms, int64_t incident_id,
                              AlertRole role);
  Status WritePageMark(const PageMark& page);
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
  std::unique_ptr<IncidentStatements> incident_;
  GroupCommit group_commit_;
};

}  // namespace rr
