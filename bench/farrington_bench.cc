// Farrington detectors on 10 years of weekly history: evaluating the last 52
// weeks of a 520-week series (one iteration = 52 refits), the work
// surveillance::farringtonFlexible does for range = 469:520. The series is the
// simulated `sim_seasonal` reference series (Noufaily et al. design), so the R
// side of bench/farrington-vs-r.sh times the very same data.
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>

#include "detect/detector.h"
#include "detect/run.h"

namespace vigil {
namespace {

// The time and value columns of the reference file.
std::vector<Point> LoadSeries() {
  std::ifstream in(VIGIL_FARRINGTON_BENCH_SERIES);
  std::string text;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t second_comma = line.find(',', line.find(',') + 1);
    text += line.substr(0, second_comma) + "\n";
  }
  Result<SeriesTable> table = ParseSeriesCsv(text, VIGIL_FARRINGTON_BENCH_SERIES);
  return table.ok() ? table->points : std::vector<Point>{};
}

void EvaluateLastYear(benchmark::State& state, const char* method,
                      std::vector<std::pair<std::string, std::string>> given) {
  static const std::vector<Point> series = LoadSeries();
  const MethodSpec* spec = FindMethod(method);
  Result<ParamSet> params = ParamSet::Parse(*spec, given);
  const SeriesContext context{.periods_per_year = 52};
  Result<std::unique_ptr<Detector>> detector =
      params.ok() ? MakeDetector(*spec, *params, context)
                  : Result<std::unique_ptr<Detector>>(params.status());
  if (series.size() != 520 || !detector.ok()) {
    state.SkipWithError("cannot load the series or build the detector");
    return;
  }
  const auto& periodic = dynamic_cast<const PeriodicDetector&>(**detector);
  const std::span<const Point> points(series);
  for (auto _ : state) {
    for (std::size_t t = 468; t < 520; ++t) {
      benchmark::DoNotOptimize(periodic.Evaluate(points.first(t + 1), t, context));
    }
  }
  state.SetItemsProcessed(state.iterations() * 52);
}

void BM_FarringtonFlexible52Weeks(benchmark::State& state) {
  EvaluateLastYear(state, "farrington-flexible", {});
}
BENCHMARK(BM_FarringtonFlexible52Weeks)->Unit(benchmark::kMicrosecond);

void BM_FarringtonFlexible52WeeksNoPeriods10(benchmark::State& state) {
  EvaluateLastYear(state, "farrington-flexible", {{"noPeriods", "10"}});
}
BENCHMARK(BM_FarringtonFlexible52WeeksNoPeriods10)->Unit(benchmark::kMicrosecond);

void BM_Farrington52Weeks(benchmark::State& state) { EvaluateLastYear(state, "farrington", {}); }
BENCHMARK(BM_Farrington52Weeks)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace vigil
