// Natural hazards: hourly river levels at six gauges over 120 days of autumn.
// Each level is a rising seasonal base, slow AR(1) noise and a small diurnal
// cycle, plus flood waves that rise fast and recede exponentially.
#include <fmt/format.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "simulate/domains.h"

namespace vigil::sim {
namespace {

constexpr std::int64_t kHours = 120 * 24;
constexpr std::size_t kGaugeDistricts[] = {0, 2, 5, 6, 9, 11};
constexpr double kLevels[] = {3.0, 3.5, 4.0, 4.5};  // metres at the gauge: blue..red
constexpr const char* kIndicator = "river-level";

Timestamp Hour(std::int64_t index) {
  return At("2024-09-02T00:00:00Z") + std::chrono::hours(index);
}

struct FloodWave {
  std::int64_t start = 0;  // hour index
  double rise_hours = 0;
  double peak = 0;       // metres above the base
  double recession = 0;  // e-folding time in hours

  double At(std::int64_t hour) const {
    const double x = double(hour - start);
    if (x < 0) {
      return 0;
    }
    if (x < rise_hours) {
      return peak * (1 - std::cos(std::numbers::pi * x / rise_hours)) / 2;
    }
    return peak * std::exp(-(x - rise_hours) / recession);
  }
  // The wave has ended when it has fallen below 5% of its peak.
  std::int64_t End() const {
    return start + std::int64_t(std::ceil(rise_hours + recession * std::log(20.0)));
  }
};

struct Gauge {
  std::size_t region;
  double base = 0;
  double noise = 0;
  Rng rng;
  std::vector<FloodWave> waves;

  double Level(std::int64_t hour) {
    noise = 0.97 * noise + Normal(rng, 0, 0.01);
    double level = base + 0.6 * double(hour) / kHours + noise +
                   0.03 * std::sin(2 * std::numbers::pi * double(hour % 24) / 24);
    for (const FloodWave& w : waves) {
      level += w.At(hour);
    }
    return std::max(level, 0.0);
  }
};

// Three or four flood waves, each at a different gauge.
void PlanWaves(ScenarioContext& context, std::vector<Gauge>& gauges, const Geography& geo) {
  Rng rng(context.seed, "rivers/waves");
  const std::int64_t count = rng.Between(3, 4);
  std::vector<std::size_t> order(gauges.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  for (std::int64_t w = 0; w < count; ++w) {
    std::swap(order[w], order[w + std::int64_t(rng.Below(order.size() - w))]);
    Gauge& gauge = gauges[order[w]];
    const FloodWave wave{.start = rng.Between(5 * 24, kHours - 15 * 24),
                         .rise_hours = rng.Uniform(12, 36),
                         .peak = rng.Uniform(2.2, 3.6),
                         .recession = rng.Uniform(36, 96)};
    gauge.waves.push_back(wave);
    context.labels->Add(kIndicator, geo.regions[gauge.region].code, Hour(wave.start),
                        Hour(std::min(wave.End(), kHours - 1)), Frequency::kHourly, "flood-wave",
                        fmt::format("peak_rise={:.2f}m;rise={:.0f}h", wave.peak, wave.rise_hours));
  }
}

}  // namespace

void AddRiverCatalogue(WorkspaceSpec& spec) {
  spec.domains.push_back(
      {.id = "natural-hazards", .name = "Natural hazards", .cap_category = "Met"});
  spec.policies.push_back({.id = "flood",
                           .hazard = "flood",
                           .score_cut_points = {1.0, 2.0, 3.0, 4.0},
                           .demote_after = std::chrono::hours(6),
                           .expire_after = std::chrono::hours(24),
                           .urgency = "Immediate",
                           .certainty = "Observed"});
  spec.indicators.push_back(
      {.id = kIndicator,
       .name = "River level at the gauge",
       .domain = "natural-hazards",
       .unit = "m",
       .frequency = Frequency::kHourly,
       .direction = Direction::kHigherIsWorse,
       .value_kind = ValueKind::kLevel,
       .allowed_lateness = std::chrono::hours(2),
       .detectors = {Detector(
           "threshold", {{"levels", fmt::format("{},{},{},{}", kLevels[0], kLevels[1], kLevels[2],
                                                kLevels[3])}})},
       .policy = "flood"});
  spec.sources.push_back(FileSource("river-gauges", "river-levels.csv"));
}

Status WriteRivers(ScenarioContext& context, const Geography& geo) {
  std::vector<Gauge> gauges;
  for (std::size_t d : kGaugeDistricts) {
    const std::size_t region = geo.districts[d];
    Rng rng(context.seed, "rivers/" + geo.regions[region].code);
    const double base = rng.Uniform(1.0, 1.6);
    gauges.push_back({.region = region, .base = base, .rng = rng});
  }
  PlanWaves(context, gauges, geo);
  VIGIL_ASSIGN_OR_RETURN(ObservationFile file,
                         ObservationFile::Create(context, "river-levels.csv", "river-gauges"));
  for (std::int64_t hour = 0; hour < kHours; ++hour) {
    const std::string time = file.Time(Hour(hour), Frequency::kHourly);
    for (Gauge& g : gauges) {
      file.Add(kIndicator, geo.regions[g.region].code, time, fmt::format("{:.3f}", g.Level(hour)));
    }
  }
  context.observations += file.count();
  context.series += static_cast<std::int64_t>(gauges.size());
  return file.Close();
}

}  // namespace vigil::sim
