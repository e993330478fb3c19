// Streaming throughput of the detection engine: 100,000 series, each judged by
// EARS C1, C2, C3, CUSUM and a threshold on every observation.
#include <benchmark/benchmark.h>

#include <cmath>

#include "engine/engine.h"

namespace vigil {
namespace {

constexpr int kSeries = 100'000;

class CountingSink final : public SignalSink {
 public:
  void OnSignal(const Signal& signal) override { alarms_ += signal.evaluation.alarm ? 1 : 0; }
  std::int64_t alarms_ = 0;
};

Catalogue StreamCatalogue() {
  Indicator gas{.id = "methane", .domain = "safety", .frequency = Frequency::kStream};
  gas.value_kind = ValueKind::kLevel;
  for (const char* method : {"ears-c1", "ears-c2", "ears-c3"}) {
    gas.detectors.push_back({.method = method});
  }
  gas.detectors.push_back({.method = "cusum", .params = {{.name = "baseline", .value = "60"}}});
  gas.detectors.push_back(
      {.method = "threshold", .params = {{.name = "levels", .value = "0.5,0.75,1,1.5"}}});
  std::vector<Region> regions{{.code = "R"}};
  return Catalogue({}, {{.id = "safety"}}, std::move(regions), {std::move(gas)}, {}, {});
}

void BM_EngineStreaming(benchmark::State& state) {
  static const Catalogue catalogue = StreamCatalogue();
  auto engine = DetectionEngine::Create(catalogue);
  if (!engine.ok()) {
    state.SkipWithError(engine.status().ToString().c_str());
    return;
  }
  for (SeriesId id = 1; id <= kSeries; ++id) {
    if (!(*engine)->AddSeries(id, {"methane", "R"}).ok()) {
      state.SkipWithError("AddSeries failed");
      return;
    }
  }
  CountingSink sink;
  Observation o;
  std::int64_t step = 0;
  for (auto _ : state) {
    // One sweep: every series receives its next minute's reading.
    o.time = Timestamp{std::chrono::minutes(step)};
    for (SeriesId id = 1; id <= kSeries; ++id) {
      o.series = id;
      o.value = 0.3 + 0.05 * std::sin(0.01 * static_cast<double>(step + id));
      (*engine)->Observe(o, AppendOutcome::kInserted, sink);
    }
    ++step;
  }
  state.SetItemsProcessed(state.iterations() * kSeries);
  state.counters["alarms"] = static_cast<double>(sink.alarms_);
}
BENCHMARK(BM_EngineStreaming)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace
}  // namespace vigil
