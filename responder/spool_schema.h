// The spool's tables, versioned with PRAGMA user_version: migration N takes a database from
// version N-1 to N, each in its own transaction, in order. A new feature (escalation tiers,
// acknowledgements) adds a migration at the end; a released migration is never edited.
#pragma once

#include "alarm/status.h"
#include "responder/sqlite_db.h"

namespace rr {

// The version this program writes and understands.
inline constexpr int kSpoolSchemaVersion = 2;

// PRAGMA application_id of every spool ("rrsp"), so that another program's SQLite file is
// refused instead of having our tables added to it.
inline constexpr int kSpoolApplicationId = 0x72727370;

// Brings `db` (the writer connection, outside any transaction) to kSpoolSchemaVersion. Refuses,
// naming what it found: a database of a newer version, another application's database, or an
// unversioned database that already has tables.
Status MigrateSpoolSchema(SqliteDb& db);

}  // namespace rr
