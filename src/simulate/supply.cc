// Supply: daily retail prices of rice and diesel per province over three
// years: a geometric random walk with mild seasonality, and two or three
// shocks (sudden jumps of 20-40% that persist or decay). A diesel shock hits
// every province at once; a rice shock hits one province.
#include <fmt/format.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "simulate/domains.h"

namespace vigil::sim {
namespace {

constexpr std::int64_t kDays = 1096;  // 2022-01-01 to 2024-12-31

struct Commodity {
  const char* indicator;
  const char* name;
  const char* unit;
  double price_lo;  // starting price range
  double price_hi;
  double volatility;          // daily sd of the log price
  double season;              // log-amplitude of the yearly cycle
  double peak_day;            // day of the year prices peak
  bool national;              // shocks hit every province
  const char* change_levels;  // weekly price change limits, blue..red
};
constexpr Commodity kCommodities[] = {
    {"rice-price", "Retail price of rice", "LKD/kg", 1.10, 1.30, 0.004, 0.04, 250, false,
     "0.1,0.15,0.2,0.3"},
    {"diesel-price", "Retail price of diesel", "LKD/l", 1.45, 1.65, 0.007, 0.02, 20, true,
     "0.12,0.2,0.3,0.45"},
};

Timestamp Day(std::int64_t index) { return At("2022-01-01") + std::chrono::days(index); }

struct Shock {
  std::int64_t start = 0;
  double jump = 0;       // relative, e.g. 0.3 for +30%
  double half_life = 0;  // days; 0: the jump persists
  double LogEffect(std::int64_t day) const {
    if (day < start) {
      return 0;
    }
    const double decay = half_life > 0 ? std::exp2(-double(day - start) / half_life) : 1;
    return std::log1p(jump) * decay;
  }
  // Persistent shocks last to the end; decaying ones until under 10% of the jump.
  std::int64_t End() const {
    return half_life > 0 ? std::min(kDays - 1, start + std::int64_t(half_life * std::log2(10.0)))
                         : kDays - 1;
  }
};

struct PriceSeries {
  const Commodity* commodity;
  std::string region;
  Rng rng;
  double log_price = 0;
  std::vector<Shock> shocks;

  double Price(std::int64_t day) {
    log_price += Normal(rng, 0.00005, commodity->volatility);
    const double day_of_year = double(day % 365);
    double log_p =
        log_price + commodity->season *
                        std::cos(2 * std::numbers::pi * (day_of_year - commodity->peak_day) / 365);
    for (const Shock& s : shocks) {
      log_p += s.LogEffect(day);
    }
    return std::exp(log_p);
  }
};

// Shock i starts in the i-th third of the period (after a first half year), so
// no two overlap in one series.
void PlanShocks(ScenarioContext& context, std::vector<PriceSeries>& series, std::size_t provinces) {
  Rng rng(context.seed, "supply/shocks");
  const std::int64_t count = rng.Between(2, 3);
  const std::int64_t span = (kDays - 240) / count;
  for (std::int64_t i = 0; i < count; ++i) {
    const std::size_t c = rng.Below(std::size(kCommodities));
    const Shock shock{.start = 180 + i * span + rng.Between(0, span - 60),
                      .jump = rng.Uniform(0.2, 0.4),
                      .half_life = rng.Uniform() < 0.5 ? 0 : rng.Uniform(30, 90)};
    const std::size_t first = c * provinces;
    const std::size_t one = first + rng.Below(provinces);
    for (std::size_t s = first; s < first + provinces; ++s) {
      if (!kCommodities[c].national && s != one) {
        continue;
      }
      series[s].shocks.push_back(shock);
      context.labels->Add(
          kCommodities[c].indicator, series[s].region, Day(shock.start), Day(shock.End()),
          Frequency::kDaily, "price-shock",
          fmt::format("jump=+{:.0f}%;{}", shock.jump * 100,
                      shock.half_life > 0 ? fmt::format("half_life={:.0f}d", shock.half_life)
                                          : std::string("persistent")));
    }
  }
}

}  // namespace

void AddSupplyCatalogue(WorkspaceSpec& spec) {
  spec.domains.push_back(
      {.id = "supply", .name = "Food and energy supply", .cap_category = "Infra"});
  spec.policies.push_back({.id = "price-shock",
                           .hazard = "supply-disruption",
                           .score_cut_points = {1.0, 2.0, 3.0, 4.0},
                           .demote_after = std::chrono::days(7),
                           .expire_after = std::chrono::days(14),
                           .urgency = "Future",
                           .certainty = "Possible"});
  for (const Commodity& c : kCommodities) {
    spec.indicators.push_back(
        {.id = c.indicator,
         .name = c.name,
         .domain = "supply",
         .unit = c.unit,
         .frequency = Frequency::kDaily,
         .direction = Direction::kHigherIsWorse,
         .value_kind = ValueKind::kLevel,
         .allowed_lateness = std::chrono::days(1),
         .detectors = {Detector("anomaly", {{"learning_period", "180"}}),
                       Detector("threshold",
                                {{"levels", c.change_levels}, {"on", "change"}, {"window", "7"}})},
         .policy = "price-shock"});
  }
  spec.sources.push_back(FileSource("market-prices", "prices.csv"));
}

Status WriteSupply(ScenarioContext& context, const Geography& geo) {
  std::vector<PriceSeries> series;
  for (const Commodity& c : kCommodities) {
    for (std::size_t p : geo.provinces) {
      const std::string& code = geo.regions[p].code;
      Rng rng(context.seed, fmt::format("supply/{}/{}", c.indicator, code));
      const double start = std::log(rng.Uniform(c.price_lo, c.price_hi));
      series.push_back({.commodity = &c, .region = code, .rng = rng, .log_price = start});
    }
  }
  PlanShocks(context, series, geo.provinces.size());
  VIGIL_ASSIGN_OR_RETURN(ObservationFile file,
                         ObservationFile::Create(context, "prices.csv", "market-prices"));
  for (std::int64_t day = 0; day < kDays; ++day) {
    const std::string time = file.Time(Day(day), Frequency::kDaily);
    for (PriceSeries& s : series) {
      file.Add(s.commodity->indicator, s.region, time, fmt::format("{:.3f}", s.Price(day)));
    }
  }
  context.observations += file.count();
  context.series += static_cast<std::int64_t>(series.size());
  return file.Close();
}

}  // namespace vigil::sim
