#include "detect/glm.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace vigil {
namespace {

// R's poisson()$linkinv and $mu.eta: exp(eta), floored at DBL_EPSILON.
double ExpFloored(double eta) { return std::max(std::exp(eta), DBL_EPSILON); }

// glm.fit's tolerance for declaring a column linearly dependent (dqrdc2).
constexpr double kRankTolerance = 1e-11;

}  // namespace

bool PoissonGlm::Fit(std::span<const double> x, std::size_t columns, std::span<const double> y,
                     std::span<const double> prior_weights, std::span<const double> offset) {
  if (columns == 0 || columns > kMaxColumns || x.size() != y.size() * columns) {
    return false;
  }
  Start(x, columns, y, prior_weights, offset);
  double deviance_old = Deviance();
  converged_ = false;
  for (int iteration = 0; iteration < kMaxIterations && !converged_; ++iteration) {
    if (!Iterate()) {
      return false;
    }
    const double deviance = Deviance();
    converged_ = std::fabs(deviance - deviance_old) / (std::fabs(deviance) + 0.1) < kEpsilon;
    deviance_old = deviance;
  }
  for (std::size_t i = 0; i < y_.size(); ++i) {
    working_[i] = w_[i] * w_[i];
  }
  return true;
}

void PoissonGlm::Start(std::span<const double> x, std::size_t columns, std::span<const double> y,
                       std::span<const double> prior_weights, std::span<const double> offset) {
  const std::size_t n = y.size();
  x_ = x;
  columns_ = columns;
  y_.assign(y.begin(), y.end());
  prior_.assign(prior_weights.begin(), prior_weights.end());
  offset_.assign(n, 0.0);
  std::copy(offset.begin(), offset.end(), offset_.begin());
  eta_.resize(n);
  mu_.resize(n);
  z_.resize(n);
  w_.resize(n);
  working_.resize(n);
  std::ptrdiff_t rows_ok = 0;
  for (std::size_t i = 0; i < n; ++i) {
    eta_[i] = std::log(y_[i] + 0.1);  // family$initialize: mustart = y + 0.1
    mu_[i] = ExpFloored(eta_[i]);
    rows_ok += prior_[i] > 0 ? 1 : 0;
  }
  df_residual_ = rows_ok - static_cast<std::ptrdiff_t>(columns);
}

bool PoissonGlm::Iterate() {
  const std::size_t n = y_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double mu_eta = mu_[i];  // mu.eta(eta) = linkinv(eta) for the log link
    z_[i] = eta_[i] - offset_[i] + (y_[i] - mu_[i]) / mu_eta;
    w_[i] = prior_[i] > 0 ? std::sqrt(prior_[i] * mu_eta * mu_eta / mu_[i]) : 0.0;
  }
  if (!SolveWeightedLeastSquares()) {
    return false;
  }
  for (std::size_t i = 0; i < n; ++i) {
    double eta = offset_[i];
    for (std::size_t j = 0; j < columns_; ++j) {
      eta += x_[j * n + i] * beta_[j];
    }
    eta_[i] = eta;
    mu_[i] = ExpFloored(eta);
  }
  return true;
}

// Householder QR of diag(w) X, then R beta = Q' (w z).
bool PoissonGlm::SolveWeightedLeastSquares() {
  const std::size_t n = y_.size();
  const std::size_t p = columns_;
  qr_.resize(n * p);
  r_.assign(p * p, 0.0);
  beta_.resize(p);
  for (std::size_t j = 0; j < p; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      qr_[j * n + i] = w_[i] * x_[j * n + i];
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    z_[i] *= w_[i];
  }
  for (std::size_t j = 0; j < p; ++j) {
    if (!HouseholderStep(j)) {
      return false;
    }
  }
  for (std::size_t jj = p; jj-- > 0;) {
    double sum = z_[jj];
    for (std::size_t k = jj + 1; k < p; ++k) {
      sum -= r_[k * p + jj] * beta_[k];
    }
    beta_[jj] = sum / r_[jj * p + jj];
  }
  return true;
}

// Zeroes column j below the diagonal with a reflection H = I - 2 v v' / v'v,
// applies it to the later columns and to z, and records row j of R.
bool PoissonGlm::HouseholderStep(std::size_t j) {
  const std::size_t n = y_.size();
  const std::size_t p = columns_;
  double* column = &qr_[j * n];
  double full = 0;  // the column's norm, which the earlier reflections kept
  double norm = 0;
  for (std::size_t i = 0; i < n; ++i) {
    full += column[i] * column[i];
    norm += i >= j ? column[i] * column[i] : 0.0;
  }
  norm = std::sqrt(norm);
  if (!(norm > kRankTolerance * std::sqrt(full))) {
    return false;  // linearly dependent on the earlier columns
  }
  const double alpha = column[j] > 0 ? -norm : norm;
  column[j] -= alpha;
  double vv = 0;
  for (std::size_t i = j; i < n; ++i) {
    vv += column[i] * column[i];
  }
  auto reflect = [&](double* target) {
    double dot = 0;
    for (std::size_t i = j; i < n; ++i) {
      dot += column[i] * target[i];
    }
    const double scale = 2 * dot / vv;
    for (std::size_t i = j; i < n; ++i) {
      target[i] -= scale * column[i];
    }
  };
  for (std::size_t k = j + 1; k < p; ++k) {
    reflect(&qr_[k * n]);
    r_[k * p + j] = qr_[k * n + j];
  }
  reflect(z_.data());
  r_[j * p + j] = alpha;
  return true;
}

double PoissonGlm::Deviance() const {
  double deviance = 0;
  for (std::size_t i = 0; i < y_.size(); ++i) {
    const double y = y_[i];
    const double mu = mu_[i];
    deviance += y > 0 ? prior_[i] * (y * std::log(y / mu) - (y - mu)) : mu * prior_[i];
  }
  return 2 * deviance;
}

double PoissonGlm::Dispersion(std::span<const double> weights) const {
  if (df_residual_ <= 0) {
    return std::nan("");
  }
  double sum = 0;
  for (std::size_t i = 0; i < y_.size(); ++i) {
    if (weights[i] > 0) {
      const double residual = working_residual(i);
      sum += weights[i] * residual * residual;
    }
  }
  return sum / static_cast<double>(df_residual_);
}

double PoissonGlm::BackSolveNorm(std::span<const double> a) const {
  const std::size_t p = columns_;
  solve_.resize(p);
  double norm2 = 0;
  for (std::size_t j = 0; j < p; ++j) {
    double sum = a[j];
    for (std::size_t k = 0; k < j; ++k) {
      sum -= r_[j * p + k] * solve_[k];
    }
    solve_[j] = sum / r_[j * p + j];
    norm2 += solve_[j] * solve_[j];
  }
  return norm2;
}

double PoissonGlm::Hat(std::size_t i) const {
  if (w_[i] == 0) {
    return 0;
  }
  double row[kMaxColumns];
  const std::size_t n = y_.size();
  for (std::size_t j = 0; j < columns_; ++j) {
    row[j] = w_[i] * x_[j * n + i];
  }
  const double hat = BackSolveNorm(std::span<const double>(row, columns_));
  return hat > 1 - 10 * DBL_EPSILON ? 1.0 : hat;
}

double PoissonGlm::UnscaledVariance(std::span<const double> x0) const { return BackSolveNorm(x0); }

double PoissonGlm::LinearPredictor(std::span<const double> x0) const {
  double eta = 0;
  for (std::size_t j = 0; j < columns_; ++j) {
    eta += x0[j] * beta_[j];
  }
  return eta;
}

}  // namespace vigil
