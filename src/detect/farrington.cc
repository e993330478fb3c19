#include "detect/farrington.h"

#include <cmath>

#include "detect/farrington_common.h"
#include "detect/stats.h"

namespace vigil {
namespace {

class FarringtonDetector final : public PeriodicDetector {
 public:
  FarringtonDetector(const MethodSpec& method, const ParamSet& params, Limit54 limit54)
      : method_(method),
        params_(params),
        b_(params.GetInt("b")),
        w_(params.GetInt("w")),
        alpha_(params.GetDouble("alpha")),
        z_(NormalQuantile(1 - alpha_ / 2)),
        transform_(ParsePowerTransform(params.GetText("powertrans"))),
        limit54_(limit54) {
    options_.trend = params.GetBool("trend");
    options_.reweight = params.GetBool("reweight");
    options_.weights_threshold = 1;
    options_.b = b_;
    options_.p_threshold_trend = 0.05;
  }

  const MethodSpec& method() const override { return method_; }
  const ParamSet& params() const override { return params_; }

  // R's default range starts at freq * b - w (1-based).
  std::size_t history_needed(const SeriesContext& context) const override {
    const long first = static_cast<long>(context.periods_per_year) * b_ - w_;
    return first > 1 ? static_cast<std::size_t>(first - 1) : 0;
  }

  Evaluation Evaluate(std::span<const Point> series, std::size_t t,
                      const SeriesContext& context) const override;

 private:
  // Fills `ws` with the reference values of period t; returns their count.
  std::size_t CollectReferences(std::span<const Point> series, std::size_t t, int freq,
                                FarringtonWorkspace& ws, Evaluation& e) const;

  MethodSpec method_;
  ParamSet params_;
  int b_;
  int w_;
  double alpha_;
  double z_;
  PowerTransform transform_;
  Limit54 limit54_;
  FarringtonModelOptions options_;
};

// Reference periods t - i*freq + d for i = b..1, d = -w..w, in R's order; those
// before the first period (or after t) and missing values are left out.
std::size_t FarringtonDetector::CollectReferences(std::span<const Point> series, std::size_t t,
                                                  int freq, FarringtonWorkspace& ws,
                                                  Evaluation& e) const {
  const long now = static_cast<long>(t);
  auto visit = [&](auto&& use) {
    for (int i = b_; i >= 1; --i) {
      for (int d = -w_; d <= w_; ++d) {
        const long index = now - static_cast<long>(i) * freq + d;
        if (index >= 0 && index <= now && !std::isnan(series[index].value)) {
          use(index);
        }
      }
    }
  };
  std::size_t n = 0;
  visit([&](long) { ++n; });
  ws.Reset(n, 2);
  std::size_t row = 0;
  visit([&](long index) {
    ws.SetRow(row++, static_cast<double>(index + 1), series[index].value, 0.0);
    e.baseline_from = e.baseline_from < 0 ? index : std::min<std::int64_t>(e.baseline_from, index);
    e.baseline_to = std::max<std::int64_t>(e.baseline_to, index);
  });
  ws.x0[0] = static_cast<double>(t + 1);
  ws.x0[1] = 1.0;
  return n;
}

Evaluation FarringtonDetector::Evaluate(std::span<const Point> series, std::size_t t,
                                        const SeriesContext& context) const {
  thread_local FarringtonWorkspace ws;
  Evaluation e;
  e.observed = series[t].value;
  if (CollectReferences(series, t, context.periods_per_year, ws, e) == 0) {
    e.reason = "no reference values b years back";
    return e;
  }
  const FarringtonModel model = FitFarringtonModel(ws, options_, /*se_with_phi=*/true);
  if (!model.ok) {
    e.reason = "too few reference values to fit the model";
    return e;
  }
  e.evaluated = true;
  e.expected = model.mu0;
  const double upper =
      PowerUpperBound(model.mu0, model.se_link * model.mu0, model.phi, transform_, z_);
  const double recent = RecentSum(series, t, limit54_.periods);
  if (std::isnan(recent)) {
    e.reason = "a missing value among the last limit54 periods";
    return e;
  }
  if (recent < limit54_.cases) {
    e.reason = "fewer cases than limit54 requires: upper bound 0, no alarm";
    e.upperbound = 0;
    e.score = 0;
    return e;
  }
  e.upperbound = upper;
  e.score = (e.observed - model.mu0) / (upper - model.mu0);
  e.alarm = e.score > 1;
  return e;
}

}  // namespace

Result<std::unique_ptr<Detector>> MakeFarringtonDetector(const MethodSpec& method,
                                                         const ParamSet& params,
                                                         const SeriesContext& /*context*/) {
  VIGIL_ASSIGN_OR_RETURN(Limit54 limit54, ParseLimit54(params));
  return std::unique_ptr<Detector>(std::make_unique<FarringtonDetector>(method, params, limit54));
}

}  // namespace vigil
