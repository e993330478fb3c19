#include "simulate/counts.h"

#include <cmath>
#include <numbers>

namespace vigil::sim {

double SeasonalNb::Mean(std::int64_t t) const {
  double eta = theta + beta * static_cast<double>(t);
  for (int j = 1; j <= harmonics; ++j) {
    const double angle = 2 * std::numbers::pi * j * static_cast<double>(t) / 52;
    eta += gamma1 * std::cos(angle) + gamma2 * std::sin(angle);
  }
  return std::exp(eta);
}

double SeasonalNb::Sd(std::int64_t t) const { return std::sqrt(phi * Mean(t)); }

Outbreak PlanOutbreak(Rng& rng, const SeasonalNb& model, std::int64_t start, double k,
                      std::int64_t weeks) {
  Outbreak outbreak{.start = start, .k = k};
  outbreak.cases = Poisson(rng, k * model.Sd(start + 1));
  for (std::int64_t i = 0; i < outbreak.cases; ++i) {
    const auto delay = static_cast<std::int64_t>(std::floor(LogNormal(rng, 0, 0.5)));
    if (start + delay < weeks) {
      ++outbreak.weekly[start + delay];
    }
  }
  return outbreak;
}

void CountSeries::Add(const Outbreak& outbreak) {
  for (const auto& [week, cases] : outbreak.weekly) {
    extra_[week] += cases;
  }
}

std::int64_t CountSeries::Baseline(std::int64_t week) {
  return NegativeBinomial(rng_, model_.Mean(week + 1), model_.phi);
}

std::int64_t CountSeries::Extra(std::int64_t week) const {
  const auto it = extra_.find(week);
  return it == extra_.end() ? 0 : it->second;
}

void SetSeason(SeasonalNb& model, double amplitude, double peak_week) {
  const double phase = 2 * std::numbers::pi * peak_week / 52;
  model.gamma1 = amplitude * std::cos(phase);
  model.gamma2 = amplitude * std::sin(phase);
  model.harmonics = 1;
}

}  // namespace vigil::sim
