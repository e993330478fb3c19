// Publishing a workspace's warnings: every CAP message of the warning log as
// a file, and the Atom index feed, in the workspace's cap/ directory (or
// another). Commands that change warnings call it after they commit, so the
// directory always matches the log.
#pragma once

#include <string>

#include "cli/workspace.h"
#include "publish/cap.h"
#include "publish/warning_publication.h"

namespace vigil::cli {

// The directory commands publish to, inside the workspace.
inline constexpr std::string_view kCapDirName = "cap";

// Where and how the workspace publishes: into `dir` (default:
// <workspace>/cap), linking messages at the workspace's cap_url.
publish::PublishOptions WorkspacePublishOptions(
    const Workspace& workspace, std::string dir = {},
    publish::CapStatus status = publish::CapStatus::kActual);

// Publishes the committed log to `dir` (default: <workspace>/cap), linking
// messages at the workspace's cap_url. Errors: the store's, a stored event
// that does not decode, PublishWarnings'.
Result<publish::PublishReport> PublishWorkspace(
    const Workspace& workspace, Timestamp now, std::string dir = {},
    publish::CapStatus status = publish::CapStatus::kActual);

}  // namespace vigil::cli
