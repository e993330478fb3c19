// Small numeric helpers shared by the detectors, written to reproduce R's
// arithmetic (so results match the `surveillance` package to the last digits
// that matter): NaN-propagating max, R's two-pass mean and sd, qnorm.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>

namespace vigil {

// R's pmax(a, b) for one pair: NaN when either is NaN (std::max would not).
inline double RMax(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) {
    return a + b;
  }
  return a < b ? b : a;
}

// R's mean(): NaN when any value is NaN; a second pass corrects rounding.
double RMean(std::span<const double> values);
// R's sd() (denominator n - 1): NaN when any value is NaN or fewer than 2.
double RSd(std::span<const double> values, double mean);

// The standard normal quantile, R's qnorm(p) (Wichura's AS 241, 1e-16 relative).
// NaN unless 0 < p < 1.
double NormalQuantile(double p);

// Count, mean and standard deviation of a growing sample in O(1) state
// (trivially copyable, so it can live in a detector's state bytes). Mean() is
// sum / n, exact for counts as R's mean(); Sd() uses Welford's update.
struct RunningMoments {
  std::int64_t n = 0;
  double sum = 0;
  double welford_mean = 0;
  double m2 = 0;

  void Add(double x) {
    ++n;
    sum += x;
    const double delta = x - welford_mean;
    welford_mean += delta / static_cast<double>(n);
    m2 += delta * (x - welford_mean);
  }
  // NaN when empty.
  double Mean() const { return n > 0 ? sum / static_cast<double>(n) : std::nan(""); }
  // Sample standard deviation (n - 1); NaN when n < 2.
  double Sd() const { return n > 1 ? std::sqrt(m2 / static_cast<double>(n - 1)) : std::nan(""); }
};

}  // namespace vigil
