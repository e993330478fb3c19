#include "engine/warning_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>


namespace vigil {
namespace {}  // namespace

Result<warn::WarningKey> ParseWarningKey(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t slash = text.find('/'); slash != std::string_view::npos;
       slash = text.find('/', start)) {
    parts.emplace_back(text.substr(start, slash - start));
    start = slash + 1;
  }
  parts.emplace_back(text.substr(start));
  // A warning id is its key and a number.
  if (parts.size() == 4 && !parts[3].empty() &&
      std::all_of(parts[3].begin(), parts[3].end(), [](char c) { return c >= '0' && c <= '9'; })) {
    parts.pop_back();
  }
  if (parts.size() != 3 ||
      std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
    return InvalidArgument(fmt::format(
        "'{}' is not a warning key: use domain/region/hazard, e.g. health/XA-01/infectious-disease",
        text));
  }
  return warn::WarningKey{parts[0], parts[1], parts[2]};
}

std::vector<const warn::Warning*> ListWarnings(const warn::State& state, bool all) {
  std::vector<const warn::Warning*> list;
  for (const auto& [key, cell] : state.cells) {
    if (cell.warning && (all || cell.warning->active())) {
      list.push_back(&*cell.warning);
    }
  }
  std::sort(list.begin(), list.end(), [](const warn::Warning* a, const warn::Warning* b) {
    if (a->active() != b->active()) {
      return a->active();
    }
    return a->level != b->level ? a->level > b->level : a->id < b->id;
  });
  return list;
}

Result<warn::StepResult> CommitWarningStep(WarningStage& stage, Store& store,
                                           const warn::Input& input, const BatchInfo& batch,
                                           const AuditEntry& audit) {
  VIGIL_RETURN_IF_ERROR(stage.Refresh());
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<StoreTransaction> transaction, store.Begin(batch));
  VIGIL_RETURN_IF_ERROR(stage.Step(input).status());
  Status written = stage.Write(*transaction);
  if (written.ok() && !stage.pending().events.empty()) {
    written = transaction->AppendAudit(audit);
  }
  if (written.ok()) {
    written = transaction->Commit().status();
  }
  if (!written.ok()) {
    transaction->Rollback();
    const Status reloaded = stage.OnRolledBack();
    return reloaded.ok() ? written : reloaded;
  }
  warn::StepResult committed = stage.pending();
  stage.OnCommitted();
  return committed;
}

Result<WarningTimeline> ReadWarningTimeline(Store& store, std::string_view id) {
  VIGIL_ASSIGN_OR_RETURN(const warn::WarningKey key, ParseWarningKey(id));
  VIGIL_ASSIGN_OR_RETURN(const std::vector<WarningEventRecord> own,
                         store.ReadWarningEvents({.warning_id = std::string(id)}));
  if (own.empty()) {
    return NotFound(fmt::format("no warning '{}' (list them with `vigil warnings --all`)", id));
  }
  VIGIL_ASSIGN_OR_RETURN(
      const std::vector<WarningEventRecord> records,
      store.ReadWarningEvents({.after_seq = own.front().seq - 1, .key = key.ToString()}));
  WarningTimeline timeline;
  for (const WarningEventRecord& record : records) {
    if (record.seq > own.back().seq) {
      break;
    }
    if (!record.warning_id.empty() && record.warning_id != id) {
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(warn::Event event, DecodeStoredEvent(record));
    if (!record.warning_id.empty()) {
      timeline.warning = event.warning;
    }
    timeline.events.push_back(std::move(event));
  }
  return timeline;
}

Result<std::vector<warn::Event>> ReadPublishableEvents(Store& store) {
  VIGIL_ASSIGN_OR_RETURN(const std::vector<WarningEventRecord> records,
                         store.ReadWarningEvents({}));
  std::vector<warn::Event> events;
  for (const WarningEventRecord& record : records) {
    // Evidence makes no message; skipping it saves decoding most of the log.
    if (record.warning_id.empty() && !record.key.empty()) {
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(warn::Event event, DecodeStoredEvent(record));
    events.push_back(std::move(event));
  }
  return events;
}

Result<publish::PublishReport> PublishWarningLog(Store& store, const Catalogue& catalogue,
                                                 const publish::PublishOptions& options,
                                                 Timestamp now) {
  VIGIL_ASSIGN_OR_RETURN(const std::vector<warn::Event> events, ReadPublishableEvents(store));
  return publish::PublishWarnings(events, catalogue, options, now);
}

}  // namespace vigil
