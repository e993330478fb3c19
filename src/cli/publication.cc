#include "cli/publication.h"

#include "engine/warning_ops.h"

namespace vigil::cli {

publish::PublishOptions WorkspacePublishOptions(const Workspace& workspace, std::string dir,
                                                publish::CapStatus status) {
  return {.dir = dir.empty() ? workspace.Resolve(kCapDirName) : dir,
          .status = status,
          .base_url = workspace.catalogue.info().cap_url};
}

Result<publish::PublishReport> PublishWorkspace(const Workspace& workspace, Timestamp now,
                                                std::string dir, publish::CapStatus status) {
  return PublishWarningLog(*workspace.store, workspace.catalogue,
                           WorkspacePublishOptions(workspace, std::move(dir), status), now);
}

}  // namespace vigil::cli
