#include "detect/ewma.h"

#include <cmath>
#include <cstdint>

#include "detect/stats.h"
#include "detect/streaming.h"

namespace vigil {
namespace {

struct EwmaState {
  std::int64_t seen = 0;    // periods consumed, missing ones included
  RunningMoments baseline;  // phase I observations
  double z = kMissing;      // z(i-1); NaN before the first monitored observation
  double decay = 1;         // (1 - lambda)^(2i), updated by multiplication
};

constexpr const char* kInBaseline = "period is part of the baseline (phase I)";
constexpr const char* kMissingObserved = "observed value missing";
constexpr const char* kNoSpread = "baseline standard deviation is zero or undefined";

class EwmaDetector final : public StreamingMethod {
 public:
  EwmaDetector(const MethodSpec& method, const ParamSet& params, int baseline)
      : StreamingMethod(method, params),
        lambda_(params.GetDouble("lambda")),
        l_(params.GetDouble("L")),
        baseline_(baseline) {}

  std::size_t state_size() const override { return StateBytes<EwmaState>(0); }
  std::size_t warmup_periods() const override { return static_cast<std::size_t>(baseline_); }
  void InitState(std::span<std::byte> state) const override { ConstructState<EwmaState>(state, 0); }
  Evaluation Update(std::span<std::byte> state, const Point& point) const override;

 private:
  double lambda_;
  double l_;
  std::int64_t baseline_;
};

Evaluation EwmaDetector::Update(std::span<std::byte> state, const Point& point) const {
  EwmaState& s = StateHeader<EwmaState>(state);
  Evaluation e;
  e.observed = point.value;
  const bool missing = std::isnan(point.value);
  if (s.seen++ < baseline_) {
    if (!missing) {
      s.baseline.Add(point.value);
    }
    e.reason = kInBaseline;
    return e;
  }
  const double mu = s.baseline.Mean();
  const double sigma = s.baseline.Sd();
  e.expected = mu;
  e.baseline_from = 0;
  e.baseline_to = baseline_ - 1;
  if (!(sigma > 0)) {
    e.reason = kNoSpread;
    return e;
  }
  if (missing) {
    e.reason = kMissingObserved;
    return e;
  }
  const double previous = std::isnan(s.z) ? mu : s.z;
  s.z = lambda_ * point.value + (1 - lambda_) * previous;
  s.decay *= (1 - lambda_) * (1 - lambda_);
  const double spread = sigma * std::sqrt(lambda_ / (2 - lambda_) * (1 - s.decay));
  const double ucl = mu + l_ * spread;
  e.evaluated = true;
  e.upperbound = (ucl - (1 - lambda_) * previous) / lambda_;
  e.alarm = s.z > ucl;
  e.score = (s.z - mu) / spread;
  return e;
}

}  // namespace

Result<std::unique_ptr<Detector>> MakeEwmaDetector(const MethodSpec& method, const ParamSet& params,
                                                   const SeriesContext& context) {
  const double lambda = params.GetDouble("lambda");
  if (!(lambda > 0 && lambda <= 1)) {
    return InvalidArgument("ewma: lambda must be in (0, 1]");
  }
  if (!(params.GetDouble("L") > 0)) {
    return InvalidArgument("ewma: L must be positive");
  }
  const int baseline =
      params.IsSet("baseline") ? params.GetInt("baseline") : context.periods_per_year;
  if (baseline < 2) {
    return InvalidArgument("ewma: the baseline needs at least 2 periods (set baseline)");
  }
  return std::unique_ptr<Detector>(std::make_unique<EwmaDetector>(method, params, baseline));
}

}  // namespace vigil
