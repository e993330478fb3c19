#include "detect/farrington_flexible.h"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "detect/distributions.h"
#include "detect/farrington_common.h"
#include "detect/stats.h"

namespace vigil {
namespace {

enum class ThresholdMethod { kDelta, kNbPlugin, kMuan };

ThresholdMethod ParseThresholdMethod(const std::string& text) {
  if (text == "nbPlugin") {
    return ThresholdMethod::kNbPlugin;
  }
  return text == "muan" ? ThresholdMethod::kMuan : ThresholdMethod::kDelta;
}

constexpr int kMaxLevels = static_cast<int>(PoissonGlm::kMaxColumns) - 2;

// Per-thread buffers: the seasonal level of each period of the data window
// (0: not used), the design column of each level, and the model workspace.
struct FlexibleWorkspace {
  std::vector<int> level;
  int column_of_level[kMaxLevels + 1] = {};
  FarringtonWorkspace model;
};

// R's `level[from:to] <- value` on the window starting at period `first`
// (1-based periods); R's from:to counts down when from > to.
void AssignRange(std::vector<int>& level, long first, long from, long to, int value) {
  const long step = from <= to ? 1 : -1;
  for (long i = from;; i += step) {
    if (i >= first && i - first < static_cast<long>(level.size())) {
      level[i - first] = value;
    }
    if (i == to) {
      break;
    }
  }
}

// Treatment contrasts as R's: the lowest level present is the baseline, each
// other present level gets a design column after the trend and the intercept.
// Returns the number of design columns.
std::size_t AssignColumns(const bool* present, int levels, int* column_of_level) {
  std::size_t columns = 2;
  bool baseline_seen = false;
  for (int level = 1; level <= levels; ++level) {
    const bool gets_column = present[level] && baseline_seen;
    baseline_seen = baseline_seen || present[level];
    column_of_level[level] = gets_column ? static_cast<int>(columns++) : -1;
  }
  return columns;
}

class FarringtonFlexibleDetector final : public PeriodicDetector {
 public:
  FarringtonFlexibleDetector(const MethodSpec& method, const ParamSet& params, Limit54 limit54)
      : method_(method),
        params_(params),
        b_(params.GetInt("b")),
        w_(params.GetInt("w")),
        no_periods_(params.GetInt("noPeriods")),
        past_weeks_(params.IsSet("pastWeeksNotIncluded") ? params.GetInt("pastWeeksNotIncluded")
                                                         : w_),
        alpha_(params.GetDouble("alpha")),
        z_(NormalQuantile(1 - alpha_)),
        transform_(ParsePowerTransform(params.GetText("powertrans"))),
        threshold_(ParseThresholdMethod(params.GetText("thresholdMethod"))),
        population_offset_(params.GetBool("populationOffset")),
        limit54_(limit54) {
    options_.trend = params.GetBool("trend");
    options_.reweight = params.GetBool("reweight");
    options_.weights_threshold = params.GetDouble("weightsThreshold");
    options_.require_convergence = true;
    options_.dispersion_from_prior_weights = true;
    options_.b = b_;
    options_.p_threshold_trend = params.GetDouble("pThresholdTrend");
  }

  const MethodSpec& method() const override { return method_; }
  const ParamSet& params() const override { return params_; }

  // R's default range starts at freq * b + w + 1 (1-based).
  std::size_t history_needed(const SeriesContext& context) const override {
    return static_cast<std::size_t>(context.periods_per_year) * b_ + w_;
  }

  Evaluation Evaluate(std::span<const Point> series, std::size_t t,
                      const SeriesContext& context) const override;

 private:
  void AssignLevels(std::vector<int>& level, long now, long first, int freq) const;
  // Fills the model workspace; false (with e.reason) when there is no data to fit.
  bool CollectData(std::span<const Point> series, std::size_t t, long first, FlexibleWorkspace& ws,
                   Evaluation& e) const;
  void Judge(std::span<const Point> series, std::size_t t, const FarringtonModel& model,
             Evaluation& e) const;

