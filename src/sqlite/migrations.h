// Numbered schema migrations of the SQLite store.
//
// The schema version of a file is its `PRAGMA user_version`: the number of the
// last migration applied. Opening a store applies, in one transaction, every
// migration the file has not seen yet, so a file is always at a version the
// binary knows in full, or untouched. A file newer than the binary is refused.
//
// To change the schema, append a migration to the list in migrations.cc with
// the next number; never edit one that has shipped. docs/STORAGE.md explains.
#pragma once

#include <span>
#include <string>

#include "core/status.h"
#include "sqlite/sqlite_db.h"

namespace vigil::sqlite {

struct Migration {
  int version;       // 1, 2, 3... in order, no gaps
  const char* name;  // what it adds, for error messages
  const char* sql;   // one or more statements
};

// The migrations of the store schema, in order.
std::span<const Migration> StoreMigrations();

// Brings `db` up to the last of `migrations`. Returns how many were applied
// (0 when the file was current). A file whose version is newer than the last
// migration is FailedPrecondition, its message naming `file_name`; a failing
// migration rolls back every one applied by this call.
Result<int> Migrate(Database& db, std::span<const Migration> migrations,
                    const std::string& file_name);

}  // namespace vigil::sqlite
