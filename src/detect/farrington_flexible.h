// The improved Farrington method (Noufaily et al. 2013), exactly as the R
// package `surveillance` (1.20.3) computes it in farringtonFlexible():
//
//   reference data: every period from t - b*freq - w to t, except the last
//   `pastWeeksNotIncluded` + 1 (t included) and missing values. The windows
//   t - i*freq - w .. t - i*freq + w (i = 1..b) and t - w .. t form level
//   `noPeriods` of a seasonal factor; with noPeriods > 1, the periods between
//   two windows are split into noPeriods - 1 consecutive blocks (levels
//   1..noPeriods-1, the first blocks one period longer when the split is
//   uneven), as surveillance's blocks(); with noPeriods = 1 only the windows
//   are used and there is no factor;
//   model: quasi-Poisson GLM log mu = alpha + beta * time [+ factor]
//   [+ log(denominator) with populationOffset]; when it does not converge the
//   trend is dropped, and when that does not converge either there is no
//   result; reweighting by Anscombe residuals above `weightsThreshold`; the
//   trend is kept when b >= 3, its p-value < pThresholdTrend and the prediction
//   does not exceed the largest reference value;
//   upperbound: thresholdMethod delta: (mu0^e + qnorm(1 - alpha) * sd_e)^(1/e)
//   (see FarringtonModel); nbPlugin: the 1 - alpha quantile of the negative
//   binomial with mean mu0 and variance phi * mu0 (Poisson when phi = 1);
//   muan: the same with mean exp(eta0 + qnorm(1 - alpha) * se(eta0));
//   score = (observed - f) / (upperbound - f), f = mu0 (delta) or eta0 (the
//   linear predictor, for nbPlugin and muan, as surveillance computes it);
//   alarm when score > 1 and observed > 0, and at least limit54 `cases` in the
//   last `periods` periods; otherwise expected and upperbound are undefined.
//
// `expected` is mu0 = exp(eta0). Parameters (defaults of surveillance): b 5,
// w 3, reweight TRUE, weightsThreshold 2.58, alpha 0.05, trend TRUE,
// pThresholdTrend 0.05, limit54 5,4, powertrans 2/3, populationOffset FALSE,
// noPeriods 1, pastWeeksNotIncluded NULL (= w), thresholdMethod delta.
#pragma once

#include <memory>

#include "core/status.h"
#include "detect/detector.h"

namespace vigil {

// Errors: limit54 malformed; noPeriods too large for the periods between the
// reference windows (surveillance: "Number of factors too big!").
Result<std::unique_ptr<Detector>> MakeFarringtonFlexibleDetector(const MethodSpec& method,
                                                                 const ParamSet& params,
                                                                 const SeriesContext& context);

}  // namespace vigil
