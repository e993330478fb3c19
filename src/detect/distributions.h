// Distribution functions the Farrington detectors need, with R's semantics
// (the R names in brackets), on Boost.Math's incomplete beta and gamma
// functions. None throws: arguments outside a function's domain give NaN.
#pragma once

namespace vigil {

// Two-sided p-value of a t statistic with `df` degrees of freedom:
// 2 * pt(-|t|, df).
double StudentTTwoSidedP(double t, double df);

// Smallest x >= 0 with P(X <= x) >= p for X ~ Poisson(lambda) [qpois(p, lambda)].
// As R, p is fuzzed down by 64 DBL_EPSILON so that an exact hit is not missed
// by rounding. Infinity for p >= 1, NaN for lambda < 0 or p outside [0, 1].
double PoissonQuantile(double p, double lambda);

// The same for the negative binomial with `size` > 0 and success probability
// `prob` in (0, 1] [qnbinom(p, size, prob)]: mean size (1 - prob) / prob.
double NegativeBinomialQuantile(double p, double size, double prob);

}  // namespace vigil
