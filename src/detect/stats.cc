#include "detect/stats.h"

#include <limits>

namespace vigil {

double RMean(std::span<const double> values) {
  if (values.empty()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  // R accumulates in long double and adds the mean residual, as here.
  long double sum = 0;
  for (double v : values) {
    sum += v;
  }
  const long double n = static_cast<long double>(values.size());
  long double mean = sum / n;
  if (std::isfinite(static_cast<double>(mean))) {
    long double residual = 0;
    for (double v : values) {
      residual += v - mean;
    }
    mean += residual / n;
  }
  return static_cast<double>(mean);
}

double RSd(std::span<const double> values, double mean) {
  if (values.size() < 2 || std::isnan(mean)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  long double sum_sq = 0;
  for (double v : values) {
    const long double d = v - static_cast<long double>(mean);
    sum_sq += d * d;
  }
  return std::sqrt(static_cast<double>(sum_sq / static_cast<long double>(values.size() - 1)));
}

namespace {

double Polynomial(const double* c, int n, double x) {
  double r = c[n - 1];
  for (int i = n - 2; i >= 0; --i) {
    r = r * x + c[i];
  }
  return r;
}

// Coefficients of AS 241 (PPND16), lowest order first.
constexpr double kA[8] = {3.387132872796366608,  133.14166789178437745, 1971.5909503065514427,
                          13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
                          33430.575583588128105, 2509.0809287301226727};
constexpr double kB[8] = {1.0,
                          42.313330701600911252,
                          687.1870074920579083,
                          5394.1960214247511077,
                          21213.794301586595867,
                          39307.89580009271061,
                          28729.085735721942674,
                          5226.495278852545925};
constexpr double kC[8] = {1.42343711074968357734,   4.6303378461565452959,   5.7694972214606914055,
                          3.64784832476320460504,   1.27045825245236838258,  0.24178072517745061177,
                          0.0227238449892691845833, 7.7454501427834140764e-4};
constexpr double kD[8] = {1.0,
                          2.05319162663775882187,
                          1.6763848301838038494,
                          0.68976733498510000455,
                          0.14810397642748007459,
                          0.0151986665636164571966,
                          5.475938084995344946e-4,
                          1.05075007164441684324e-9};
constexpr double kE[8] = {6.6579046435011037772,     5.4637849111641143699,
                          1.7848265399172913358,     0.29656057182850489123,
                          0.026532189526576123093,   0.0012426609473880784386,
                          2.71155556874348757815e-5, 2.01033439929228813265e-7};
constexpr double kF[8] = {1.0,
                          0.59983220655588793769,
                          0.13692988092273580531,
                          0.0148753612908506148525,
                          7.868691311456132591e-4,
                          1.8463183175100546818e-5,
                          1.4215117583164458887e-7,
                          2.04426310338993978564e-15};

}  // namespace

double NormalQuantile(double p) {
  if (!(p > 0 && p < 1)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q * Polynomial(kA, 8, r) / Polynomial(kB, 8, r);
  }
  double r = std::sqrt(-std::log(q < 0 ? p : 1 - p));
  double value;
  if (r <= 5) {
    r -= 1.6;
    value = Polynomial(kC, 8, r) / Polynomial(kD, 8, r);
  } else {
    r -= 5;
    value = Polynomial(kE, 8, r) / Polynomial(kF, 8, r);
  }
  return q < 0 ? -value : value;
}

}  // namespace vigil
