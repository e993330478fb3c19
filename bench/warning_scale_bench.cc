// The warning stage at scale (src/engine/warning_scale_testing.h): 100,000
// daily series (25,000 districts x 4 indicators), one batch a day through
// the real pipeline (CSV, Ingestor, detection, WarningStage, SQLite); the
// first two days normal, then 1,000 districts in outbreak for three days at
// once. Reports each batch's time and the counts warning_scale_test checks.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/warning_scale_testing.h"

namespace vigil {
namespace {

// This thread's time on a CPU so far (Linux schedstat): on a shared, busy
// machine a batch's wall time says more about the neighbours.
std::int64_t OnCpuNs() {
  std::ifstream in("/proc/thread-self/schedstat");
  std::int64_t on_cpu_ns = 0;
  in >> on_cpu_ns;
  return on_cpu_ns;
}

void ReportCounts(const warning_scale::Counts& c, benchmark::State& state) {
  state.counters["active"] = static_cast<double>(c.active);
  state.counters["active_replayed"] = static_cast<double>(c.active_replayed);
  state.counters["replay_matches"] = c.replay_matches ? 1 : 0;
  state.counters["active_without_outbreak"] = static_cast<double>(c.active_without_outbreak);
  state.counters["outbreaks_without_warning"] = static_cast<double>(c.outbreaks_without_warning);
  state.counters["events"] = static_cast<double>(c.events);
  state.counters["evidence_events"] = static_cast<double>(c.evidence_events);
  state.counters["issued_events"] = static_cast<double>(c.issued_events);
  state.counters["outbox_items"] = static_cast<double>(c.outbox_items);
  state.counters["repeated_ids"] = static_cast<double>(c.repeated_ids);
  state.counters["issued_items"] = static_cast<double>(c.issued_items);
  state.counters["issued_not_once"] = static_cast<double>(c.issued_not_once);
  state.counters["items_without_outbreak"] = static_cast<double>(c.items_without_outbreak);
}

void BM_WarningScale(benchmark::State& state) {
  const warning_scale::Scenario scenario;
  for (auto _ : state) {
    state.PauseTiming();
    std::string pattern =
        (std::filesystem::temp_directory_path() / "vigil-warning-scale-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      state.SkipWithError("cannot create a temporary directory");
      return;
    }
    const std::filesystem::path dir = pattern;
    auto pipeline = warning_scale::Pipeline::Open(scenario, dir);
    if (!pipeline.ok()) {
      state.SkipWithError(pipeline.status().ToString().c_str());
      return;
    }
    state.ResumeTiming();
    for (int day = 0; day < scenario.days(); ++day) {
      const auto wall_start = std::chrono::steady_clock::now();
      const std::int64_t cpu_start = OnCpuNs();
      Result<IngestSummary> summary = (*pipeline)->IngestDay(day);
      if (!summary.ok()) {
        state.SkipWithError(summary.status().ToString().c_str());
        return;
      }
      const std::string batch = fmt::format("batch{}_", day + 1);
      state.counters[batch + "cpu_s"] = static_cast<double>(OnCpuNs() - cpu_start) / 1e9;
      state.counters[batch + "wall_s"] =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    }
    state.PauseTiming();
    Result<warning_scale::Counts> counts = (*pipeline)->Count();
    if (!counts.ok()) {
      state.SkipWithError(counts.status().ToString().c_str());
      return;
    }
    ReportCounts(*counts, state);
    pipeline->reset();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * scenario.series() * scenario.days());
}
BENCHMARK(BM_WarningScale)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace vigil
