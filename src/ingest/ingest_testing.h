// A small catalogue for ingest tests, benchmarks and fuzz targets.
#pragma once

#include <string>
#include <vector>

#include "model/catalogue.h"

namespace vigil::testing_catalogue {

// Indicators: salmonella-cases (weekly count), river-level (hourly level),
// gas-ppm (stream level), fuel-price (daily rate), flu-cases (monthly count).
// Regions: XA and its districts XA-01 .. XA-`districts`. `cases_detectors`
// are salmonella-cases' detectors (none by default).
inline Catalogue Make(int districts = 2, std::vector<DetectorSpec> cases_detectors = {}) {
  std::vector<Region> regions = {{.code = "XA", .name = "Example province"}};
  for (int i = 1; i <= districts; ++i) {
    const std::string code = (i < 10 ? "XA-0" : "XA-") + std::to_string(i);
    regions.push_back({.code = code, .name = "District " + code, .parent = "XA"});
  }
  std::vector<Indicator> indicators = {
      {.id = "salmonella-cases",
       .domain = "health",
       .frequency = Frequency::kWeekly,
       .detectors = std::move(cases_detectors)},
      {.id = "river-level",
       .domain = "flood",
       .frequency = Frequency::kHourly,
       .value_kind = ValueKind::kLevel},
      {.id = "gas-ppm",
       .domain = "mines",
       .frequency = Frequency::kStream,
       .value_kind = ValueKind::kLevel},
      {.id = "fuel-price",
       .domain = "supply",
       .frequency = Frequency::kDaily,
       .value_kind = ValueKind::kRate},
      {.id = "flu-cases", .domain = "health", .frequency = Frequency::kMonthly}};
  return Catalogue({}, {{.id = "health"}, {.id = "flood"}, {.id = "mines"}, {.id = "supply"}},
                   std::move(regions), std::move(indicators), {}, {});
}

}  // namespace vigil::testing_catalogue
