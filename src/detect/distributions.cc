#include "detect/distributions.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cfloat>
#include <cmath>
#include <limits>

namespace vigil {
namespace {

namespace bmp = boost::math::policies;
// Errors as values: Boost returns NaN or infinity instead of throwing.
using NoThrow =
    bmp::policy<bmp::domain_error<bmp::ignore_error>, bmp::pole_error<bmp::ignore_error>,
                bmp::overflow_error<bmp::ignore_error>, bmp::evaluation_error<bmp::ignore_error>>;
// The trend test only compares the p-value with a threshold: double precision
// internally (Boost would otherwise promote to long double, several times slower).
using FastNoThrow =
    bmp::policy<bmp::domain_error<bmp::ignore_error>, bmp::pole_error<bmp::ignore_error>,
                bmp::overflow_error<bmp::ignore_error>, bmp::evaluation_error<bmp::ignore_error>,
                bmp::promote_double<false>>;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The smallest x >= 0 with cdf(x) >= p, searched from a normal approximation
// with the given mean and variance (cdf is nondecreasing).
template <typename Cdf>
double DiscreteQuantile(double p, double mean, double variance, Cdf cdf) {
  const double target = p * (1 - 64 * DBL_EPSILON);
  const double z = std::sqrt(2.0) * boost::math::erfc_inv(2 * (1 - p), NoThrow());
  double x = std::max(0.0, std::floor(mean + z * std::sqrt(variance)));
  if (cdf(x) >= target) {
    while (x > 0 && cdf(x - 1) >= target) {
      x -= 1;
    }
    return x;
  }
  while (cdf(x) < target) {
    x += 1;
  }
  return x;
}

}  // namespace

double StudentTTwoSidedP(double t, double df) {
  if (std::isnan(t) || !(df > 0)) {
    return std::nan("");
  }
  const boost::math::students_t_distribution<double, FastNoThrow> distribution(df);
  return 2 * boost::math::cdf(distribution, -std::fabs(t));
}

double PoissonQuantile(double p, double lambda) {
  if (std::isnan(p) || std::isnan(lambda) || lambda < 0 || p < 0 || p > 1) {
    return std::nan("");
  }
  if (p + 1.01 * DBL_EPSILON >= 1) {
    return kInfinity;
  }
  if (lambda == 0) {
    return 0;
  }
  return DiscreteQuantile(p, lambda, lambda, [lambda](double x) {
    return boost::math::gamma_q(x + 1, lambda, NoThrow());
  });
}

double NegativeBinomialQuantile(double p, double size, double prob) {
  if (std::isnan(p) || std::isnan(size) || std::isnan(prob) || !(size > 0) || !(prob > 0) ||
      prob > 1 || p < 0 || p > 1) {
    return std::nan("");
  }
  if (p + 1.01 * DBL_EPSILON >= 1) {
    return kInfinity;
  }
  if (prob == 1) {
    return 0;
  }
  const double mean = size * (1 - prob) / prob;
  return DiscreteQuantile(p, mean, mean / prob, [size, prob](double x) {
    return boost::math::ibeta(size, x + 1, prob, NoThrow());
  });
}

}  // namespace vigil
