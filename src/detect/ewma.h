// EWMA control chart (Roberts 1959) with exact time-varying control limits.
//
// The first `baseline` periods (phase I) estimate the in-control mean mu and
// standard deviation sigma (sample sd). From the next period on (phase II),
// with z(0) = mu and i counting monitored observations:
//   z(i)   = lambda * x(i) + (1 - lambda) * z(i-1)
//   UCL(i) = mu + L * sigma * sqrt(lambda / (2 - lambda) * (1 - (1 - lambda)^(2i)))
// and the alarm is z(i) > UCL(i) (higher is worse). `expected` is mu; the
// upper bound is the smallest observation whose z would cross UCL(i):
// (UCL(i) - (1 - lambda) * z(i-1)) / lambda; the score is
// (z(i) - mu) / (sigma * sqrt(...)), the standardised EWMA.
// Missing observations are skipped: z and i are unchanged, not evaluated.
// Not in `surveillance`; tested against hand-computed values.
#pragma once

#include <memory>

#include "core/status.h"
#include "detect/detector.h"

namespace vigil {

// Errors: lambda outside (0, 1], L not positive, a baseline under 2 periods.
Result<std::unique_ptr<Detector>> MakeEwmaDetector(const MethodSpec& method, const ParamSet& params,
                                                   const SeriesContext& context);

}  // namespace vigil
