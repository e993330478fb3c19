// The scale scenario for benchmarks: N weekly count series over ten years with
// plain negative binomial baselines, and M outbreaks in distinct series, all
// starting within the final ten weeks.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "simulate/scenarios.h"

namespace vigil::sim {
namespace {

constexpr std::int64_t kWeeks = 522;
constexpr std::int64_t kOutbreakWeeks = 10;
constexpr std::int64_t kRegionsMax = 1000;

Timestamp Week(std::int64_t index) { return SeriesWeek(kWeeks, index); }

// Series i is indicator i / regions in region i % regions.
struct Layout {
  std::int64_t regions = 0;
  std::int64_t indicators = 0;
  std::string Region(std::int64_t r) const { return fmt::format("SC-{:04}", r + 1); }
  std::string Indicator(std::int64_t i) const { return fmt::format("scale-{:05}", i + 1); }
};

WorkspaceSpec Catalogue(const Layout& layout) {
  WorkspaceSpec spec;
  spec.info = {.name = "Scale benchmark (simulated)", .sender = "simulation@vigil.example"};
  spec.domains.push_back({.id = "health", .name = "Public health", .cap_category = "Health"});
  spec.regions.push_back({.code = "SC", .name = "Scale benchmark"});
  for (std::int64_t r = 0; r < layout.regions; ++r) {
    spec.regions.push_back(
        {.code = layout.Region(r), .name = fmt::format("Area {}", r + 1), .parent = "SC"});
  }
  for (std::int64_t i = 0; i < layout.indicators; ++i) {
    spec.indicators.push_back({.id = layout.Indicator(i),
                               .name = fmt::format("Benchmark counts {}", i + 1),
                               .domain = "health",
                               .unit = "cases",
                               .frequency = Frequency::kWeekly,
                               .direction = Direction::kHigherIsWorse,
                               .value_kind = ValueKind::kCount,
                               .detectors = {Detector("ears-c1"), Detector("ears-c2"),
                                             Detector("ears-c3"), Detector("cusum")}});
  }
  spec.sources.push_back(FileSource("scale", "scale.csv"));
  return spec;
}

SeasonalNb RandomModel(Rng& rng) {
  SeasonalNb model{.theta = std::log(rng.Uniform(1, 20)), .phi = rng.Uniform(1, 3)};
  SetSeason(model, rng.Uniform(0, 0.5), rng.Uniform(0, 52));
  return model;
}

// M distinct series, each with one outbreak starting in the final weeks.
void PlanOutbreaks(ScenarioContext& context, std::vector<NamedSeries>& series,
                   std::int64_t outbreaks) {
  Rng rng(context.seed, "scale/outbreaks");
  std::unordered_set<std::uint64_t> chosen;
  while (std::int64_t(chosen.size()) < outbreaks) {
    const std::uint64_t pick = rng.Below(series.size());
    if (!chosen.insert(pick).second) {
      continue;
    }
    NamedSeries& s = series[pick];
    const std::int64_t start = rng.Between(kWeeks - kOutbreakWeeks, kWeeks - 1);
    const double k = double(rng.Between(3, 10));
    const Outbreak outbreak = PlanOutbreak(rng, s.counts.model(), start, k, kWeeks);
    if (outbreak.weekly.empty()) {
      continue;
    }
    s.counts.Add(outbreak);
    context.labels->Add(s.indicator, s.region, Week(start), Week(outbreak.weekly.rbegin()->first),
                        Frequency::kWeekly, "outbreak",
                        fmt::format("k={};cases={}", k, outbreak.cases));
  }
}

}  // namespace

Status WriteScaleScenario(ScenarioContext& context, const SimulateOptions& options) {
  Layout layout{.regions = std::min(options.series, kRegionsMax)};
  layout.indicators = (options.series + layout.regions - 1) / layout.regions;
  VIGIL_RETURN_IF_ERROR(WriteWorkspaceFile(
      context, Catalogue(layout),
      fmt::format("Simulated workspace: scenario 'scale', seed {}, {} series, {} outbreaks.\n"
                  "Written by `vigil simulate`; the injected outbreaks are listed in labels.csv.",
                  context.seed, options.series, options.outbreaks)));
  std::vector<NamedSeries> series;
  series.reserve(std::size_t(options.series));
  for (std::int64_t i = 0; i < options.series; ++i) {
    const std::string indicator = layout.Indicator(i / layout.regions);
    const std::string region = layout.Region(i % layout.regions);
    Rng rng(context.seed, fmt::format("scale/{}/{}", indicator, region));
    const SeasonalNb model = RandomModel(rng);
    series.push_back({indicator, region, "", CountSeries(model, rng)});
  }
  PlanOutbreaks(context, series, options.outbreaks);
  return WriteWeeklyCounts(context, "scale.csv", "scale", Week(0), kWeeks, series);
}

}  // namespace vigil::sim
