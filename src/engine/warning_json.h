// Warnings and silences as JSON text, the form `vigil warnings --json` prints and the HTTP
// API serves: each warning as the warn stage's event encoding writes it
// (warn/event_json.h).
#pragma once

#include <string>
#include <vector>

#include "warn/machine.h"

namespace vigil {

// An array of warnings, in the order given.
std::string WarningListJson(const std::vector<const warn::Warning*>& warnings);

// An array of silences, in the order given, as the event encoding writes them.
std::string SilenceListJson(const std::vector<const warn::Silence*>& silences);

// {"warning": ..., "timeline": [events]}.
std::string WarningTimelineJson(const warn::Warning& warning,
                                const std::vector<warn::Event>& timeline);

}  // namespace vigil
