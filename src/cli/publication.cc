#include "cli/publication.h"

#include <fmt/format.h>

#include <vector>

#include "warn/event_json.h"

namespace vigil::cli {

Result<publish::PublishReport> PublishWorkspace(const Workspace& workspace, Timestamp now,
                                                std::string dir, publish::CapStatus status) {
  VIGIL_ASSIGN_OR_RETURN(const std::vector<WarningEventRecord> records,
                         workspace.store->ReadWarningEvents({}));
  std::vector<warn::Event> events;
  for (const WarningEventRecord& record : records) {
    // Evidence makes no message; skipping it saves decoding most of the log.
    if (record.warning_id.empty() && !record.key.empty()) {
      continue;
    }
    Result<warn::Event> event = warn::DecodeEvent(record.body);
    if (!event.ok()) {
      return Internal(
          fmt::format("stored warning event {}: {}", record.seq, event.status().message()));
    }
    events.push_back(std::move(event).value());
  }
  const publish::PublishOptions options{.dir = dir.empty() ? workspace.Resolve(kCapDirName) : dir,
                                        .status = status,
                                        .base_url = workspace.catalogue.info().cap_url};
  return publish::PublishWarnings(events, workspace.catalogue, options, now);
}

}  // namespace vigil::cli
