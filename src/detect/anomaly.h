// Vigil's streaming anomaly detector for continuous sensor streams (river
// levels, gas readings, grid load, prices): a context-novelty detector in the
// spirit of CAD OSE, combined with a Gaussian distance. Method, parameters and
// NAB scores: docs/ANOMALY.md.
//
// Per sample, in O(1) work:
// 1. Quantise the value into `levels` levels of the range seen so far.
// 2. Contexts: the last 1..max_order levels, and (with season_bins > 0) the
//    pair (time-of-day bin, level). Each is hashed into a bit table that
//    remembers the contexts seen; novelty is the weighted share of contexts
//    never seen before (order k weighs 1/k, the seasonal context
//    season_weight). Seen patterns, daily cycles and the new regime after a
//    level shift become familiar; new ones stand out.
// 3. raw = (1 - value_weight) * novelty + value_weight * z^2 / (z^2 + value_z_half^2),
//    z the distance of the value from its exponentially weighted mean in
//    exponentially weighted sds (memory: value_history samples), all from
//    past samples only.
// 4. Rest: for rest_period samples after a raw score >= rest_threshold the
//    score is 0, so one event raises one alarm, not a burst.
// 5. No score for the first learning_period samples; alarm: score >= threshold.
//
// State: 112 bytes plus 2^table_bits / 8 bytes of table (4,208 bytes by
// default), trivially copyable; Update() does not allocate. Missing values
// (NaN) are skipped: state unchanged, not evaluated. `expected` is the
// weighted mean; there is no upper bound on the value scale.
#pragma once

#include <memory>

#include "core/status.h"
#include "detect/detector.h"

namespace vigil {

// Errors: none beyond the parameter ranges checked by ParamSet::Parse.
Result<std::unique_ptr<Detector>> MakeAnomalyDetector(const MethodSpec& method,
                                                      const ParamSet& params,
                                                      const SeriesContext& context);

}  // namespace vigil
