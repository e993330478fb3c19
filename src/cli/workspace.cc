#include "cli/workspace.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "config/config.h"
#include "sqlite/sqlite_store.h"

namespace vigil::cli {

std::string Workspace::Resolve(std::string_view path) const {
  const std::filesystem::path p(path);
  return p.is_absolute() ? p.string() : (std::filesystem::path(dir) / p).string();
}

Result<std::unique_ptr<Clock>> ClockOf(const GlobalOptions& global) {
  if (global.now.empty()) {
    return std::unique_ptr<Clock>(std::make_unique<SystemClock>());
  }
  Result<Timestamp> now = ParseRfc3339(global.now);
  if (!now.ok()) {
    return InvalidArgument(fmt::format("--now: {}", now.status().message()));
  }
  return std::unique_ptr<Clock>(std::make_unique<FakeClock>(*now));
}

std::string CliActor() {
  const char* user = std::getenv("USER");
  return fmt::format("cli:{}", user != nullptr && *user != '\0' ? user : "unknown");
}

Result<Workspace> OpenWorkspace(const std::string& dir) {
  VIGIL_ASSIGN_OR_RETURN(Catalogue catalogue, LoadWorkspaceCatalogue(dir));
  Workspace workspace{.dir = dir, .catalogue = std::move(catalogue)};
  VIGIL_ASSIGN_OR_RETURN(workspace.store,
                         OpenSqliteStore(workspace.Resolve(kStoreFileName), SqliteOptions{}));
  return workspace;
}

}  // namespace vigil::cli
