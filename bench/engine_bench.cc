// Streaming throughput of the detection engine: 100,000 series (4 gases in
// 25,000 mine sections), each judged by EARS C1, C2, C3, CUSUM and a
// threshold on every observation. BM_EngineStreaming discards the signals;
// BM_EngineStreamingWarnings feeds every one to the warning state machine
// (warn::Step), so the two give the warning stage's share of the cost.
// BM_EngineStreamingWarningStage runs the same sweeps through the pipeline's
// own WarningStage instead: signals offered as ingest offers them, and one
// batch (feed, tick, events and outbox written to a memory store, commit)
// per sweep.
// Counters report the state each detector keeps per series and the engine's
// total per series, and what the warnings did.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "detect/detector.h"
#include "engine/engine.h"
#include "engine/warning_stage.h"
#include "store/memory_store.h"
#include "warn/gate.h"
#include "warn/machine.h"

namespace vigil {
namespace {

constexpr int kMines = 250;
constexpr int kSectionsPerMine = 100;
constexpr int kSections = kMines * kSectionsPerMine;
constexpr std::array<const char*, 4> kGases = {"methane", "carbon-monoxide", "hydrogen-sulphide",
                                               "dust"};
constexpr int kSeries = kSections * static_cast<int>(kGases.size());
// Every 100th section leaks (1% of the series): 20 minutes in every 2 hours.
constexpr int kLeakEvery = 100;
constexpr int kLeakCycle = 120;
constexpr int kLeakMinutes = 20;

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

std::string MineCode(int mine) { return fmt::format("XM-{:03}", mine); }
std::string SectionCode(int section) {
  return fmt::format("{}-{:02}", MineCode(section / kSectionsPerMine), section % kSectionsPerMine);
}

// Regions XM > XM-000 .. XM-249 (mines) > XM-000-00 .. XM-249-99 (sections);
// each mine's inspectorate is responsible for it and escalates to the
// national one.
void AddMines(std::vector<Region>& regions, std::vector<Agency>& agencies) {
  regions.push_back({.code = "XM"});
  for (int m = 0; m < kMines; ++m) {
    regions.push_back({.code = MineCode(m), .parent = "XM"});
    const std::string id = fmt::format("mine-{:03}-inspectorate", m);
    agencies.push_back(
        {.id = id,
         .regions = {MineCode(m)},
         .channels = {{.kind = "webhook", .target = "https://" + id + ".example.org/vigil"}},
         .escalate_to = "national-inspectorate"});
  }
  for (int s = 0; s < kSections; ++s) {
    regions.push_back({.code = SectionCode(s), .parent = MineCode(s / kSectionsPerMine)});
  }
  agencies.push_back(
      {.id = "national-inspectorate",
       .regions = {"XM"},
       .channels = {{.kind = "webhook", .target = "https://inspectorate.example.org/vigil"}}});
}

Catalogue StreamCatalogue() {
  // EARS on 7-sample baselines scores noise above 5 about once in 1,000
  // evaluations, a leak far above 20. Two gases must agree within 5
  // minutes, so the noise of one sensor warns nobody.
  WarningPolicy policy{.id = "gas-leak",
                       .hazard = "gas-leak",
                       .score_cut_points = {5.0, 8.0, 12.0, 20.0},
                       .demote_after = std::chrono::minutes(10),
                       .expire_after = std::chrono::minutes(30),
                       .combine = CombineRule::kKOfN,
                       .combine_k = 2,
                       .combine_window = std::chrono::minutes(5),
                       .refresh_every = std::chrono::minutes(5)};
  std::vector<Indicator> indicators;
  for (const char* gas : kGases) {
    Indicator indicator{.id = gas,
                        .domain = "safety",
                        .frequency = Frequency::kStream,
                        .value_kind = ValueKind::kLevel,
                        .policy = policy.id};
    for (const auto& [method, params] : StreamDetectors()) {
      DetectorSpec spec{.method = method};
      for (const auto& [name, value] : params) {
        spec.params.push_back({.name = name, .value = value});
      }
      indicator.detectors.push_back(std::move(spec));
    }
    indicators.push_back(std::move(indicator));
  }
  std::vector<Region> regions;
  std::vector<Agency> agencies;
  AddMines(regions, agencies);
  return Catalogue({}, {{.id = "safety"}}, std::move(regions), std::move(indicators), {policy}, {},
                   std::move(agencies));
}

// By series id; id - 1 is section * 4 + gas.
const std::vector<SeriesKey>& StreamKeys() {
  static const std::vector<SeriesKey> keys = [] {
    std::vector<SeriesKey> k(kSeries + 1);
    for (SeriesId id = 1; id <= kSeries; ++id) {
      const auto gases = static_cast<SeriesId>(kGases.size());
      k[id] = {kGases[(id - 1) % gases], SectionCode(static_cast<int>((id - 1) / gases))};
    }
    return k;
  }();
  return keys;
}

// A fixed pseudo-random number in [-1, 1) for the series and step.
double Jitter(SeriesId id, std::int64_t step) {
  std::uint64_t x = static_cast<std::uint64_t>(id) * 0x9e3779b97f4a7c15ULL +
                    static_cast<std::uint64_t>(step) * 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 31;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 29;
  return static_cast<double>(x >> 11) * 0x1.0p-52 - 1.0;
}

// A slow wave with a little noise, and 0.6 more while the section leaks.
double Reading(SeriesId id, std::int64_t step) {
  const std::int64_t section = (id - 1) / static_cast<std::int64_t>(kGases.size());
  const bool leaking = section % kLeakEvery == 0 && (step + section) % kLeakCycle < kLeakMinutes;
  return 0.3 + 0.05 * std::sin(0.01 * static_cast<double>(step + id)) + 0.01 * Jitter(id, step) +
         (leaking ? 0.6 : 0.0);
}

const Catalogue& SharedCatalogue() {
  static const Catalogue catalogue = StreamCatalogue();
  return catalogue;
}

std::unique_ptr<DetectionEngine> NewEngine(benchmark::State& state) {
  auto engine = DetectionEngine::Create(SharedCatalogue());
  if (!engine.ok()) {
    state.SkipWithError(engine.status().ToString().c_str());
    return nullptr;
  }
  for (SeriesId id = 1; id <= kSeries; ++id) {
    if (!(*engine)->AddSeries(id, StreamKeys()[id]).ok()) {
      state.SkipWithError("AddSeries failed");
      return nullptr;
    }
  }
  return std::move(engine).value();
}

// One sweep: every series receives its reading for minute `step`.
void Sweep(DetectionEngine& engine, std::int64_t step, SignalSink& sink) {
  Observation o;
  o.time = Timestamp{std::chrono::minutes(step)};
  for (SeriesId id = 1; id <= kSeries; ++id) {
    o.series = id;
    o.value = Reading(id, step);
    engine.Observe(o, AppendOutcome::kInserted, sink);
  }
}

class CountingSink final : public SignalSink {
 public:
  void OnSignal(const Signal& signal) override { alarms_ += signal.evaluation.alarm ? 1 : 0; }
  std::int64_t alarms_ = 0;
};

// Feeds every signal through a warn::SignalGate to warn::Step at the
// signal's time, as the warning stage does, and keeps count of what the
// steps did.
class WarningSink final : public SignalSink {
 public:
  explicit WarningSink(const Catalogue& catalogue)
      : rules_(catalogue), gate_(rules_), keys_(StreamKeys()) {}

