#include "detect/threshold.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "detect/streaming.h"

namespace vigil {
namespace {

enum class Statistic { kValue, kChange, kSum, kMean };

struct ThresholdConfig {
  std::array<double, 4> levels{};
  int level_count = 0;
  Statistic on = Statistic::kValue;
  bool above = true;
  int window = 1;
  int duration = 1;
};

struct ThresholdState {
  std::int64_t count = 0;
  std::array<std::int32_t, 4> runs{};  // consecutive periods each level was met
};

constexpr const char* kMissingObserved = "observed value missing";
constexpr const char* kMissingPast = "a value the statistic needs is missing or not yet seen";

class ThresholdDetector final : public StreamingMethod {
 public:
  ThresholdDetector(const MethodSpec& method, const ParamSet& params, ThresholdConfig config)
      : StreamingMethod(method, params),
        c_(config),
        ring_(static_cast<std::size_t>(config.on == Statistic::kValue ? 0 : config.window)) {}

  std::size_t state_size() const override { return StateBytes<ThresholdState>(ring_); }
  std::size_t warmup_periods() const override {
    return c_.on == Statistic::kChange ? ring_ : ring_ == 0 ? 0 : ring_ - 1;
  }
  void InitState(std::span<std::byte> state) const override {
    ConstructState<ThresholdState>(state, ring_);
  }
  Evaluation Update(std::span<std::byte> state, const Point& point) const override;

 private:
  // The part of a(t) that comes from past periods: a(t) = scale * (x(t) + past).
  double Past(std::span<const double> ring, std::int64_t count) const;
  void Judge(ThresholdState& s, Evaluation& e, double statistic) const;

  ThresholdConfig c_;
  std::size_t ring_;
};

double ThresholdDetector::Past(std::span<const double> ring, std::int64_t count) const {
  if (c_.on == Statistic::kValue) {
    return 0;
  }
  if (count < static_cast<std::int64_t>(warmup_periods())) {
    return kMissing;
  }
  if (c_.on == Statistic::kChange) {
    return -ring[static_cast<std::size_t>(count) % ring_];  // x(t - window)
  }
  double sum = 0;  // the window - 1 periods before t
  for (std::size_t back = 1; back < ring_; ++back) {
    sum += ring[static_cast<std::size_t>(count - static_cast<std::int64_t>(back)) % ring_];
  }
  return sum;
}

void ThresholdDetector::Judge(ThresholdState& s, Evaluation& e, double statistic) const {
  e.level = 0;
  for (int i = 0; i < c_.level_count; ++i) {
    const bool met = c_.above ? statistic >= c_.levels[i] : statistic <= c_.levels[i];
    s.runs[i] = met ? s.runs[i] + 1 : 0;
    if (s.runs[i] >= c_.duration) {
      e.level = i + 1;
    }
  }
  e.alarm = e.level >= 1;
  e.score = e.level;
}

Evaluation ThresholdDetector::Update(std::span<std::byte> state, const Point& point) const {
  ThresholdState& s = StateHeader<ThresholdState>(state);
  std::span<double> ring = StateRing<ThresholdState>(state, ring_);
  Evaluation e;
  e.observed = point.value;
  const double past = Past(ring, s.count);
  if (ring_ > 0) {
    ring[static_cast<std::size_t>(s.count) % ring_] = point.value;
  }
  ++s.count;
  if (std::isnan(point.value) || std::isnan(past)) {
    e.reason = std::isnan(point.value) ? kMissingObserved : kMissingPast;
    s.runs = {};
    return e;
  }
  const double scale = c_.on == Statistic::kMean ? 1.0 / c_.window : 1.0;
  e.evaluated = true;
  e.upperbound = c_.levels[0] / scale - past;
  Judge(s, e, scale * (point.value + past));
  return e;
}

Result<ThresholdConfig> ReadConfig(const ParamSet& params) {
  ThresholdConfig c;
  const std::vector<double> levels = params.GetList("levels");
  if (levels.empty() || levels.size() > c.levels.size()) {
    return InvalidArgument("threshold: levels needs 1 to 4 values, e.g. levels=10,20,30,40");
  }
  const std::string& on = params.GetText("on");
  c.on = on == "change" ? Statistic::kChange
         : on == "sum"  ? Statistic::kSum
         : on == "mean" ? Statistic::kMean
                        : Statistic::kValue;
  c.above = params.GetText("direction") != "below";
  c.window = params.GetInt("window");
  c.duration = params.GetInt("duration");
  if (c.window < 1 || c.window > kThresholdMaxWindow || c.duration < 1) {
    return InvalidArgument("threshold: window must be in [1, " +
                           std::to_string(kThresholdMaxWindow) + "] and duration >= 1");
  }
  c.level_count = static_cast<int>(levels.size());
  for (int i = 0; i < c.level_count; ++i) {
    c.levels[i] = levels[i];
    if (i > 0 && (c.above ? levels[i] <= levels[i - 1] : levels[i] >= levels[i - 1])) {
      return InvalidArgument(c.above ? "threshold: levels must increase (direction above)"
                                     : "threshold: levels must decrease (direction below)");
    }
  }
  return c;
}

}  // namespace

Result<std::unique_ptr<Detector>> MakeThresholdDetector(const MethodSpec& method,
                                                        const ParamSet& params,
                                                        const SeriesContext& /*context*/) {
  VIGIL_ASSIGN_OR_RETURN(ThresholdConfig config, ReadConfig(params));
  return std::unique_ptr<Detector>(std::make_unique<ThresholdDetector>(method, params, config));
}

}  // namespace vigil
