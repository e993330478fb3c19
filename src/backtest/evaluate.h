// A replay scored against its labels: the metrics of metrics.h per
// indicator, per domain and overall, and per series what the report plots.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "backtest/metrics.h"
#include "backtest/replay.h"
#include "model/catalogue.h"

namespace vigil::backtest {

struct Scores {
  std::string name;  // indicator or domain id; "overall"
  DetectionMetrics detection;
  WarningMetrics warnings;
};

// One series as the report plots it: per judged period the first
// detector's observed and expected values and alarm threshold, whether it
// alarmed, whether any detector did, and the labels on the series.
struct SeriesTrace {
  SeriesKey key;
  std::vector<Timestamp> periods;
  std::vector<std::optional<double>> observed;
  std::vector<std::optional<double>> expected;
  std::vector<std::optional<double>> upperbound;
  std::vector<bool> alarms;        // any detector
  std::vector<bool> first_alarms;  // the first detector, whose threshold is plotted
  std::vector<Label> labels;
  std::int64_t alarm_count = 0;
};

struct Evaluation {
  std::vector<Scores> indicators;  // in catalogue order, those with series
  std::vector<Scores> domains;     // in catalogue order, those with series
  Scores overall{.name = "overall"};
  std::vector<SeriesTrace> traces;  // in series order
};

// Warnings count for the domain of their key, and for every indicator of
// that domain whose policy has the key's hazard.
Evaluation Evaluate(const Catalogue& catalogue, const ReplayResult& replay,
                    std::span<const Label> labels, const Range& range);

}  // namespace vigil::backtest
