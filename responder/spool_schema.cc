#include "responder/spool_schema.h"

#include <string>

namespace rr {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Times are milliseconds since the Unix epoch, from the injected clock's WallNow().
constexpr Migration kMigrations[] = {
    {1, R"sql(
      -- One row per accepted alert: the raw payload (the dispatcher parses it again) and the
      -- bookkeeping. AUTOINCREMENT: an id is never reused, even after its row is pruned.
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        dedup_key TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        payload BLOB NOT NULL,
        drill_id TEXT,
        accepted_at_ms INTEGER NOT NULL,
        finished_at_ms INTEGER,
        outcome TEXT,
        outcome_json TEXT,
        CHECK ((finished_at_ms IS NULL) = (outcome IS NULL))
      );
      CREATE INDEX alerts_unfinished ON alerts (id) WHERE finished_at_ms IS NULL;
      CREATE INDEX alerts_finished_at ON alerts (finished_at_ms) WHERE finished_at_ms IS NOT NULL;
      CREATE INDEX alerts_drill_id ON alerts (drill_id) WHERE drill_id IS NOT NULL;

      -- Per alert and channel: where its delivery stands. Deleted with its alert.
      CREATE TABLE deliveries (
        alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL CHECK (attempts >= 0),
        http_status INTEGER,
        error TEXT,
        updated_at_ms INTEGER NOT NULL,
        PRIMARY KEY (alert_id, channel)
      ) WITHOUT ROWID;
    )sql"},
    {2, R"sql(
      -- Escalation: alerts that belong together (an alarm and the sign-in event of one root
      -- use) are one incident. Its first alert carries the ladder of tiers; the incident row
      -- holds what the ladder needs across restarts: acknowledgement, firing, repeats.
      CREATE TABLE incidents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        correlation_key TEXT NOT NULL,
        primary_alert_id INTEGER NOT NULL UNIQUE REFERENCES alerts (id) ON DELETE CASCADE,
        opened_at_ms INTEGER NOT NULL,
        alarm_identity TEXT,                  -- account/region/name of its alarm, for OK
        firing INTEGER NOT NULL DEFAULT 0,    -- an alarm of it is in ALARM
        root_event INTEGER NOT NULL DEFAULT 0,  -- a root sign-in or API call is among its alerts
        resolved_at_ms INTEGER,
        acked_at_ms INTEGER,
        acked_by TEXT,
        repeats_sent INTEGER NOT NULL DEFAULT 0,
        last_page_ms INTEGER,
        CHECK ((acked_at_ms IS NULL) = (acked_by IS NULL))
      );
      CREATE INDEX incidents_by_key ON incidents (correlation_key, opened_at_ms);
      CREATE INDEX incidents_firing ON incidents (alarm_identity) WHERE firing = 1;

      -- role: primary (pages the ladder), member (joined, not paged again), follow_up (joined,
      -- told to chat once), resolve (an OK that resolved it), ack (the acknowledged notice).
      -- NULL for alerts accepted before version 2: they are sent as before, every tier at once.
      ALTER TABLE alerts ADD COLUMN incident_id INTEGER REFERENCES incidents (id) ON DELETE SET NULL;
      ALTER TABLE alerts ADD COLUMN role TEXT CHECK (role IN ('primary', 'member', 'follow_up',
                                                             'resolve', 'ack'));
      CREATE INDEX alerts_by_incident ON alerts (incident_id) WHERE incident_id IS NOT NULL;
    )sql"},
};

Status Refuse(const SqliteDb& db, const std::string& why) {
  return Status::InvalidArgument(db.label() + ": " + why);
}

Status Apply(SqliteDb& db, const Migration& migration) {
  const std::string step = "migrate schema to version " + std::to_string(migration.version);
  // IMMEDIATE: take the write lock first, so two processes cannot migrate the same file at once.
  if (Status s = db.Exec("BEGIN IMMEDIATE", step); !s.ok()) return s;
  // Another process may have migrated while this one waited for the lock.
  Result<int64_t> current = db.QueryInt("PRAGMA user_version", step);
  if (!current.ok() || *current >= migration.version) {
    db.Exec("ROLLBACK", step);
    return current.ok() ? Status::Ok() : current.status();
  }
  const std::string set_version =
      "PRAGMA user_version = " + std::to_string(migration.version) +
      "; PRAGMA application_id = " + std::to_string(kSpoolApplicationId) + ";";
  Status s = db.Exec(migration.sql, step);
  if (s.ok()) s = db.Exec(set_version.c_str(), step);
  if (s.ok()) s = db.Exec("COMMIT", step);
  if (!s.ok() && db.in_transaction()) db.Exec("ROLLBACK", step);
  return s;
}

}  // namespace

Status MigrateSpoolSchema(SqliteDb& db) {
  Result<int64_t> version = db.QueryInt("PRAGMA user_version", "read schema version");
  if (!version.ok()) return version.status();
  Result<int64_t> app_id = db.QueryInt("PRAGMA application_id", "read application id");
  if (!app_id.ok()) return app_id.status();
  Result<int64_t> objects =
      db.QueryInt("SELECT count(*) FROM sqlite_schema", "read schema objects");
  if (!objects.ok()) return objects.status();

  if (*app_id != 0 && *app_id != kSpoolApplicationId) {
    return Refuse(db, "not a root-responder spool (SQLite application_id " +
                          std::to_string(*app_id) + "); point the spool at its own file");
  }
  if (*version == 0 && *objects > 0) {
    return Refuse(db, "not a root-responder spool (an unversioned SQLite database with " +
                          std::to_string(*objects) +
                          " schema objects); point the spool at its "
                          "own file");
  }
  if (*version > kSpoolSchemaVersion) {
    return Refuse(db, "spool schema version " + std::to_string(*version) +
                          " is newer than this program understands (" +
                          std::to_string(kSpoolSchemaVersion) +
                          "); run the newer root-responder or move the file aside");
  }
  if (*version < 0) {
    return Refuse(db, "spool schema version " + std::to_string(*version) + " is not valid");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= *version) continue;
    if (Status s = Apply(db, migration); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace rr
