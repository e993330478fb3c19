#include "detect/anomaly.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "detect/streaming.h"

namespace vigil {
namespace {

constexpr int kMaxOrder = 16;  // longest context the level history holds
constexpr std::int64_t kNanosPerDay = 86'400'000'000'000;
constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;
constexpr std::uint64_t kSeasonTag = 0x5EA50000ULL;  // keeps seasonal contexts apart

struct AnomalyState {
  std::int64_t seen = 0;         // non-missing samples consumed
  std::int64_t since_high = -1;  // samples since a raw score >= rest_threshold; -1: never
  double min = 0;                // range of the values seen so far
  double max = 0;
  double mean = kMissing;  // exponentially weighted mean and variance of the values
  double var = 0;
  std::int32_t history[kMaxOrder] = {};  // quantised levels, newest first
};

constexpr const char* kLearning = "learning (first learning_period samples)";
constexpr const char* kMissingObserved = "observed value missing";

struct Params {
  double threshold;
  std::int64_t learning_period;
  int levels;
  int max_order;
  std::int64_t rest_period;
  double rest_threshold;
  int table_bits;
  double value_alpha;
  double value_z_half;
  double value_weight;
  int season_bins;
  double season_weight;
};

class AnomalyDetector final : public StreamingMethod {
 public:
  AnomalyDetector(const MethodSpec& method, const ParamSet& params, const Params& p)
      : StreamingMethod(method, params), p_(p) {}

  // The bit table lives in the ring of doubles StreamingMethod lays out.
  std::size_t state_size() const override { return StateBytes<AnomalyState>(TableWords()); }
  std::size_t warmup_periods() const override {
    return static_cast<std::size_t>(p_.learning_period);
  }
  void InitState(std::span<std::byte> state) const override;
  Evaluation Update(std::span<std::byte> state, const Point& point) const override;

 private:
  std::size_t TableWords() const { return (std::size_t{1} << p_.table_bits) / 64; }
  std::int32_t Quantise(const AnomalyState& s, double x) const;
  // Marks the context `hash` seen; returns `weight` if it was new, else 0.
  double Visit(std::span<std::uint64_t> table, std::uint64_t hash, double weight) const;
  double Novelty(const AnomalyState& s, std::span<std::uint64_t> table, Timestamp time) const;
  double Raw(AnomalyState& s, std::span<std::uint64_t> table, const Point& point) const;

