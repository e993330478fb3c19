// The backtest's outputs: a terminal table, JSON for machines and a
// self-contained HTML report with SVG plots (docs/BACKTEST.md, "Output").
// Each takes one run per policy set; a single run is the plain backtest.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "backtest/evaluate.h"
#include "backtest/metrics.h"

namespace vigil::backtest {

struct Run {
  std::string name;  // "workspace", or the policy file's name
  Evaluation evaluation;
  std::int64_t batches = 0;
  std::int64_t records = 0;
  std::int64_t ticks = 0;
};

// Delay histogram buckets: 0, 1, 2, 3 and 4 or more periods.
inline constexpr int kDelayBuckets = 5;
std::array<std::int64_t, kDelayBuckets> DelayHistogram(std::span<const double> delay_periods);

// Fixed-width text, one table per level (indicators, domains, overall), the
// runs side by side on consecutive rows.
std::string TableText(std::span<const Run> runs);

// The schema is in docs/BACKTEST.md. Deterministic: the same runs give the
// same bytes.
std::string JsonText(std::span<const Run> runs, const Range& range);

// At most `max_plots` series are plotted (those with labels or alarms, in
// series order); the report says how many were left out.
std::string HtmlText(std::span<const Run> runs, const Range& range, int max_plots);

}  // namespace vigil::backtest
