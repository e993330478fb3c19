// Operations on warnings from outside the pipeline, shared by `vigil
// warnings`, `vigil deliver` and the HTTP API (src/server/): naming a
// warning, listing them, committing an operator action or a tick with its
// audit record, reading one warning's timeline, and publishing the log as CAP.
//
// Not thread-safe: like the WarningStage and Store they borrow, one thread at
// a time.
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "engine/warning_stage.h"
#include "model/catalogue.h"
#include "publish/warning_publication.h"
#include "store/store.h"
#include "warn/machine.h"

namespace vigil {

// A key "domain/region/hazard", or a warning id "domain/region/hazard/N"
// (its key and number). InvalidArgument otherwise.
Result<warn::WarningKey> ParseWarningKey(std::string_view text);

// The warnings of `state` (only the active ones unless `all`), active first,
// then most severe first, then by id.
std::vector<const warn::Warning*> ListWarnings(const warn::State& state, bool all);

// Catches the stage up with the store, steps `input` at the stage's clock,
// and writes the step's events and notifications in one transaction opened
// with `batch`, with `audit` when the step made any event, then commits.
// Returns what was committed. Errors: the stage's refusal of the input
// (nothing written, the state unchanged); the store's (rolled back, and the
// stage reloaded from the committed log).
Result<warn::StepResult> CommitWarningStep(WarningStage& stage, Store& store,
                                           const warn::Input& input, const BatchInfo& batch,
                                           const AuditEntry& audit);

// One warning as it stands, and its timeline: its own events and the
// evidence on its key while it lived, in sequence order.
struct WarningTimeline {
  warn::Warning warning;
  std::vector<warn::Event> events;
};

// NotFound when no event names warning `id`; Internal for a stored event
// that does not decode.
Result<WarningTimeline> ReadWarningTimeline(Store& store, std::string_view id);

// The events of the log that make CAP messages (every event but evidence),
// decoded, in sequence order. Internal for a stored event that does not decode.
Result<std::vector<warn::Event>> ReadPublishableEvents(Store& store);

// Publishes the committed log with `options` (publish::PublishWarnings).
Result<publish::PublishReport> PublishWarningLog(Store& store, const Catalogue& catalogue,
                                                 const publish::PublishOptions& options,
                                                 Timestamp now);

}  // namespace vigil
