// Signals: one detector's verdict on one period (or sample) of one series.
#pragma once

#include <cstdint>

#include "core/time.h"
#include "detect/detector.h"
#include "model/observation.h"

namespace vigil {

struct Signal {
  SeriesId series = 0;
  std::uint16_t detector = 0;  // index into the indicator's `detectors` list
  Timestamp time;              // the period (or sample) judged
  // True when this re-judges a period already judged, because a late value or
  // a revision changed its data: the stored signal is updated, not duplicated.
  bool revised = false;
  Evaluation evaluation;
};

// Receives signals as the engine produces them. Called on the engine's thread.
class SignalSink {
 public:
  virtual ~SignalSink() = default;
  virtual void OnSignal(const Signal& signal) = 0;
};

}  // namespace vigil
