#include "detect/ears.h"

#include <array>
#include <cstdint>
#include <string>

#include "detect/stats.h"
#include "detect/streaming.h"

namespace vigil {
namespace {

struct EarsState {
  std::int64_t count = 0;     // periods consumed so far
  double c2_lag1 = kMissing;  // C2 statistic of the previous period
  double c2_lag2 = kMissing;  // ... and of the one before
};

constexpr const char* kNotEnoughHistory = "not enough history for the baseline window";
constexpr const char* kMissingInBaseline = "missing value in the baseline window";
constexpr const char* kMissingObserved = "observed value missing";
constexpr const char* kLagUndefined =
    "C2 of one of the two previous periods is undefined (missing value or zero sd)";
constexpr const char* kZeroSigma = "baseline standard deviation is zero and minSigma is 0";

class EarsDetector final : public StreamingMethod {
 public:
  EarsDetector(const MethodSpec& method, const ParamSet& params, EarsVariant variant)
      : StreamingMethod(method, params),
        variant_(variant),
        baseline_(params.GetInt("baseline")),
        ring_(variant == EarsVariant::kC1 ? baseline_ : baseline_ + 2),
        min_sigma_(params.GetDouble("minSigma")),
        z_alpha_(NormalQuantile(1 - params.GetDouble("alpha"))) {}

  std::size_t state_size() const override { return StateBytes<EarsState>(ring_); }
  std::size_t warmup_periods() const override {
    return variant_ == EarsVariant::kC3 ? ring_ + 2 : ring_;
  }
  void InitState(std::span<std::byte> state) const override {
    ConstructState<EarsState>(state, ring_);
  }
  Evaluation Update(std::span<std::byte> state, const Point& point) const override;

 private:
  // The baseline window of the period after the ring's newest value, into `out`.
  void GatherWindow(std::span<const double> ring, std::int64_t count,
                    std::array<double, kEarsMaxBaseline>& out) const;
  void Judge(Evaluation& e, double sigma, const EarsState& s, bool window_missing) const;

  EarsVariant variant_;
  int baseline_;
  std::size_t ring_;
  double min_sigma_;
  double z_alpha_;
};

void EarsDetector::GatherWindow(std::span<const double> ring, std::int64_t count,
                                std::array<double, kEarsMaxBaseline>& out) const {
  // The ring holds the last ring_ values; the slot of period p is p % ring_.
  // C2 and C3 skip the two newest (the guard band).
  const std::int64_t first = count - static_cast<std::int64_t>(ring_);
  for (int i = 0; i < baseline_; ++i) {
    out[i] = ring[static_cast<std::size_t>(first + i) % ring_];
  }
}

void EarsDetector::Judge(Evaluation& e, double sigma, const EarsState& s,
                         bool window_missing) const {
  if (variant_ == EarsVariant::kC3) {
    const double lags = RMax(0, s.c2_lag2 - 1) + RMax(0, s.c2_lag1 - 1);
    e.upperbound = RMax(0, e.observed + sigma * (z_alpha_ - lags));
  } else {
    e.upperbound = e.expected + z_alpha_ * sigma;
  }
  if (std::isnan(e.upperbound)) {
    e.reason = window_missing                      ? kMissingInBaseline
               : std::isnan(e.observed)            ? kMissingObserved
               : std::isnan(s.c2_lag1 + s.c2_lag2) ? kLagUndefined
                                                   : kZeroSigma;
    return;
  }
  e.evaluated = true;
  if (std::isnan(e.observed)) {
    e.reason = kMissingObserved;  // R's alarm is NA: never an alarm
    return;
  }
  e.alarm = e.observed > e.upperbound;
  e.score = (e.observed - e.expected) / sigma;
}

Evaluation EarsDetector::Update(std::span<std::byte> state, const Point& point) const {
  EarsState& s = StateHeader<EarsState>(state);
  std::span<double> ring = StateRing<EarsState>(state, ring_);
  Evaluation e;
  e.observed = point.value;
  double c2 = kMissing;
  if (s.count >= static_cast<std::int64_t>(ring_)) {
    std::array<double, kEarsMaxBaseline> window;
    GatherWindow(ring, s.count, window);
    const std::span<const double> values(window.data(), static_cast<std::size_t>(baseline_));
    e.expected = RMean(values);
    const double sigma = RMax(RSd(values, e.expected), min_sigma_);
    e.baseline_from = s.count - static_cast<std::int64_t>(ring_);
    e.baseline_to = e.baseline_from + baseline_ - 1;
    c2 = (point.value - e.expected) / sigma;
    if (static_cast<std::size_t>(s.count) >= warmup_periods()) {
      Judge(e, sigma, s, std::isnan(e.expected));
    } else {
      e.reason = kNotEnoughHistory;
    }
  } else {
    e.reason = kNotEnoughHistory;
  }
  ring[static_cast<std::size_t>(s.count) % ring_] = point.value;
  ++s.count;
  s.c2_lag2 = s.c2_lag1;
  s.c2_lag1 = c2;
  return e;
}

}  // namespace

Result<std::unique_ptr<Detector>> MakeEarsDetector(const MethodSpec& method, const ParamSet& params,
                                                   EarsVariant variant) {
  const int baseline = params.GetInt("baseline");
  if (baseline < 3 || baseline > kEarsMaxBaseline) {
    return InvalidArgument(method.name + ": baseline must be between 3 and " +
                           std::to_string(kEarsMaxBaseline) + ", got " + std::to_string(baseline));
  }
  const double alpha = params.GetDouble("alpha");
  if (!(alpha > 0 && alpha < 1)) {
    return InvalidArgument(method.name + ": alpha must be in (0, 1)");
  }
  if (!(params.GetDouble("minSigma") >= 0)) {
    return InvalidArgument(method.name + ": minSigma must not be negative");
  }
  return std::unique_ptr<Detector>(std::make_unique<EarsDetector>(method, params, variant));
}

}  // namespace vigil
