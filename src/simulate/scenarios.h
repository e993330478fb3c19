// The scenario entry points. Internal to simulate/.
#pragma once

#include "simulate/scenario.h"
#include "simulate/simulate.h"

namespace vigil::sim {

// Each writes workspace.yaml and data/ into context.dir, labels into context.labels.
Status WriteDefaultScenario(ScenarioContext& context);
Status WriteNoufailyScenario(ScenarioContext& context, const SimulateOptions& options);
Status WriteScaleScenario(ScenarioContext& context, const SimulateOptions& options);

// Writes `spec` as context.dir/workspace.yaml.
Status WriteWorkspaceFile(const ScenarioContext& context, const WorkspaceSpec& spec,
                          std::string_view comment);

}  // namespace vigil::sim