  void OnSignal(const Signal& signal) override {
    const size_t slot = static_cast<size_t>(signal.series);
    if (gate_.Quiet(state_, slot, signal.detector, signal.evaluation, signal.time)) {
      return;
    }
    const SeriesKey& key = keys_[signal.series];
    const Status stepped = gate_.Step(state_, slot,
                                      warn::SignalInput{.indicator = key.indicator,
                                                        .region = key.region,
                                                        .detector = signal.detector,
                                                        .period = signal.time,
                                                        .revised = signal.revised,
                                                        .evaluation = signal.evaluation},
                                      signal.time, out_);
    failed_ = failed_ || !stepped.ok();
    if (!out_.events.empty()) {
      Count(out_);
      out_ = {};
    }
  }
  void Tick(Timestamp now) {
    Result<warn::StepResult> ticked = warn::Step(rules_, state_, warn::Tick{}, now);
    failed_ = failed_ || !ticked.ok();
    if (ticked.ok()) {
      Count(*ticked);
    }
  }

  void Report(benchmark::State& state) const {
    if (failed_) {
      state.SkipWithError("a warning step failed");
      return;
    }
    std::int64_t keys_warned = 0;
    std::int64_t active = 0;
    for (const auto& [key, cell] : state_.cells) {
      keys_warned += cell.issued > 0 ? 1 : 0;
      active += cell.warning && cell.warning->active() ? 1 : 0;
    }
    state.counters["warnings_issued"] = static_cast<double>(issued_);
    state.counters["keys_warned"] = static_cast<double>(keys_warned);
    state.counters["active_at_end"] = static_cast<double>(active);
    state.counters["cells"] = static_cast<double>(state_.cells.size());
    state.counters["warning_events"] = static_cast<double>(events_);
    state.counters["notifications"] = static_cast<double>(notifications_);
  }

