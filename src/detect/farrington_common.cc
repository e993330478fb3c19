#include "detect/farrington_common.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "detect/distributions.h"

namespace vigil {
namespace {

// Fits the workspace's rows with or without the trend column.
bool FitOnce(FarringtonWorkspace& ws, bool trend, std::span<const double> prior) {
  const std::span<const double> x(ws.x.data(), ws.rows * ws.columns);
  return trend ? ws.glm.Fit(x, ws.columns, ws.y, prior, ws.offset)
               : ws.glm.Fit(x.subspan(ws.rows), ws.columns - 1, ws.y, prior, ws.offset);
}

// algo.farrington.assign.weights applied to the Anscombe residuals of the
// current fit (anscombe.residuals), into ws.omega.
void AnscombeWeights(FarringtonWorkspace& ws, double phi, double threshold) {
  const PoissonGlm& glm = ws.glm;
  double inverse_sum = 0;
  for (std::size_t i = 0; i < ws.rows; ++i) {
    const double mu = glm.fitted(i);
    const double s = 1.5 *
                     (std::pow(ws.y[i], 2.0 / 3.0) * std::pow(mu, -1.0 / 6.0) - std::sqrt(mu)) /
                     std::sqrt(phi * (1 - glm.Hat(i)));
    ws.omega[i] = s > threshold ? std::pow(s, -2.0) : -1.0;  // -1: below the threshold
    inverse_sum += s > threshold ? ws.omega[i] : 1.0;
  }
  const double gamma = static_cast<double>(ws.rows) / inverse_sum;
  for (double& omega : ws.omega) {
    omega = omega < 0 ? gamma : gamma * omega;
  }
}

// algo.farrington.fitGLM.fast / .flexible: the (re)weighted quasi-Poisson fit.
// Sets model.trend (false when the fit with trend did not converge), model.phi
// and model.se_dispersion (the dispersion summary() would report).
bool FitReweighted(FarringtonWorkspace& ws, bool trend, const FarringtonModelOptions& options,
                   FarringtonModel& model) {
  if (!FitOnce(ws, trend, ws.ones)) {
    return false;
  }
  if (!ws.glm.converged() && trend) {
    trend = false;
    if (!FitOnce(ws, trend, ws.ones)) {
      return false;
    }
  }
  if (!ws.glm.converged() && options.require_convergence) {
    return false;
  }
  model.trend = trend;
  model.phi = std::max(ws.glm.WorkingDispersion(), 1.0);
  model.se_dispersion = ws.glm.WorkingDispersion();
  if (options.reweight) {
    AnscombeWeights(ws, model.phi, options.weights_threshold);
    if (!FitOnce(ws, trend, ws.omega)) {
      return false;
    }
    model.phi = std::max(ws.glm.WorkingDispersion(), 1.0);
    model.se_dispersion = options.dispersion_from_prior_weights ? ws.glm.Dispersion(ws.omega)
                                                                : ws.glm.WorkingDispersion();
  }
  return !std::isnan(model.phi);
}

std::span<const double> PredictionRow(const FarringtonWorkspace& ws, bool trend) {
  const std::span<const double> x0(ws.x0);
  return trend ? x0 : x0.subspan(1);
}

// The trend survives when b >= 3, it is significant and the prediction does not
// extrapolate beyond the largest reference value.
bool KeepTrend(const FarringtonWorkspace& ws, const FarringtonModelOptions& options,
               const FarringtonModel& model) {
  const PoissonGlm& glm = ws.glm;
  const double mu =
      std::max(std::exp(glm.LinearPredictor(PredictionRow(ws, true)) + ws.offset0), DBL_EPSILON);
  const double largest = *std::max_element(ws.y.begin(), ws.y.end());
  if (options.b < 3 || !(mu <= largest)) {
    return false;  // the p-value need not be computed
  }
  double unit[PoissonGlm::kMaxColumns] = {1.0};
  const double se = std::sqrt(glm.UnscaledVariance(std::span<const double>(unit, ws.columns)) *
                              model.se_dispersion);
  const double p =
      StudentTTwoSidedP(glm.coefficient(0) / se, static_cast<double>(glm.df_residual()));
  return p < options.p_threshold_trend;
}

}  // namespace

PowerTransform ParsePowerTransform(std::string_view text) {
  if (text == "none") {
    return PowerTransform::kNone;
  }
  return text == "1/2" ? PowerTransform::kHalf : PowerTransform::kTwoThirds;
}

double PowerUpperBound(double mu0, double se_fit, double phi, PowerTransform transform, double z) {
  const double tau = phi + (se_fit * se_fit) / mu0;
  switch (transform) {
    case PowerTransform::kNone:
      return mu0 + z * std::sqrt(mu0 * tau);
    case PowerTransform::kHalf: {
      const double root = std::sqrt(mu0) + z * std::sqrt(1.0 / 4.0 * tau);
      return root * root;
    }
    case PowerTransform::kTwoThirds:
      break;
  }
  const double sd = std::sqrt(4.0 / 9.0 * std::pow(mu0, 1.0 / 3.0) * tau);
  return std::pow(std::pow(mu0, 2.0 / 3.0) + z * sd, 1.5);
}

void FarringtonWorkspace::Reset(std::size_t n, std::size_t p) {
  rows = n;
  columns = p;
  x.assign(n * p, 0.0);
  y.resize(n);
  offset.assign(n, 0.0);
  ones.assign(n, 1.0);
  omega.resize(n);
  x0.assign(p, 0.0);
  offset0 = 0;
}

void FarringtonWorkspace::SetRow(std::size_t row, double time, double value, double offset_value) {
  x[row] = time;
  x[rows + row] = 1.0;
  y[row] = value;
  offset[row] = offset_value;
}

FarringtonModel FitFarringtonModel(FarringtonWorkspace& ws, const FarringtonModelOptions& options,
                                   bool se_with_phi) {
  FarringtonModel model;
  if (ws.rows == 0 || !FitReweighted(ws, options.trend, options, model)) {
    return model;
  }
  if (model.trend && !KeepTrend(ws, options, model)) {
    if (!FitReweighted(ws, false, options, model)) {
      return model;
    }
  }
  const std::span<const double> x0 = PredictionRow(ws, model.trend);
  model.eta0 = ws.glm.LinearPredictor(x0) + ws.offset0;
  model.mu0 = std::max(std::exp(model.eta0), DBL_EPSILON);
  const double dispersion = se_with_phi ? model.phi : model.se_dispersion;
  model.se_link = std::sqrt(ws.glm.UnscaledVariance(x0) * dispersion);
  model.ok = !std::isnan(model.mu0) && !std::isnan(model.se_link);
  return model;
}

Result<Limit54> ParseLimit54(const ParamSet& params) {
  const std::vector<double> values = params.GetList("limit54");
  if (values.size() != 2 || !(values[0] >= 0) || !(values[1] >= 1) ||
      values[1] != std::floor(values[1])) {
    return InvalidArgument(
        "parameter limit54: expected two numbers CASES,PERIODS with CASES >= 0 and PERIODS a "
        "whole number >= 1 (e.g. 5,4)");
  }
  return Limit54{values[0], static_cast<int>(values[1])};
}

double RecentSum(std::span<const Point> series, std::size_t t, int periods) {
  const std::size_t first = t + 1 >= static_cast<std::size_t>(periods) ? t + 1 - periods : 0;
  double sum = 0;
  for (std::size_t i = first; i <= t; ++i) {
    sum += series[i].value;
  }
  return sum;
}

}  // namespace vigil
