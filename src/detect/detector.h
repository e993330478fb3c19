// The detector interface: one configured method (a MethodSpec with its
// ParamSet) that judges one series at a time. Two shapes:
//
// - StreamingDetector: O(1) work and a small fixed-size, trivially copyable
//   state per series, updated per observation. The caller owns the state bytes
//   (so the engine can keep millions of them in flat arrays and persist them
//   with a memcpy); Update() must not allocate.
// - PeriodicDetector: refits from the series' history each time a period is
//   evaluated (Farrington and friends).
//
// Detectors themselves are immutable after construction and thread-safe.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <span>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "detect/params.h"

namespace vigil {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// One period's data. NaN value: the period is missing (never zero).
struct Point {
  Timestamp time;
  double value = kMissing;
  double denominator = kMissing;  // NaN when the series has none
};

// A detector's verdict on one period: what it expected, where its threshold
// was, and how far the observation went beyond it.
struct Evaluation {
  bool evaluated = false;   // false: not enough history etc.; see `reason`
  const char* reason = "";  // static text, so Update() never allocates
  double observed = kMissing;
  double expected = kMissing;
  double upperbound = kMissing;  // the alarm threshold on the observed scale
  bool alarm = false;
  // Method-specific severity: for statistical methods the standardised
  // exceedance (e.g. (observed - expected) / sd, or observed / upperbound), for
  // threshold the level reached (0-4). Warning policies map it to levels.
  double score = kMissing;
  int level = 0;                    // threshold detectors: 0 none, 1 blue .. 4 red
  std::int64_t baseline_from = -1;  // index (periodic) or count (streaming) of the
  std::int64_t baseline_to = -1;    // baseline window the expectation came from
};

// Facts about the series a detector is configured for.
struct SeriesContext {
  int periods_per_year = 52;  // 52 weekly, 12 monthly, 365 daily; 0 for streams
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual const MethodSpec& method() const = 0;
  virtual const ParamSet& params() const = 0;
  virtual DetectorShape shape() const = 0;
};

class StreamingDetector : public Detector {
 public:
  DetectorShape shape() const final { return DetectorShape::kStreaming; }
  // Bytes of per-series state; fixed for the detector's lifetime.
  virtual std::size_t state_size() const = 0;
  // Periods consumed before the first one the detector can judge (e.g. the
  // baseline window); `vigil detect` starts its default range after them.
  virtual std::size_t warmup_periods() const { return 0; }
  // Writes a fresh state into `state` (state_size() bytes, 8-byte aligned).
  virtual void InitState(std::span<std::byte> state) const = 0;
  // Consumes one observation (in time order) and judges it. Must not allocate.
  virtual Evaluation Update(std::span<std::byte> state, const Point& point) const = 0;
};

class PeriodicDetector : public Detector {
 public:
  DetectorShape shape() const final { return DetectorShape::kPeriodic; }
  // How many periods before the evaluated one Evaluate() reads.
  virtual std::size_t history_needed(const SeriesContext& context) const = 0;
  // Judges period `t` of `series` (consecutive periods, oldest first) using only
  // periods up to and including t.
  virtual Evaluation Evaluate(std::span<const Point> series, std::size_t t,
                              const SeriesContext& context) const = 0;
};

// Builds the detector for a method and its parameters (already validated by
// ParamSet::Parse). Errors: combinations of parameters the method rejects.
Result<std::unique_ptr<Detector>> MakeDetector(const MethodSpec& method, const ParamSet& params,
                                               const SeriesContext& context);

}  // namespace vigil
