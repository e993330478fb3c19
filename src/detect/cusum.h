// CUSUM as the R package `surveillance` computes it in algo.cusum() (1.20.3).
//
// The first `baseline` periods estimate the in-control mean m (unless the
// parameter m is given); from the next period on, each observation x is
// standardised by `trans` into z and
//   S(t) = max(0, S(t-1) + z(t) - k),  alarm when S(t) >= h,
// with S = 0 before the first monitored period. The upper bound is the
// smallest observation that would have raised the alarm, by algo.cusum's
// formula for each transformation (0 where undefined or negative).
//
// trans: standard (x - m) / sqrt(m) [Poisson], rossi, anscombe, anscombe2nd,
// pearsonNegBin (uses alpha), none, and Vigil's gaussian: (x - m) / s with s
// the baseline standard deviation, upper bound m + s * (h + k - S(t-1)).
// reset = TRUE (Vigil's addition; surveillance has none) restarts S at 0 after
// an alarm. Missing observations are skipped: they leave S unchanged, are not
// counted in the baseline and are not evaluated.
#pragma once

#include <memory>

#include "core/status.h"
#include "detect/detector.h"

namespace vigil {

// Errors: unsupported trans, gaussian without a baseline of 2 or more periods,
// a stream (periods_per_year 0) with neither baseline nor m.
Result<std::unique_ptr<Detector>> MakeCusumDetector(const MethodSpec& method,
                                                    const ParamSet& params,
                                                    const SeriesContext& context);

}  // namespace vigil
