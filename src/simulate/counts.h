// Weekly count series in the style of Noufaily et al. (2013), "An improved
// algorithm for outbreak detection in multiple surveillance systems",
// Statistics in Medicine 32(7): a negative binomial baseline with trend and
// seasonality, and outbreaks whose cases are spread over the following weeks
// by a lognormal profile.
#pragma once

#include <cstdint>
#include <map>

#include "simulate/random.h"

namespace vigil::sim {

// mu(t) = exp(theta + beta t + sum_{j=1..harmonics} (gamma1 cos(2 pi j t / 52)
//                                                   + gamma2 sin(2 pi j t / 52)))
// with variance phi * mu(t); t is the 1-based week of the series.
struct SeasonalNb {
  double theta = 0;
  double beta = 0;
  double gamma1 = 0;
  double gamma2 = 0;
  int harmonics = 0;
  double phi = 1;

  double Mean(std::int64_t t) const;
  // Standard deviation sqrt(phi * mu(t)).
  double Sd(std::int64_t t) const;
};

// Outbreak cases per week index (0-based, only weeks with cases).
struct Outbreak {
  std::int64_t start = 0;
  double k = 0;            // size factor
  std::int64_t cases = 0;  // total cases drawn, including those after the series' end
  std::map<std::int64_t, std::int64_t> weekly;  // week index -> cases within the series
};

// Plans an outbreak starting at 0-based week `start` of a series of `weeks`
// weeks: cases ~ Poisson(k * sd at the start week), each case placed
// floor(LogNormal(0, 0.5)) weeks after the start (Noufaily et al.); cases
// beyond the series' end are dropped.
Outbreak PlanOutbreak(Rng& rng, const SeasonalNb& model, std::int64_t start, double k,
                      std::int64_t weeks);

// One series being generated week by week, with its own random stream and the
// outbreak cases planned into it.
class CountSeries {
 public:
  CountSeries(const SeasonalNb& model, Rng rng) : model_(model), rng_(rng) {}

  void Add(const Outbreak& outbreak);
  // The baseline count of 0-based week `week`, drawn now; weeks must be asked
  // in increasing order for reproducible draws.
  std::int64_t Baseline(std::int64_t week);
  // Outbreak cases planned for `week`.
  std::int64_t Extra(std::int64_t week) const;
  const SeasonalNb& model() const { return model_; }

 private:
  SeasonalNb model_;
  Rng rng_;
  std::map<std::int64_t, std::int64_t> extra_;
};

// gamma1, gamma2 of one harmonic with log-amplitude `amplitude` peaking at
// week `peak_week` of the 52-week cycle.
void SetSeason(SeasonalNb& model, double amplitude, double peak_week);

}  // namespace vigil::sim
