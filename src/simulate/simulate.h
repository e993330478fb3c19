// The deterministic scenario generator behind `vigil simulate`: it writes a
// complete workspace (workspace.yaml, data/*.csv as file sources, labels.csv
// listing every injected event) from a seed. The same seed and options give
// the same bytes. Rows are streamed to disk; memory grows with the number of
// series, not of rows. See docs/SIMULATOR.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace vigil::sim {

inline constexpr std::int64_t kMaxSeriesPerScenario = 10000;
inline constexpr std::int64_t kMaxScaleSeries = 10'000'000;

struct SimulateOptions {
  std::uint64_t seed = 42;
  std::filesystem::path out;               // the workspace directory to write
  std::string scenario = "default";        // default | noufaily | scale
  bool force = false;                      // replace an earlier workspace in `out`
  std::int64_t series_per_scenario = 100;  // noufaily: replicates per parameter set
  std::int64_t series = 100000;            // scale: number of weekly series
  std::int64_t outbreaks = 100;            // scale: simultaneous outbreaks in the final weeks
  // Every scenario's data ends where 2025-01-01 begins. With `end`, every time
  // written (rows and labels) moves by end - 2025-01-01 and is then written in
  // its frequency's form, i.e. as the period the moved time falls in: the data
  // then ends by `end`, and nothing but the times changes. Must lie in [2000, 2100).
  std::optional<Timestamp> end;
};

struct SimulateSummary {
  std::int64_t series = 0;
  std::int64_t observations = 0;  // data rows written, revisions included
  std::int64_t labels = 0;        // injected events
};

// The scenario names, in documentation order.
const std::vector<std::string>& ScenarioNames();

// Writes the workspace. Errors: unknown scenario or option out of range
// (kInvalidArgument, before anything is written), `out` not empty (kAlreadyExists, or
// kFailedPrecondition with force when it is not a workspace), files that cannot be written
// (kIoError).
Result<SimulateSummary> Simulate(const SimulateOptions& options);

}  // namespace vigil::sim
