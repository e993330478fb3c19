// The embedded Store: one SQLite file in WAL mode (docs/STORAGE.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "store/store.h"

namespace vigil {

// How hard each commit pushes data to the disk.
enum class SqliteSync {
  // fsync at checkpoints only: a committed batch survives a crash of the
  // process (kill -9), but an OS crash or power loss may lose the last commits
  // (never corrupting the file).
  kNormal,
  // fsync on every commit: committed batches also survive power loss, at the
  // cost of one disk flush per commit.
  kFull,
};

struct SqliteOptions {
  SqliteSync synchronous = SqliteSync::kNormal;
  // How long to wait for another process holding the write lock before
  // failing with kUnavailable.
  std::chrono::milliseconds busy_timeout{5000};
  // Page cache of each connection. Ingest is fastest when the observations of
  // the series being written fit (about 40 bytes per observation).
  std::int64_t cache_kib = 256 * 1024;
  // New signals and observations wait among the recent rows, packed a batch
  // to a row, until there are this many of either, then a batch moves them
  // all together (docs/STORAGE.md, "Recent rows"): the rows of a series (and
  // detector) that are at least series_block_rows into a block of their
  // own, fewer into the series-clustered `signals` or `observations`.
  std::int64_t signal_fold_rows = 1 << 16;
  std::int64_t observation_fold_rows = 1 << 16;
  std::int64_t series_block_rows = 16;
};

// Opens the store in `file`, creating the file if it does not exist and
// applying the schema migrations it has not seen. Fails with
// kFailedPrecondition when the file's schema is newer than this binary knows,
// and kIoError or kCorruption when it cannot be opened or is not a database.
//
// The store uses one connection for writes and one for reads, so reads see
// committed data only. Several processes may open the same file; writers take
// turns (busy_timeout). Safe to use from one thread at a time; a transaction
// must not outlive the store that began it.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::filesystem::path& file,
                                               const SqliteOptions& options);

}  // namespace vigil
