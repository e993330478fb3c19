// EARS C1, C2 and C3 (CDC Early Aberration Reporting System), exactly as the
// R package `surveillance` computes them in earsC() (version 1.20.3):
//
//   C1: baseline = the `baseline` periods just before t;
//   C2: the same with a guard band of two periods (t-baseline-2 .. t-3);
//   upperbound(t) = mean + qnorm(1 - alpha) * max(sd, minSigma), alarm when
//   observed(t) > upperbound(t);
//   C3: C2(s) = (observed(s) - mean(s)) / max(sd(s), minSigma) with C2's window,
//   upperbound(t) = max(0, observed(t) + max(sd(t), minSigma) *
//       (qnorm(1 - alpha) - max(0, C2(t-2) - 1) - max(0, C2(t-1) - 1))).
//
// Missing values follow R: a missing value in a baseline window makes that
// period's bound undefined (not evaluated); a missing observation is never an
// alarm, and for C3 leaves the bound undefined. `expected` is the baseline
// mean. Parameters: baseline (>= 3, default 7), minSigma (default 0), alpha
// (default 0.001 for C1 and C2, 0.025 for C3).
#pragma once

#include <memory>

#include "core/status.h"
#include "detect/detector.h"

namespace vigil {

enum class EarsVariant { kC1, kC2, kC3 };

// Largest `baseline` accepted (bounds the ring kept per series).
inline constexpr int kEarsMaxBaseline = 1000;

// Errors: baseline outside [3, kEarsMaxBaseline], alpha outside (0, 1),
// minSigma negative.
Result<std::unique_ptr<Detector>> MakeEarsDetector(const MethodSpec& method, const ParamSet& params,
                                                   EarsVariant variant);

}  // namespace vigil
