// Scenario scripts: plain-text stories that load a catalogue, feed signals,
// operator actions and the passing of time to the warning state machine, and
// check the warnings, notifications and events that result. The format is in
// docs/WARNINGS.md; src/warn/scenarios/ holds the project's own.
//
// Thread safety: pure functions apart from reading the catalogue file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "warn/warning.h"

namespace vigil::warn {

struct ScenarioOutcome {
  int expectations = 0;               // expect lines checked
  std::vector<std::string> failures;  // "<file>:<line>: <what was expected and what was found>"
  std::vector<Event> log;             // every event, in order
  bool ok() const { return failures.empty(); }
};

// Runs a script; `label` names it in messages and `dir` is where its
// `catalogue` file is looked up. An InvalidArgument (naming file and line) for
// a line that cannot be read or a catalogue that does not load; failed
// expectations, an action that fails without `expect error`, and a log whose
// replay does not rebuild the state are failures in the outcome.
Result<ScenarioOutcome> RunScenario(std::string_view text, std::string_view label,
                                    const std::filesystem::path& dir);
Result<ScenarioOutcome> RunScenarioFile(const std::filesystem::path& file);

}  // namespace vigil::warn