 private:
  void Count(const warn::StepResult& result) {
    events_ += static_cast<std::int64_t>(result.events.size());
    notifications_ += static_cast<std::int64_t>(result.notifications.size());
    for (const warn::Event& e : result.events) {
      issued_ += e.kind == warn::EventKind::kIssued ? 1 : 0;
    }
  }

  const warn::Rules rules_;
  warn::SignalGate gate_;
  const std::vector<SeriesKey>& keys_;
  warn::State state_;
  warn::StepResult out_;  // what the latest signal's step did
  bool failed_ = false;
  std::int64_t events_ = 0;
  std::int64_t notifications_ = 0;
  std::int64_t issued_ = 0;
};

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
  std::unique_ptr<DetectionEngine> engine = NewEngine(state);
  if (engine == nullptr) {
    return;
  }
  CountingSink sink;
  std::int64_t step = 0;
  for (auto _ : state) {
    Sweep(*engine, step++, sink);
  }
  state.SetItemsProcessed(state.iterations() * kSeries);
  state.counters["alarms"] = static_cast<double>(sink.alarms_);
  ReportStateSizes(*engine, state);
}
BENCHMARK(BM_EngineStreaming)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// The same sweeps with every signal fed to the warning state machine, and a
// clock tick after each sweep (as the warning stage ticks after each batch).
void BM_EngineStreamingWarnings(benchmark::State& state) {
  std::unique_ptr<DetectionEngine> engine = NewEngine(state);
  if (engine == nullptr) {
    return;
  }
  WarningSink sink(SharedCatalogue());
  std::int64_t step = 0;
  for (auto _ : state) {
    Sweep(*engine, step, sink);
    sink.Tick(Timestamp{std::chrono::minutes(step)});
    ++step;
  }
  state.SetItemsProcessed(state.iterations() * kSeries);
  sink.Report(state);
}
BENCHMARK(BM_EngineStreamingWarnings)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// Offers every signal to a WarningStage, as IngestDetection does.
class StageSink final : public SignalSink {
 public:
  explicit StageSink(WarningStage& stage) : stage_(stage), keys_(StreamKeys()) {}
  void OnSignal(const Signal& signal) override { stage_.Offer(keys_[signal.series], signal); }

 private:
  WarningStage& stage_;
  const std::vector<SeriesKey>& keys_;
};

void BM_EngineStreamingWarningStage(benchmark::State& state) {
  std::unique_ptr<DetectionEngine> engine = NewEngine(state);
  if (engine == nullptr) {
    return;
  }
  FakeClock clock{Timestamp{}};
  std::unique_ptr<Store> store = NewMemoryStore();
  Result<std::unique_ptr<WarningStage>> stage =
      WarningStage::Open(SharedCatalogue(), *store, clock);
  if (!stage.ok()) {
    state.SkipWithError(stage.status().ToString().c_str());
    return;
  }
  StageSink sink(**stage);
  std::int64_t step = 0;
  for (auto _ : state) {
    clock.Set(Timestamp{std::chrono::minutes(step)});
    Sweep(*engine, step, sink);
    Result<std::unique_ptr<StoreTransaction>> batch = store->Begin({"bench", clock.Now()});
    const Status written = batch.ok() ? (*stage)->Write(**batch) : batch.status();
    const Status committed = written.ok() ? (*batch)->Commit().status() : written;
    if (!committed.ok()) {
      state.SkipWithError(committed.ToString().c_str());
      return;
    }
    (*stage)->OnCommitted();
    ++step;
  }
  state.SetItemsProcessed(state.iterations() * kSeries);
  state.counters["warning_events"] = static_cast<double>((*stage)->committed().events);
  state.counters["notifications"] = static_cast<double>((*stage)->committed().notifications);
}
BENCHMARK(BM_EngineStreamingWarningStage)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace
}  // namespace vigil
