// Public health: weekly counts of two diseases per district over ten years,
// negative binomial baselines (Noufaily et al. 2013) scaled by population,
// outbreaks in the last three years, and a few late revisions.
#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "simulate/counts.h"
#include "simulate/domains.h"

namespace vigil::sim {
namespace {

constexpr std::int64_t kWeeks = 522;          // ten years
constexpr std::int64_t kOutbreakWeeks = 156;  // outbreaks start in the last three years
constexpr int kRevisions = 6;
constexpr int kRevisionWeeks = 6;  // revisions concern the last six weeks

struct Disease {
  const char* id;
  const char* name;
  double weekly_rate;  // expected cases per 100,000 people per week
  double amplitude;    // seasonal log-amplitude
  double peak_week;    // week of the year the season peaks
  double beta;         // trend per week on the log scale
  double phi;          // variance / mean
  int outbreaks;
};

constexpr Disease kDiseases[] = {
    {"salmonella-cases", "Salmonella cases", 1.5, 0.6, 32, 0.0005, 1.5, 8},
    {"measles-cases", "Measles cases", 0.4, 0.4, 14, -0.0003, 2.5, 5},
};

Timestamp Week(std::int64_t index) { return SeriesWeek(kWeeks, index); }

struct Revision {
  std::size_t series;
  std::int64_t week;
  std::int64_t value = 0;  // the first report, filled in while writing
};

// Every (disease, district) series with its outbreaks planned and labelled.
std::vector<NamedSeries> PlanSeries(ScenarioContext& context, const Geography& geo) {
  std::vector<NamedSeries> series;
  for (const Disease& d : kDiseases) {
    const std::size_t first = series.size();
    for (std::size_t r : geo.districts) {
      const RegionSpec& region = geo.regions[r];
      Rng rng(context.seed, fmt::format("health/{}/{}", d.id, region.code));
      SeasonalNb model{.beta = d.beta, .phi = d.phi};
      model.theta =
          std::log(d.weekly_rate * double(*region.population) / 1e5 * LogNormal(rng, 0, 0.2));
      SetSeason(model, d.amplitude, d.peak_week);
      series.push_back(
          {d.id, region.code, fmt::format("{}", *region.population), CountSeries(model, rng)});
    }
    Rng rng(context.seed, fmt::format("health/{}/outbreaks", d.id));
    for (int i = 0; i < d.outbreaks; ++i) {
      NamedSeries& s = series[first + rng.Below(geo.districts.size())];
      const std::int64_t start = rng.Between(kWeeks - kOutbreakWeeks, kWeeks - 3);
      const Outbreak outbreak =
          PlanOutbreak(rng, s.counts.model(), start, double(rng.Between(4, 12)), kWeeks);
      if (outbreak.weekly.empty()) {
        continue;
      }
      s.counts.Add(outbreak);
      context.labels->Add(d.id, s.region, Week(start), Week(outbreak.weekly.rbegin()->first),
                          Frequency::kWeekly, "outbreak",
                          fmt::format("k={};cases={}", outbreak.k, outbreak.cases));
    }
  }
  return series;
}

std::vector<Revision> PlanRevisions(std::uint64_t seed, std::size_t series_count) {
  Rng rng(seed, "health/revisions");
  std::vector<Revision> revisions;
  while (revisions.size() < kRevisions) {
    const Revision r{rng.Below(series_count), rng.Between(kWeeks - kRevisionWeeks, kWeeks - 1)};
    bool seen = false;
    for (const Revision& other : revisions) {
      seen = seen || (other.series == r.series && other.week == r.week);
    }
    if (!seen) {
      revisions.push_back(r);
    }
  }
  return revisions;
}

Status WriteRevisions(ScenarioContext& context, const std::vector<NamedSeries>& series,
                      const std::vector<Revision>& revisions) {
  VIGIL_ASSIGN_OR_RETURN(ObservationFile file,
                         ObservationFile::Create(context, "revisions.csv", "health-revisions"));
  Rng rng(context.seed, "health/revisions/values");
  for (const Revision& r : revisions) {
    const NamedSeries& s = series[r.series];
    const std::int64_t revised = r.value + 1 + Poisson(rng, 0.3 * double(r.value) + 1);
    file.Add(s.indicator, s.region, file.Time(Week(r.week), Frequency::kWeekly),
             fmt::format("{}", revised), s.denominator);
  }
  context.observations += file.count();
  return file.Close();
}

}  // namespace

void AddHealthCatalogue(WorkspaceSpec& spec) {
  spec.domains.push_back({.id = "health", .name = "Public health", .cap_category = "Health"});
  spec.policies.push_back({.id = "outbreak",
                           .hazard = "infectious-disease",
                           .score_cut_points = {1.0, 2.0, 4.0, 8.0},
                           .demote_after = std::chrono::weeks(2),
                           .expire_after = std::chrono::weeks(4),
                           .urgency = "Expected",
                           .certainty = "Likely"});
  for (const Disease& d : kDiseases) {
    spec.indicators.push_back(
        {.id = d.id,
         .name = d.name,
         .domain = "health",
         .unit = "cases",
         .frequency = Frequency::kWeekly,
         .direction = Direction::kHigherIsWorse,
         .value_kind = ValueKind::kCount,
         .allowed_lateness = std::chrono::weeks(2),
         .detectors = {Detector("farrington-flexible", {{"b", "5"},
                                                        {"w", "3"},
                                                        {"alpha", "0.01"},
                                                        {"thresholdMethod", "nbPlugin"}}),
                       Detector("ears-c2", {{"minSigma", "1"}})},
         .policy = "outbreak"});
  }
  spec.sources.push_back(FileSource("health-weekly", "health-weekly.csv"));
  spec.sources.push_back(FileSource("health-revisions", "revisions.csv"));
}

Status WriteHealth(ScenarioContext& context, const Geography& geo) {
  std::vector<NamedSeries> series = PlanSeries(context, geo);
  std::vector<Revision> revisions = PlanRevisions(context.seed, series.size());
  const auto remember_first_report = [&revisions](std::size_t i, std::int64_t week,
                                                  std::int64_t value) {
    for (Revision& r : revisions) {
      if (r.series == i && r.week == week) {
        r.value = value;
      }
    }
  };
  VIGIL_RETURN_IF_ERROR(WriteWeeklyCounts(context, "health-weekly.csv", "health-weekly", Week(0),
                                          kWeeks, series, remember_first_report));
  return WriteRevisions(context, series, revisions);
}

}  // namespace vigil::sim
