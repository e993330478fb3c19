#include "cli/workspace.h"

#include <filesystem>

#include "config/config.h"
#include "sqlite/sqlite_store.h"

namespace vigil::cli {

std::string Workspace::Resolve(std::string_view path) const {
  const std::filesystem::path p(path);
  return p.is_absolute() ? p.string() : (std::filesystem::path(dir) / p).string();
}

Result<Workspace> OpenWorkspace(const std::string& dir) {
  VIGIL_ASSIGN_OR_RETURN(Catalogue catalogue, LoadWorkspaceCatalogue(dir));
  Workspace workspace{.dir = dir, .catalogue = std::move(catalogue)};
  VIGIL_ASSIGN_OR_RETURN(workspace.store,
                         OpenSqliteStore(workspace.Resolve(kStoreFileName), SqliteOptions{}));
  return workspace;
}

}  // namespace vigil::cli