  Params p_;
};

void AnomalyDetector::InitState(std::span<std::byte> state) const {
  ConstructState<AnomalyState>(state, TableWords());
  std::fill_n(reinterpret_cast<std::uint64_t*>(StateRing<AnomalyState>(state, TableWords()).data()),
              TableWords(), std::uint64_t{0});
}

std::int32_t AnomalyDetector::Quantise(const AnomalyState& s, double x) const {
  // Values beyond the range seen so far get levels of their own: -1 and `levels`.
  if (x < s.min || x > s.max) {
    return x < s.min ? -1 : p_.levels;
  }
  const double range = s.max - s.min;
  if (!(range > 0)) {
    return 0;
  }
  const double level = std::floor((x - s.min) / range * p_.levels);
  return static_cast<std::int32_t>(std::min(level, p_.levels - 1.0));
}

double AnomalyDetector::Visit(std::span<std::uint64_t> table, std::uint64_t hash,
                              double weight) const {
  const std::uint64_t slot = (hash ^ (hash >> 29)) & ((std::uint64_t{1} << p_.table_bits) - 1);
  std::uint64_t& word = table[slot / 64];
  const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
  const bool known = (word & bit) != 0;
  word |= bit;
  return known ? 0 : weight;
}

double AnomalyDetector::Novelty(const AnomalyState& s, std::span<std::uint64_t> table,
                                Timestamp time) const {
  double novel = 0;
  double total = 0;
  std::uint64_t hash = kFnvOffset;
  const int orders = static_cast<int>(std::min<std::int64_t>(p_.max_order, s.seen));
  for (int k = 0; k < orders; ++k) {
    hash = (hash ^ static_cast<std::uint32_t>(s.history[k])) * kFnvPrime;
    const double weight = 1.0 / (k + 1);
    novel += Visit(table, hash, weight);
    total += weight;
  }
  if (p_.season_bins > 0 && p_.season_weight > 0) {
    const std::int64_t nanos =
        ((time.time_since_epoch().count() % kNanosPerDay) + kNanosPerDay) % kNanosPerDay;
    const auto bin = static_cast<std::uint64_t>(nanos / (kNanosPerDay / p_.season_bins));
    const std::uint64_t seasonal =
        ((kFnvOffset ^ (kSeasonTag + bin)) * kFnvPrime ^ static_cast<std::uint32_t>(s.history[0])) *
        kFnvPrime;
    novel += Visit(table, seasonal, p_.season_weight);
    total += p_.season_weight;
  }
  return total > 0 ? novel / total : 0;
}

double AnomalyDetector::Raw(AnomalyState& s, std::span<std::uint64_t> table,
                            const Point& point) const {
  const double x = point.value;
  if (s.seen == 0) {
    s.min = s.max = s.mean = x;
  }
  std::copy_backward(s.history, s.history + kMaxOrder - 1, s.history + kMaxOrder);
  s.history[0] = Quantise(s, x);
  s.min = std::min(s.min, x);
  s.max = std::max(s.max, x);
  ++s.seen;
  double raw = Novelty(s, table, point.time);
  if (s.var > 0) {
    const double z2 = (x - s.mean) * (x - s.mean) / s.var;
    const double half2 = p_.value_z_half * p_.value_z_half;
    raw = (1 - p_.value_weight) * raw + p_.value_weight * z2 / (z2 + half2);
  }
  // West's exponentially weighted variance, updated after scoring: past data only.
  const double delta = x - s.mean;
  s.var = (1 - p_.value_alpha) * (s.var + p_.value_alpha * delta * delta);
  s.mean += p_.value_alpha * delta;
  return raw;
}

Evaluation AnomalyDetector::Update(std::span<std::byte> state, const Point& point) const {
  AnomalyState& s = StateHeader<AnomalyState>(state);
  const std::span<double> words = StateRing<AnomalyState>(state, TableWords());
  const std::span<std::uint64_t> table(reinterpret_cast<std::uint64_t*>(words.data()),
                                       words.size());
  Evaluation e;
  e.observed = point.value;
  if (std::isnan(point.value)) {
    e.reason = kMissingObserved;
    return e;
  }
  e.expected = s.seen > 0 ? s.mean : kMissing;
  const double raw = Raw(s, table, point);
  const bool resting = s.since_high >= 0 && s.since_high < p_.rest_period;
  if (raw >= p_.rest_threshold) {
    s.since_high = 0;
  } else if (s.since_high >= 0) {
    ++s.since_high;
  }
  e.baseline_from = 0;
  e.baseline_to = s.seen - 1;
  if (s.seen <= p_.learning_period) {
    e.reason = kLearning;
    return e;
  }
  e.evaluated = true;
  e.score = resting ? 0 : raw;
  e.alarm = e.score >= p_.threshold;
  return e;
}

}  // namespace

Result<std::unique_ptr<Detector>> MakeAnomalyDetector(const MethodSpec& method,
                                                      const ParamSet& params,
                                                      const SeriesContext& /*context*/) {
  const Params p{.threshold = params.GetDouble("threshold"),
                 .learning_period = params.GetInt("learning_period"),
                 .levels = params.GetInt("levels"),
                 .max_order = params.GetInt("max_order"),
                 .rest_period = params.GetInt("rest_period"),
                 .rest_threshold = params.GetDouble("rest_threshold"),
                 .table_bits = params.GetInt("table_bits"),
                 .value_alpha = 1.0 / params.GetInt("value_history"),
                 .value_z_half = params.GetDouble("value_z_half"),
                 .value_weight = params.GetDouble("value_weight"),
                 .season_bins = params.GetInt("season_bins"),
                 .season_weight = params.GetDouble("season_weight")};
  return std::unique_ptr<Detector>(std::make_unique<AnomalyDetector>(method, params, p));
}

}  // namespace vigil
