// The four domains of the default scenario. Each adds its catalogue entries
// (domain, policy, indicators, sources) and writes its data and labels.
// Internal to simulate/.
#pragma once

#include "simulate/geography.h"
#include "simulate/scenario.h"

namespace vigil::sim {

// Weekly salmonella and measles counts per district, with outbreaks and late revisions.
void AddHealthCatalogue(WorkspaceSpec& spec);
Status WriteHealth(ScenarioContext& context, const Geography& geo);

// Hourly river levels at six gauges, with flood waves.
void AddRiverCatalogue(WorkspaceSpec& spec);
Status WriteRivers(ScenarioContext& context, const Geography& geo);

// Minute methane readings at three mines, two sensors each, with build-ups and sensor faults.
// Adds the mines as regions below their districts.
void AddMineCatalogue(WorkspaceSpec& spec, Geography& geo);
Status WriteMines(ScenarioContext& context, const Geography& geo);

// Daily rice and diesel prices per province, with price shocks.
void AddSupplyCatalogue(WorkspaceSpec& spec);
Status WriteSupply(ScenarioContext& context, const Geography& geo);

}  // namespace vigil::sim
