// Opening a workspace directory: its catalogue (workspace.yaml, loaded and
// validated by config/) and its embedded store (vigil.db, created on first
// use). Commands that work on a workspace start here.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/status.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace vigil::cli {

struct Workspace {
  std::string dir;
  Catalogue catalogue;
  std::unique_ptr<Store> store;

  // `path` relative to the workspace directory; an absolute path is kept.
  std::string Resolve(std::string_view path) const;
};

// The clock commands run on: the system's, or fixed at --now (replays, drills,
// reproducible runs). InvalidArgument for a --now that is not RFC 3339.
Result<std::unique_ptr<Clock>> ClockOf(const GlobalOptions& global);

// Who acts from the command line, as the audit log names it: "cli:" and the
// user in $USER ("cli:unknown" without one).
std::string CliActor();

// The store's file name inside a workspace.
inline constexpr std::string_view kStoreFileName = "vigil.db";

// The workspace's ingest lock (vigil.db-ingest beside the store), held by a
// process while it may ingest. Detection keeps its state in memory between
// batches (streaming detector states, watermarks) and writes it back with
// each batch, so a second process ingesting into the same store would work
// from a stale state and overwrite the first one's. An advisory lock
// (flock), released when this is destroyed or the process ends, even by a
// crash.
class IngestLock {
 public:
  IngestLock(IngestLock&& other) noexcept;
  IngestLock& operator=(IngestLock&& other) noexcept;
  IngestLock(const IngestLock&) = delete;
  IngestLock& operator=(const IngestLock&) = delete;
  ~IngestLock();

 private:
  friend Result<IngestLock> LockIngest(const Workspace& workspace, std::string_view holder);
  explicit IngestLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Takes the ingest lock for `holder` (what the lock file tells a process
// that finds it taken: "vigil ingest", "vigil serve on 127.0.0.1:8080").
// Unavailable, without waiting, when another process has it (naming that
// process) or when the lock file cannot be opened.
Result<IngestLock> LockIngest(const Workspace& workspace, std::string_view holder);

// Loads the catalogue, then opens the store. The errors are those of
// LoadWorkspaceCatalogue (invalid catalogue, naming file, line and field) and
// of OpenSqliteStore (I/O, a store written by a newer version).
Result<Workspace> OpenWorkspace(const std::string& dir);

}  // namespace vigil::cli
