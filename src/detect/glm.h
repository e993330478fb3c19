// A Poisson / quasi-Poisson GLM with log link, fitted by iteratively
// reweighted least squares exactly as R's glm.fit() does it, so that the
// Farrington detectors reproduce the R package `surveillance` to the last
// digits that matter:
//
//   start: mu = y + 0.1, eta = log(mu); deviance of that start;
//   each iteration: z = eta - offset + (y - mu) / mu, w = sqrt(prior * mu),
//   weighted least squares of z on X (Householder QR), eta = X beta + offset,
//   mu = max(exp(eta), DBL_EPSILON); converged when
//   |dev - dev_old| / (|dev| + 0.1) < 1e-8, at most 25 iterations.
//
// As in R, the QR factor and the working weights kept after the fit are those
// of the last iteration (computed from the mu before its update), and the
// working residuals use the final mu. Everything the Farrington methods read
// from R's glm object (summary.glm dispersion and covariance, hatvalues,
// predict.glm) is a method here.
//
// A PoissonGlm owns reusable buffers: after the first fit of a given size,
// refitting allocates nothing. Not thread-safe; use one per thread.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace vigil {

class PoissonGlm {
 public:
  static constexpr int kMaxIterations = 25;  // glm.control()$maxit
  static constexpr double kEpsilon = 1e-8;   // glm.control()$epsilon
  static constexpr std::size_t kMaxColumns = 64;

  // Fits y ~ X with prior weights and an optional offset. `x` is column-major,
  // rows() x columns, and borrowed: it must outlive the use of this fit;
  // `offset` empty for none. Rows with prior weight 0 do not
  // enter the fit. Returns false when the design is rank deficient or too wide
  // (columns > kMaxColumns); otherwise converged() says whether the
  // convergence criterion was met within kMaxIterations.
  bool Fit(std::span<const double> x, std::size_t columns, std::span<const double> y,
           std::span<const double> prior_weights, std::span<const double> offset);

  bool converged() const { return converged_; }
  std::size_t rows() const { return y_.size(); }
  std::size_t columns() const { return columns_; }
  double coefficient(std::size_t j) const { return beta_[j]; }
  double fitted(std::size_t i) const { return mu_[i]; }
  double response(std::size_t i) const { return y_[i]; }
  double prior_weight(std::size_t i) const { return prior_[i]; }
  // R's model$weights: the working weights of the last iteration.
  double working_weight(std::size_t i) const { return working_[i]; }
  // R's residuals(model, "working"): (y - mu) / mu.
  double working_residual(std::size_t i) const { return (y_[i] - mu_[i]) / mu_[i]; }
  // Rows with a positive prior weight minus the number of coefficients.
  std::ptrdiff_t df_residual() const { return df_residual_; }

  // summary.glm's dispersion, sum(weights * residual^2) / df_residual over the
  // rows whose weight is positive, with `weights` = working weights (R's
  // default) or any other per-row weights (R reads model$weights, which a
  // caller may have replaced). NaN when df_residual <= 0.
  double Dispersion(std::span<const double> weights) const;
  double WorkingDispersion() const { return Dispersion(working_); }
  // hatvalues(model): diagonal of the weighted hat matrix; 1 when within
  // 10 * DBL_EPSILON of 1, as lm.influence() rounds.
  double Hat(std::size_t i) const;
  // x0' (R'R)^-1 x0: the unscaled variance of x0' beta (covmat.unscaled).
  double UnscaledVariance(std::span<const double> x0) const;
  // x0' beta: the linear predictor without offset.
  double LinearPredictor(std::span<const double> x0) const;

 private:
  void Start(std::span<const double> x, std::size_t columns, std::span<const double> y,
             std::span<const double> prior_weights, std::span<const double> offset);
  // One IRLS step: working response and weights from the current mu, the
  // weighted least squares fit, the new eta and mu. False: rank deficient.
  bool Iterate();
  bool SolveWeightedLeastSquares();
  bool HouseholderStep(std::size_t j);
  double Deviance() const;
  // Solves R' v = a (a of length columns_) into `solve_`; returns ||v||^2.
  double BackSolveNorm(std::span<const double> a) const;

  std::size_t columns_ = 0;
  bool converged_ = false;
  std::ptrdiff_t df_residual_ = 0;
  std::span<const double> x_;
  std::vector<double> y_, prior_, offset_, eta_, mu_, z_, w_, working_;
  std::vector<double> qr_;  // weighted design, overwritten by Householder vectors
  std::vector<double> r_;   // columns_ x columns_ upper triangle, column-major
  std::vector<double> beta_;
  mutable std::vector<double> solve_;
};

}  // namespace vigil
