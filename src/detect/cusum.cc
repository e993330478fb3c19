#include "detect/cusum.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "detect/stats.h"
#include "detect/streaming.h"

namespace vigil {
namespace {

enum class Trans { kStandard, kRossi, kAnscombe, kAnscombe2nd, kPearsonNegBin, kNone, kGaussian };

Result<Trans> ParseTrans(const std::string& text) {
  static constexpr std::pair<const char*, Trans> kNames[] = {
      {"standard", Trans::kStandard},
      {"rossi", Trans::kRossi},
      {"anscombe", Trans::kAnscombe},
      {"anscombe2nd", Trans::kAnscombe2nd},
      {"pearsonNegBin", Trans::kPearsonNegBin},
      {"none", Trans::kNone},
      {"gaussian", Trans::kGaussian}};
  for (const auto& [name, trans] : kNames) {
    if (text == name) {
      return trans;
    }
  }
  return InvalidArgument("cusum: unsupported trans '" + text +
                         "' (supported: standard, rossi, anscombe, anscombe2nd, "
                         "pearsonNegBin, none, gaussian)");
}

struct CusumState {
  std::int64_t seen = 0;    // periods consumed, missing ones included
  RunningMoments baseline;  // non-missing baseline observations
  double cusum = 0;         // S(t-1)
};

struct CusumConfig {
  Trans trans = Trans::kStandard;
  double k = 1.04;
  double h = 2.26;
  double alpha = 0.1;
  double m = kMissing;  // NaN: estimated from the baseline
  std::int64_t baseline = 0;
  bool reset = false;
};

constexpr const char* kInBaseline = "period is part of the baseline that estimates m";
constexpr const char* kMissingObserved = "observed value missing";
constexpr const char* kNoBaselineValue = "no observed value in the baseline";

class CusumDetector final : public StreamingMethod {
 public:
  CusumDetector(const MethodSpec& method, const ParamSet& params, CusumConfig config)
      : StreamingMethod(method, params), c_(config) {}

  std::size_t state_size() const override { return StateBytes<CusumState>(0); }
  std::size_t warmup_periods() const override { return static_cast<std::size_t>(c_.baseline); }
  void InitState(std::span<std::byte> state) const override {
    ConstructState<CusumState>(state, 0);
  }
  Evaluation Update(std::span<std::byte> state, const Point& point) const override;

 private:
  double Standardise(double x, double m, double s) const;
  double UpperBound(double m, double s, double previous, double current) const;

  CusumConfig c_;
};

double CusumDetector::Standardise(double x, double m, double s) const {
  switch (c_.trans) {
    case Trans::kStandard:
      return (x - m) / std::sqrt(m);
    case Trans::kRossi:
      return (x - 3 * m + 2 * std::sqrt(x * m)) / (2 * std::sqrt(m));
    case Trans::kAnscombe:
      return 3.0 / 2 * (std::pow(x, 2.0 / 3) - std::pow(m, 2.0 / 3)) / std::pow(m, 1.0 / 6);
    case Trans::kAnscombe2nd:
      return (std::pow(x, 2.0 / 3) - (std::pow(m, 2.0 / 3) - std::pow(m, -1.0 / 3) / 9)) /
             (2.0 / 3 * std::pow(m, 1.0 / 6));
    case Trans::kPearsonNegBin:
      return (x - m) / std::sqrt(m + c_.alpha * (m * m));
    case Trans::kNone:
      return x;
    case Trans::kGaussian:
      return (x - m) / s;
  }
  return kMissing;
}

// algo.cusum's bound for each transformation; previous = S(t-1), current = S(t).
double CusumDetector::UpperBound(double m, double s, double previous, double current) const {
  const double hk = c_.h + c_.k - previous;
  double bound = kMissing;
  switch (c_.trans) {
    case Trans::kStandard:
      bound = std::ceil(std::sqrt(m) * hk + m);
      break;
    case Trans::kRossi: {
      const double root = std::pow(m, 0.5);
      const double m32 = std::pow(m, 1.5);
      bound = 2 * c_.h * root + 2 * c_.k * root - 2 * previous * root + 5 * m -
              2 * std::pow(4 * (m * m) + 2 * m32 * c_.h + 2 * m32 * c_.k - 2 * m32 * previous, 0.5);
      break;
    }
    case Trans::kAnscombe:
    case Trans::kAnscombe2nd: {
      const double shift = c_.trans == Trans::kAnscombe
                               ? std::pow(m, 2.0 / 3)
                               : std::pow(m, 2.0 / 3) - std::pow(m, 1.0 / 3) / 9;
      const double v = 2.0 / 3 * std::pow(m, 1.0 / 6) * hk + shift;
      bound = v < 0 ? 0 : std::pow(v, 1.5);
      break;
    }
    case Trans::kPearsonNegBin:
      bound = std::sqrt(m + c_.alpha * (m * m)) * hk + m;
      break;
    case Trans::kNone:
      bound = c_.h - current;
      break;
    case Trans::kGaussian:
      bound = m + s * hk;
      break;
  }
  return std::isnan(bound) || bound < 0 ? 0 : bound;
}

Evaluation CusumDetector::Update(std::span<std::byte> state, const Point& point) const {
  CusumState& s = StateHeader<CusumState>(state);
  Evaluation e;
  e.observed = point.value;
  const bool missing = std::isnan(point.value);
  if (s.seen++ < c_.baseline) {
    if (!missing) {
      s.baseline.Add(point.value);
    }
    e.reason = kInBaseline;
    return e;
  }
  const double m = std::isnan(c_.m) ? s.baseline.Mean() : c_.m;
  const double sd = s.baseline.Sd();
  e.expected = m;
  e.baseline_from = 0;
  e.baseline_to = c_.baseline - 1;
  if (std::isnan(m)) {
    e.reason = kNoBaselineValue;
    return e;
  }
  if (missing) {
    e.reason = kMissingObserved;
    return e;
  }
  const double previous = s.cusum;
  const double current = RMax(0, previous + (Standardise(point.value, m, sd) - c_.k));
  e.evaluated = true;
  e.upperbound = UpperBound(m, sd, previous, current);
  e.alarm = current >= c_.h;
  e.score = current;
  s.cusum = e.alarm && c_.reset ? 0 : current;
  return e;
}

}  // namespace

Result<std::unique_ptr<Detector>> MakeCusumDetector(const MethodSpec& method,
                                                    const ParamSet& params,
                                                    const SeriesContext& context) {
  CusumConfig c;
  VIGIL_ASSIGN_OR_RETURN(c.trans, ParseTrans(params.GetText("trans")));
  c.k = params.GetDouble("k");
  c.h = params.GetDouble("h");
  c.alpha = params.GetDouble("alpha");
  c.reset = params.GetBool("reset");
  if (params.IsSet("m")) {
    c.m = params.GetDouble("m");
  }
  if (params.IsSet("baseline")) {
    c.baseline = params.GetInt("baseline");
  } else if (std::isnan(c.m)) {
    // surveillance uses every period before the first monitored one; without
    // a range to tell, Vigil takes one year of periods.
    c.baseline = context.periods_per_year;
  }
  if (c.baseline == 0 && std::isnan(c.m)) {
    return InvalidArgument("cusum: set m or a baseline of at least 1 period");
  }
  if (c.trans == Trans::kGaussian && c.baseline < 2) {
    return InvalidArgument("cusum: trans=gaussian needs a baseline of at least 2 periods");
  }
  return std::unique_ptr<Detector>(std::make_unique<CusumDetector>(method, params, c));
}

}  // namespace vigil
