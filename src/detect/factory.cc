// MakeDetector: one row per method name. Add a method by adding its row.
#include <string_view>

#include "detect/anomaly.h"
#include "detect/cusum.h"
#include "detect/detector.h"
#include "detect/ears.h"
#include "detect/ewma.h"
#include "detect/farrington.h"
#include "detect/farrington_flexible.h"
#include "detect/threshold.h"

namespace vigil {
namespace {

using Factory = Result<std::unique_ptr<Detector>> (*)(const MethodSpec&, const ParamSet&,
                                                      const SeriesContext&);

template <EarsVariant kVariant>
Result<std::unique_ptr<Detector>> MakeEars(const MethodSpec& method, const ParamSet& params,
                                           const SeriesContext& /*context*/) {
  return MakeEarsDetector(method, params, kVariant);
}

struct FactoryRow {
  std::string_view method;
  Factory make;
};

constexpr FactoryRow kFactories[] = {
    {"threshold", MakeThresholdDetector},
    {"ears-c1", MakeEars<EarsVariant::kC1>},
    {"ears-c2", MakeEars<EarsVariant::kC2>},
    {"ears-c3", MakeEars<EarsVariant::kC3>},
    {"cusum", MakeCusumDetector},
    {"ewma", MakeEwmaDetector},
    {"farrington", MakeFarringtonDetector},
    {"farrington-flexible", MakeFarringtonFlexibleDetector},
    {"anomaly", MakeAnomalyDetector},
};

}  // namespace

Result<std::unique_ptr<Detector>> MakeDetector(const MethodSpec& method, const ParamSet& params,
                                               const SeriesContext& context) {
  for (const FactoryRow& row : kFactories) {
    if (row.method == method.name) {
      return row.make(method, params, context);
    }
  }
  return UnknownMethod(method.name);
}

}  // namespace vigil
