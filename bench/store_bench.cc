// Durable ingest into the SQLite store: 1,000,000 observations over 100,000
// series (10 weeks each), arriving as weekly data does (every series for week
// 1, then week 2...), committed in batches of 100,000; reading them back
// series by series; and reading the newest signals of a stream workspace.
// Figures and command: docs/STORAGE.md.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sqlite/sqlite_store.h"

namespace vigil {
namespace {

using std::chrono::days;

constexpr int kSeries = 100'000;
constexpr int kWeeks = 10;
constexpr int kBatchSize = 100'000;
constexpr std::int64_t kObservations = std::int64_t{kSeries} * kWeeks;
const Timestamp kWeek1 = Timestamp{} + days(19'786);

// A store in a fresh temporary directory, removed with it.
class TempStore {
 public:
  explicit TempStore(SqliteSync sync) {
    std::string pattern = (std::filesystem::temp_directory_path() / "vigil-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    dir_ = pattern;
    SqliteOptions options;
    options.synchronous = sync;
    auto store = OpenSqliteStore(dir_ / "vigil.db", options);
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      std::abort();
    }
    store_ = std::move(store).value();
  }
  ~TempStore() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Store& store() { return *store_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

void Check(const Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    std::abort();
  }
}

// Writes every observation week by week, `value_offset` added to each value.
// Allocates nothing per observation.
void IngestAll(Store& store, double value_offset, std::vector<SeriesKey>& keys) {
  Observation observation{0, kWeek1, 0, 1000.0, "surveillance-feed"};
  std::unique_ptr<StoreTransaction> txn;
  std::int64_t written = 0;
  std::vector<SeriesId> ids(kSeries, 0);  // as an ingest does, interning each key once
  for (int week = 0; week < kWeeks; ++week) {
    observation.time = kWeek1 + days(7 * week);
    for (int s = 0; s < kSeries; ++s) {
      if (txn == nullptr) {
        auto begun = store.Begin({"bench", kWeek1 + days(7 * week + 3)});
        Check(begun.status());
        txn = std::move(begun).value();
      }
      if (ids[s] == 0) {
        auto id = txn->InternSeries(keys[s]);
        Check(id.status());
        ids[s] = *id;
      }
      observation.series = ids[s];
      observation.value = value_offset + (s % 97) + week;
      Check(txn->Append(observation).status());
      if (++written % kBatchSize == 0) {
        Check(txn->Commit().status());
        txn.reset();
      }
    }
  }
}

// Wall time of the timed sections and, within it, the time this thread was
// runnable but waiting for a CPU (Linux schedstat). On a shared, busy machine
// the difference is the store's own elapsed time, disk waits included.
class CpuWait {
 public:
  void Start() {
    start_ = std::chrono::steady_clock::now();
    waited_start_ = RunQueueWaitNs();
  }
  void Stop() {
    wall_ += std::chrono::steady_clock::now() - start_;
    waited_ns_ += RunQueueWaitNs() - waited_start_;
  }
  void Report(benchmark::State& state, std::int64_t items) const {
    const double wall_s = std::chrono::duration<double>(wall_).count();
    const double waited_s = static_cast<double>(waited_ns_) / 1e9;
    state.counters["waited_for_cpu_pct"] = 100 * waited_s / wall_s;
    state.counters["items_per_second_unshared"] =
        static_cast<double>(items) / std::max(wall_s - waited_s, 1e-9);
  }

 private:
  static std::int64_t RunQueueWaitNs() {
    std::ifstream in("/proc/thread-self/schedstat");
    std::int64_t on_cpu_ns = 0;
    std::int64_t waiting_ns = 0;
    in >> on_cpu_ns >> waiting_ns;
    return waiting_ns;
  }

  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::duration wall_{};
  std::int64_t waited_start_ = 0;
  std::int64_t waited_ns_ = 0;
};

std::vector<SeriesKey> Keys() {
  std::vector<SeriesKey> keys;
  keys.reserve(kSeries);
  for (int s = 0; s < kSeries; ++s) {
    keys.push_back({fmt::format("cases-{}", s % 10), fmt::format("R{}", s)});
  }
  return keys;
}

SqliteSync Sync(const benchmark::State& state) {
  return state.range(0) == 0 ? SqliteSync::kNormal : SqliteSync::kFull;
}

void BM_IngestNew(benchmark::State& state) {
  std::vector<SeriesKey> keys = Keys();
  CpuWait cpu_wait;
  for (auto _ : state) {
    state.PauseTiming();
    auto temp = std::make_unique<TempStore>(Sync(state));
    state.ResumeTiming();
    cpu_wait.Start();
    IngestAll(temp->store(), 0, keys);
    cpu_wait.Stop();
    state.PauseTiming();
    temp.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kObservations);
  cpu_wait.Report(state, state.iterations() * kObservations);
}

// `offset` 0 re-ingests identical data (every write unchanged); 1 revises every value.
void IngestAgain(benchmark::State& state, double offset) {
  std::vector<SeriesKey> keys = Keys();
  CpuWait cpu_wait;
  for (auto _ : state) {
    state.PauseTiming();
    auto temp = std::make_unique<TempStore>(Sync(state));
    IngestAll(temp->store(), 0, keys);
    state.ResumeTiming();
    cpu_wait.Start();
    IngestAll(temp->store(), offset, keys);
    cpu_wait.Stop();
    state.PauseTiming();
    temp.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kObservations);
  cpu_wait.Report(state, state.iterations() * kObservations);
}

void BM_ReingestIdentical(benchmark::State& state) { IngestAgain(state, 0); }
void BM_ReviseAll(benchmark::State& state) { IngestAgain(state, 1); }

// Reads every series over all of its weeks once, as detection's restore does
// when a command starts, with an eleventh week of the first 10,000 series
// still among the recent rows (a batch smaller than a fold).
void BM_ReadEverySeries(benchmark::State& state) {
  std::vector<SeriesKey> keys = Keys();
  TempStore temp(SqliteSync::kNormal);
  IngestAll(temp.store(), 0, keys);
  auto begun = temp.store().Begin({"bench", kWeek1 + days(7 * kWeeks + 3)});
  Check(begun.status());
  std::unique_ptr<StoreTransaction> txn = std::move(begun).value();
  for (int s = 0; s < 10'000; ++s) {
    auto id = txn->InternSeries(keys[s]);
    Check(id.status());
    Check(txn->Append({*id, kWeek1 + days(7 * kWeeks), 1.0, std::nullopt, "late-feed"}).status());
  }
  Check(txn->Commit().status());
  auto series = temp.store().ListSeries();
  Check(series.status());
  std::int64_t rows = 0;
  for (auto _ : state) {
    for (const SeriesInfo& info : *series) {
      auto read = temp.store().Read(info.id, Timestamp::min(), Timestamp::max(), std::nullopt);
      Check(read.status());
      rows += std::ssize(*read);
    }
  }
  if (rows != state.iterations() * (kObservations + 10'000)) {
    std::fprintf(stderr, "read %lld rows\n", static_cast<long long>(rows));
    std::abort();
  }
  state.SetItemsProcessed(state.iterations() * kSeries);
}

// Reads the newest 100 signals across every series, as the API's signal
// list does (argument 1: alarms only), after 300 batches of one signal from
// each of 1,000 sensors, one in 50 an alarm: four folds of 66,000 moved most
// of them, and the last 36,000 are recent rows.
void BM_ReadNewestSignals(benchmark::State& state) {
  constexpr int kSensors = 1'000;
  constexpr int kBatches = 300;
  TempStore temp(SqliteSync::kNormal);
  std::vector<SeriesId> ids;
  for (int b = 0; b < kBatches; ++b) {
    const Timestamp at = kWeek1 + std::chrono::seconds(10 * b);
    auto begun = temp.store().Begin({"bench", at});
    Check(begun.status());
    std::unique_ptr<StoreTransaction> txn = std::move(begun).value();
    for (int s = 0; s < kSensors; ++s) {
      if (b == 0) {
        auto id = txn->InternSeries({"sensor-reading", fmt::format("XS-{:04}", s)});
        Check(id.status());
        ids.push_back(*id);
      }
      SignalRecord r{.series = ids[s], .time = at, .method = "anomaly", .params = "w=60"};
      r.observed = s;
      r.alarm = (b * kSensors + s) % 50 == 0;
      Check(txn->WriteSignal(r));
    }
    Check(txn->Commit().status());
  }
  const SignalFilter filter{.alarms_only = state.range(0) == 1, .limit = 100, .newest_first = true};
  for (auto _ : state) {
    auto read = temp.store().ReadSignals(filter);
    Check(read.status());
    if (read->size() != 100) {
      std::fprintf(stderr, "read %zu signals\n", read->size());
      std::abort();
    }
  }
}

// Argument: 0 = synchronous NORMAL (the default), 1 = FULL.
BENCHMARK(BM_IngestNew)
    ->ArgName("full_sync")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK(BM_ReingestIdentical)
    ->ArgName("full_sync")
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK(BM_ReviseAll)
    ->ArgName("full_sync")
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK(BM_ReadEverySeries)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK(BM_ReadNewestSignals)
    ->ArgName("alarms_only")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20)
    ->UseRealTime();

}  // namespace
}  // namespace vigil
