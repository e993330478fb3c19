// Output of `vigil warnings`: the list of warnings and one warning's timeline
// with the evidence behind it, as text tables or JSON.
#pragma once

#include <string>
#include <vector>

#include "model/catalogue.h"
#include "store/store.h"
#include "warn/machine.h"

namespace vigil::cli {

// One row per warning, most severe first, then by id.
std::string FormatWarningList(const std::vector<const warn::Warning*>& warnings, bool json);

// A warning: its fields, why it stands (the evidence of its latest change:
// indicator, detector, period, observed, expected, threshold, score, level,
// under which policy and rule) and the timeline of its events.
std::string FormatWarning(const warn::Warning& warning, const std::vector<warn::Event>& timeline,
                          const Catalogue& catalogue, bool json);

// The active silences, by id.
std::string FormatSilences(const warn::State& state, bool json);

// What one step did: its events and notifications, a line each.
std::string FormatStep(const warn::StepResult& result);

}  // namespace vigil::cli
