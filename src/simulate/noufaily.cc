// The simulation design of Noufaily et al. (2013): 42 scenarios (7 parameter
// sets, without and with trend, with 0, 1 or 2 seasonal harmonics), each with
// N replicate series of 624 weeks. Every series has four outbreaks starting in
// weeks 313-575 (k drawn from {2, 3, 5, 10}) and one starting in the final 49
// weeks, 576-624 (k from 1 to 10), the weeks on which detection is evaluated.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "simulate/scenarios.h"

namespace vigil::sim {
namespace {

constexpr std::int64_t kWeeks = 624;
constexpr std::int64_t kBaselineFirst = 312;  // 0-based: weeks 313-575
constexpr std::int64_t kCurrentFirst = 575;   // 0-based: weeks 576-624
constexpr int kBaselineOutbreaks = 4;
constexpr std::array<double, 4> kBaselineK = {2, 3, 5, 10};

struct ParameterSet {
  double theta, beta, gamma1, gamma2, phi;
};
constexpr std::array<ParameterSet, 7> kSets = {{
    {0.1, 0.0025, 0.6, 0.6, 1.5},
    {-2, 0.005, 0.1, 0.3, 2},
    {1.5, 0.003, 0.2, -0.4, 1},
    {0.5, 0.002, 0.5, 0.5, 5},
    {2.5, 0.001, 1, 0.1, 3},
    {3.75, 0.001, 0.1, -0.1, 1.1},
    {5, 0.0001, 0.05, 0.01, 1.2},
}};

// Scenario s (0-based) = 6 * set + 3 * trend + harmonics.
SeasonalNb ScenarioModel(int s) {
  const ParameterSet& p = kSets[s / 6];
  const bool trend = (s / 3) % 2 == 1;
  const int harmonics = s % 3;
  return {.theta = p.theta,
          .beta = trend ? p.beta : 0,
          .gamma1 = harmonics > 0 ? p.gamma1 : 0,
          .gamma2 = harmonics > 0 ? p.gamma2 : 0,
          .harmonics = harmonics,
          .phi = p.phi};
}

std::string ScenarioId(int s) { return fmt::format("noufaily-{:02}", s + 1); }

Timestamp Week(std::int64_t index) { return SeriesWeek(kWeeks, index); }

// Plans the five outbreaks of one series at distinct start weeks and labels them.
void PlanOutbreaks(ScenarioContext& context, NamedSeries& series) {
  Rng rng(context.seed, fmt::format("noufaily/{}/{}/outbreaks", series.indicator, series.region));
  std::vector<std::int64_t> starts;
  for (int i = 0; i <= kBaselineOutbreaks; ++i) {
    const bool current = i == kBaselineOutbreaks;
    std::int64_t start = 0;
    do {
      start = current ? rng.Between(kCurrentFirst, kWeeks - 1)
                      : rng.Between(kBaselineFirst, kCurrentFirst - 1);
    } while (std::find(starts.begin(), starts.end(), start) != starts.end());
    starts.push_back(start);
    const double k =
        current ? double(rng.Between(1, 10)) : kBaselineK[rng.Below(kBaselineK.size())];
    const Outbreak outbreak = PlanOutbreak(rng, series.counts.model(), start, k, kWeeks);
    if (outbreak.weekly.empty()) {
      continue;
    }
    series.counts.Add(outbreak);
    context.labels->Add(series.indicator, series.region, Week(start),
                        Week(outbreak.weekly.rbegin()->first), Frequency::kWeekly, "outbreak",
                        fmt::format("period={};k={};cases={}", current ? "current" : "baseline", k,
                                    outbreak.cases));
  }
}

WorkspaceSpec Catalogue(std::int64_t replicates, int width) {
  WorkspaceSpec spec;
  spec.info = {.name = "Noufaily et al. (2013) simulation", .sender = "simulation@vigil.example"};
  spec.domains.push_back({.id = "health", .name = "Public health", .cap_category = "Health"});
  spec.regions.push_back({.code = "NS", .name = "Simulation replicates"});
  for (std::int64_t r = 1; r <= replicates; ++r) {
    spec.regions.push_back({.code = fmt::format("NS-{:0{}}", r, width),
                            .name = fmt::format("Replicate {}", r),
                            .parent = "NS"});
  }
  for (int s = 0; s < int(kSets.size()) * 6; ++s) {
    const SeasonalNb m = ScenarioModel(s);
    spec.indicators.push_back(
        {.id = ScenarioId(s),
         .name = fmt::format("Scenario {}: theta={} beta={} gamma1={} gamma2={} m={} phi={}", s + 1,
                             m.theta, m.beta, m.gamma1, m.gamma2, m.harmonics, m.phi),
         .domain = "health",
         .unit = "cases",
         .frequency = Frequency::kWeekly,
         .direction = Direction::kHigherIsWorse,
         .value_kind = ValueKind::kCount,
         .detectors = {Detector("farrington-flexible", {{"b", "5"},
                                                        {"w", "3"},
                                                        {"weightsThreshold", "2.58"},
                                                        {"noPeriods", "10"},
                                                        {"pastWeeksNotIncluded", "26"},
                                                        {"thresholdMethod", "nbPlugin"}})}});
  }
  spec.sources.push_back(FileSource("noufaily", "noufaily.csv"));
  return spec;
}

}  // namespace

Status WriteNoufailyScenario(ScenarioContext& context, const SimulateOptions& options) {
  const std::int64_t replicates = options.series_per_scenario;
  const int width = std::max<int>(3, int(fmt::formatted_size("{}", replicates)));
  VIGIL_RETURN_IF_ERROR(WriteWorkspaceFile(
      context, Catalogue(replicates, width),
      fmt::format("Simulated workspace: scenario 'noufaily', seed {}, {} series per scenario.\n"
                  "Written by `vigil simulate`; the injected outbreaks are listed in labels.csv.",
                  context.seed, replicates)));
  std::vector<NamedSeries> series;
  for (int s = 0; s < int(kSets.size()) * 6; ++s) {
    for (std::int64_t r = 1; r <= replicates; ++r) {
      const std::string id = ScenarioId(s);
      const std::string region = fmt::format("NS-{:0{}}", r, width);
      series.push_back({id, region, "",
                        CountSeries(ScenarioModel(s),
                                    Rng(context.seed, fmt::format("noufaily/{}/{}", id, region)))});
      PlanOutbreaks(context, series.back());
    }
  }
  return WriteWeeklyCounts(context, "noufaily.csv", "noufaily", Week(0), kWeeks, series);
}

}  // namespace vigil::sim
