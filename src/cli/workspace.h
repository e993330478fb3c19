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

// Loads the catalogue, then opens the store. The errors are those of
// LoadWorkspaceCatalogue (invalid catalogue, naming file, line and field) and
// of OpenSqliteStore (I/O, a store written by a newer version).
Result<Workspace> OpenWorkspace(const std::string& dir);

}  // namespace vigil::cli
