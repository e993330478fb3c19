// What the classic and the flexible Farrington detectors share, as the R
// package `surveillance` (1.20.3) shares it between algo.farrington() and
// farringtonFlexible():
//
// - the quasi-Poisson model of the reference values (algo.farrington.fitGLM*):
//   fit, phi = max(dispersion, 1), and with `reweight` the Anscombe residuals
//   s_i = 3/2 (y^(2/3) mu^(-1/6) - mu^(1/2)) / sqrt(phi (1 - h_i)), weights
//   gamma / s_i^2 above `weights_threshold` and gamma below, gamma making them
//   average 1, and a refit with those weights;
// - dropping the trend unless b >= 3, its p-value is below a threshold and the
//   prediction does not exceed the largest reference value;
// - the power-transformed upper bound (algo.farrington.threshold):
//   tau = phi + se^2 / mu0, U = (mu0^e + z * sd_e)^(1/e) with sd_e the delta
//   method's standard deviation of y^e (e = 1, 1/2 or 2/3).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "detect/detector.h"
#include "detect/glm.h"

namespace vigil {

enum class PowerTransform { kNone, kHalf, kTwoThirds };

// "none", "1/2", "2/3" (surveillance's powertrans); kTwoThirds otherwise.
PowerTransform ParsePowerTransform(std::string_view text);

// U = (mu0^e + z * sd_e)^(1/e) for a prediction mu0 with standard error
// `se_fit` (response scale) under dispersion phi.
double PowerUpperBound(double mu0, double se_fit, double phi, PowerTransform transform, double z);

// The reference data of one evaluation and the model fitted to it. Column 0 of
// the design is the time trend, column 1 the intercept, then any seasonal
// factor columns, so the design without trend is the same buffer from column 1.
// Reused across evaluations (allocation only when it grows); one per thread.
struct FarringtonWorkspace {
  std::size_t rows = 0;
  std::size_t columns = 0;  // including the trend column
  std::vector<double> x;    // column-major rows x columns
  std::vector<double> y, offset, ones, omega;
  std::vector<double> x0;  // the evaluated period's design row
  double offset0 = 0;      // and its offset
  PoissonGlm glm;

  // Sizes the buffers for `n` rows and `p` columns (x zeroed, offsets 0);
  // then each row is filled with SetRow (and Set for factor columns).
  void Reset(std::size_t n, std::size_t p);
  void SetRow(std::size_t row, double time, double value, double offset_value);
  void Set(std::size_t row, std::size_t column, double v) { x[column * rows + row] = v; }
};

struct FarringtonModelOptions {
  bool trend = true;
  bool reweight = true;
  double weights_threshold = 1;
  // farringtonFlexible gives up when neither fit converges; algo.farrington
  // uses the last fit anyway.
  bool require_convergence = false;
  // farringtonFlexible's summary() reads model$weights after it was replaced
  // by the reweighting weights: its trend test and prediction standard error
  // use sum(omega * r^2) / df instead of the working-weight dispersion.
  bool dispersion_from_prior_weights = false;
  int b = 5;
  double p_threshold_trend = 0.05;
};

struct FarringtonModel {
  bool ok = false;
  bool trend = false;
  double phi = 0;      // max(dispersion, 1)
  double eta0 = 0;     // linear predictor at the evaluated period
  double mu0 = 0;      // exp(eta0)
  double se_link = 0;  // standard error of eta0, with `se_dispersion`
  double se_dispersion = 0;
};

// Fits the model (and decides the trend) on the workspace's rows; the
// prediction is for the workspace's x0. ok false: no usable fit (too few
// reference values, a rank-deficient design, or no convergence when required).
// `se_with_phi`: the standard error uses phi (algo.farrington passes it to
// predict.glm) rather than the model's dispersion (farringtonFlexible).
FarringtonModel FitFarringtonModel(FarringtonWorkspace& ws, const FarringtonModelOptions& options,
                                   bool se_with_phi);

// The limit54 rule: no alarm unless at least `cases` were observed in the last
// `periods` periods (the evaluated one included).
struct Limit54 {
  double cases = 5;
  int periods = 4;
};

// Reads the `limit54` parameter. Errors: not two numbers, cases < 0, periods
// not a whole number >= 1.
Result<Limit54> ParseLimit54(const ParamSet& params);

// Sum of the values of the last `periods` periods up to and including t (from
// the first period when t is younger), NaN when one is missing: the limit54
// rule's count.
double RecentSum(std::span<const Point> series, std::size_t t, int periods);

}  // namespace vigil
