// The Farrington method (Farrington et al. 1996), exactly as the R package
// `surveillance` (1.20.3) computes it in algo.farrington() with its default
// fitting function algo.farrington.fitGLM.fast:
//
//   reference values: the periods t - i*freq - w .. t - i*freq + w for
//   i = b..1 (those before the first period are left out, as are missing
//   values); a quasi-Poisson GLM log mu = alpha + beta * time fitted to them,
//   reweighted by Anscombe residuals (threshold 1) when `reweight`; the trend is
//   kept only when b >= 3, its t-test p-value is < 0.05 and the prediction
//   mu0 at t does not exceed the largest reference value;
//   upperbound U = (mu0^e + qnorm(1 - alpha/2) * sd_e)^(1/e), e from
//   `powertrans` (2/3, 1/2, none), sd_e by the delta method with
//   tau = phi + se(mu0)^2 / mu0 (FarringtonModel);
//   limit54 = (cases, periods): when fewer than `cases` were observed in the
//   last `periods` periods (t included), upperbound is 0 and there is no alarm;
//   alarm when (observed - mu0) / (U - mu0) > 1, which is also the score.
//
// `expected` is mu0. A missing value among the last `periods` periods leaves
// the upper bound undefined (R gives NA) and raises no alarm.
//
// Parameters (defaults of surveillance's control list): b 5, w 3, reweight
// TRUE, alpha 0.05, trend TRUE, limit54 5,4, powertrans 2/3.
#pragma once

#include <memory>

#include "core/status.h"
#include "detect/detector.h"

namespace vigil {

// Errors: limit54 not two numbers (cases >= 0, periods >= 1 whole).
Result<std::unique_ptr<Detector>> MakeFarringtonDetector(const MethodSpec& method,
                                                         const ParamSet& params,
                                                         const SeriesContext& context);

}  // namespace vigil
