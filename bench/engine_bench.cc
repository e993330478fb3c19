// Streaming throughput of the detection engine: 100,000 series, each judged by
// EARS C1, C2, C3, CUSUM and a threshold on every observation. Counters report
// the state each detector keeps per series and the engine's total per series.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "detect/detector.h"
#include "engine/engine.h"

namespace vigil {
namespace {

constexpr int kSeries = 100'000;

class CountingSink final : public SignalSink {
 public:
  void OnSignal(const Signal& signal) override { alarms_ += signal.evaluation.alarm ? 1 : 0; }
  std::int64_t alarms_ = 0;
};

using Params = std::vector<std::pair<std::string, std::string>>;

// The detectors of every series: method and parameters.
const std::vector<std::pair<std::string, Params>>& StreamDetectors() {
  static const std::vector<std::pair<std::string, Params>> detectors = {
      {"ears-c1", {}},
      {"ears-c2", {}},
      {"ears-c3", {}},
      {"cusum", {{"baseline", "60"}}},
      {"threshold", {{"levels", "0.5,0.75,1,1.5"}}}};
  return detectors;
}

Catalogue StreamCatalogue() {
  Indicator gas{.id = "methane", .domain = "safety", .frequency = Frequency::kStream};
  gas.value_kind = ValueKind::kLevel;
  for (const auto& [method, params] : StreamDetectors()) {
    DetectorSpec spec{.method = method};
    for (const auto& [name, value] : params) {
      spec.params.push_back({.name = name, .value = value});
    }
    gas.detectors.push_back(std::move(spec));
  }
  std::vector<Region> regions{{.code = "R"}};
  return Catalogue({}, {{.id = "safety"}}, std::move(regions), {std::move(gas)}, {}, {});
}

// Counters `state_bytes_<method>` (one detector's state for one series) and
// `state_bytes_per_series` (every streaming state of one series, padded and
// concatenated as the engine keeps and checkpoints them).
void ReportStateSizes(DetectionEngine& engine, benchmark::State& state) {
  for (const auto& [method, given] : StreamDetectors()) {
    const MethodSpec* spec = FindMethod(method);
    Result<ParamSet> params = ParamSet::Parse(*spec, given);
    Result<std::unique_ptr<Detector>> detector =
        params.ok() ? MakeDetector(*spec, *params, SeriesContext{.periods_per_year = 0})
                    : Result<std::unique_ptr<Detector>>(params.status());
    if (!detector.ok()) {
      state.SkipWithError(detector.status().ToString().c_str());
      return;
    }
    state.counters["state_bytes_" + method] =
        static_cast<double>(dynamic_cast<const StreamingDetector&>(**detector).state_size());
  }
  std::vector<SeriesCheckpoint> series;
  std::vector<IndicatorCheckpoint> indicators;
  engine.TakeCheckpoints(series, indicators);
  if (!series.empty()) {
    state.counters["state_bytes_per_series"] = static_cast<double>(series.front().states.size());
  }
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
  ReportStateSizes(**engine, state);
}
BENCHMARK(BM_EngineStreaming)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace
}  // namespace vigil
