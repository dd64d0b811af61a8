// The spool's prepared statements, shared by its translation units (spool.cc and
// spool_incidents.cc). Writer statements run only on the group-commit leader; reader
// statements only under the spool's read mutex.
#pragma once

#include "responder/spool.h"
#include "responder/sqlite_db.h"

namespace rr {

struct Spool::WriterStatements {
  SqliteStatement begin, commit, rollback;
  SqliteStatement savepoint, release, rollback_to;
  SqliteStatement insert_alert, find_alert_id, alert_exists;
  SqliteStatement upsert_delivery, finish, prune;
};

struct Spool::ReaderStatements {
  SqliteStatement begin, end;
  SqliteStatement unfinished, by_dedup_key, by_drill_id, by_id, deliveries;
  SqliteStatement count_alerts, count_outcomes, accepted_total;
};

struct Spool::IncidentStatements {
  // writer
  SqliteStatement open_by_key, insert_incident, set_alert_incident, join, firing_ids, resolve;
  SqliteStatement ack_state, ack, page_mark;
  // reader
  SqliteStatement incident, incident_alerts;
};

}  // namespace rr