  MethodSpec method_;
  ParamSet params_;
  int b_;
  int w_;
  int no_periods_;
  int past_weeks_;
  double alpha_;
  double z_;
  PowerTransform transform_;
  ThresholdMethod threshold_;
  bool population_offset_;
  Limit54 limit54_;
  FarringtonModelOptions options_;
};

// surveillance's blocks() for period `now` (1-based), then the last
// pastWeeksNotIncluded + 1 periods left out.
void FarringtonFlexibleDetector::AssignLevels(std::vector<int>& level, long now, long first,
                                              int freq) const {
  level.assign(static_cast<std::size_t>(now - first + 1), 0);
  AssignRange(level, first, now - w_, now, no_periods_);
  for (int i = 1; i <= b_; ++i) {
    const long reference = now - static_cast<long>(i) * freq;
    AssignRange(level, first, reference - w_, reference + w_, no_periods_);
    if (no_periods_ == 1) {
      continue;
    }
    const long between = freq - 2 * w_ - 1;  // periods up to the next window
    const long blocks = no_periods_ - 1;
    const long length = between >= 0 ? between / blocks : -((-between + blocks - 1) / blocks);
    const long rest = between - length * blocks;
    long start = reference + w_ + 1;
    for (int j = 1; j <= blocks; ++j) {
      const long this_length = length + (j <= rest ? 1 : 0);
      AssignRange(level, first, start, start + this_length - 1, j);
      start += this_length;
    }
  }
  AssignRange(level, first, now - past_weeks_, now, 0);
}

bool FarringtonFlexibleDetector::CollectData(std::span<const Point> series, std::size_t t,
                                             long first, FlexibleWorkspace& ws,
                                             Evaluation& e) const {
  auto usable = [&](long period) {
    const Point& p = series[period - 1];
    return ws.level[period - first] != 0 && !std::isnan(p.value) &&
           (!population_offset_ || p.denominator > 0);
  };
  const long now = static_cast<long>(t) + 1;
  bool present[kMaxLevels + 1] = {};
  std::size_t n = 0;
  for (long period = first; period <= now; ++period) {
    if (usable(period)) {
      present[ws.level[period - first]] = true;
      ++n;
    }
  }
  if (!present[no_periods_]) {
    e.reason = "no reference values in the windows b years back";
    return false;
  }
  const std::size_t columns = AssignColumns(present, no_periods_, ws.column_of_level);
  FarringtonWorkspace& model = ws.model;
  model.Reset(n, columns);
  std::size_t row = 0;
  for (long period = first; period <= now; ++period) {
    if (usable(period)) {
      const Point& p = series[period - 1];
      model.SetRow(row, static_cast<double>(period), p.value,
                   population_offset_ ? std::log(p.denominator) : 0.0);
      const int column = ws.column_of_level[ws.level[period - first]];
      if (column >= 0) {
        model.Set(row, static_cast<std::size_t>(column), 1.0);
      }
      ++row;
    }
  }
  model.x0[0] = static_cast<double>(now);
  model.x0[1] = 1.0;
  if (ws.column_of_level[no_periods_] >= 0) {
    model.x0[ws.column_of_level[no_periods_]] = 1.0;
  }
  model.offset0 = population_offset_ ? std::log(series[t].denominator) : 0.0;
  e.baseline_from = first - 1;
  e.baseline_to = now - 1;
  return true;
}

Evaluation FarringtonFlexibleDetector::Evaluate(std::span<const Point> series, std::size_t t,
                                                const SeriesContext& context) const {
  thread_local FlexibleWorkspace ws;
  Evaluation e;
  e.observed = series[t].value;
  const long now = static_cast<long>(t) + 1;
  const long first = now - static_cast<long>(context.periods_per_year) * b_ - w_;
  if (first < 1) {
    e.reason = "needs b years and w periods of history";
    return e;
  }
  if (population_offset_ && !(series[t].denominator > 0)) {
    e.reason = "populationOffset needs a positive denominator";
    return e;
  }
  AssignLevels(ws.level, now, first, context.periods_per_year);
  if (!CollectData(series, t, first, ws, e)) {
    return e;
  }
  const FarringtonModel model = FitFarringtonModel(ws.model, options_, /*se_with_phi=*/false);
  if (!model.ok) {
    e.reason = "the model did not converge with or without trend";
    return e;
  }
  e.evaluated = true;
  Judge(series, t, model, e);
  return e;
}

void FarringtonFlexibleDetector::Judge(std::span<const Point> series, std::size_t t,
                                       const FarringtonModel& model, Evaluation& e) const {
  double upper = 0;
  double fit = model.eta0;  // what the score is measured from, as surveillance does
  if (threshold_ == ThresholdMethod::kDelta) {
    fit = model.mu0;
    upper = PowerUpperBound(model.mu0, model.se_link * model.mu0, model.phi, transform_, z_);
  } else {
    const double mean = std::exp(
        threshold_ == ThresholdMethod::kNbPlugin ? model.eta0 : model.eta0 + model.se_link * z_);
    upper = std::isinf(mean) ? kMissing
            : model.phi > 1
                ? NegativeBinomialQuantile(1 - alpha_, mean / (model.phi - 1), 1 / model.phi)
                : PoissonQuantile(1 - alpha_, mean);
  }
  e.score = std::isnan(upper) ? kMissing : (e.observed - fit) / (upper - fit);
  const double recent = RecentSum(series, t, limit54_.periods);
  if (!(recent >= limit54_.cases)) {
    e.reason = std::isnan(recent) ? "a missing value among the last limit54 periods"
                                  : "fewer cases than limit54 requires: no bound, no alarm";
    return;
  }
  e.upperbound = upper;
  e.expected = std::isnan(upper) ? kMissing : std::exp(model.eta0);
  e.alarm = e.score > 1 && e.observed != 0;
}

}  // namespace

Result<std::unique_ptr<Detector>> MakeFarringtonFlexibleDetector(const MethodSpec& method,
                                                                 const ParamSet& params,
                                                                 const SeriesContext& context) {
  VIGIL_ASSIGN_OR_RETURN(Limit54 limit54, ParseLimit54(params));
  const int no_periods = params.GetInt("noPeriods");
  if (no_periods > kMaxLevels || (no_periods > 1 && no_periods > context.periods_per_year)) {
    return InvalidArgument(fmt::format(
        "parameter noPeriods={}: too many seasonal levels for {} periods per year (at most {})",
        no_periods, context.periods_per_year, std::min(kMaxLevels, context.periods_per_year)));
  }
  return std::unique_ptr<Detector>(
      std::make_unique<FarringtonFlexibleDetector>(method, params, limit54));
}

}  // namespace vigil
