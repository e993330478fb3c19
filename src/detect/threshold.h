// Fixed thresholds with up to four levels (1 blue, 2 yellow, 3 orange, 4 red).
//
// Each period's statistic a(t) is, by `on`:
//   value   x(t)
//   change  x(t) - x(t - window)               (rate of change over `window` periods)
//   sum     x(t - window + 1) + ... + x(t)     (rolling sum)
//   mean    the rolling sum / window            (rolling mean)
// Level i is met when a(t) >= levels[i] (direction above) or a(t) <= levels[i]
// (direction below); the level reached is the highest one met in each of the
// last `duration` periods. alarm = level >= 1; score = level. The upper bound
// is the observation x(t) that would just meet level 1 (a lower bound when the
// direction is below); there is no expected value.
// A missing observation, or a missing value the statistic needs, is not
// evaluated and restarts the duration count.
#pragma once

#include <memory>

#include "core/status.h"
#include "detect/detector.h"

namespace vigil {

inline constexpr int kThresholdMaxWindow = 366;

// Errors: no levels or more than four, levels not increasing (above) or not
// decreasing (below), window outside [1, kThresholdMaxWindow], duration < 1.
Result<std::unique_ptr<Detector>> MakeThresholdDetector(const MethodSpec& method,
                                                        const ParamSet& params,
                                                        const SeriesContext& context);

}  // namespace vigil
