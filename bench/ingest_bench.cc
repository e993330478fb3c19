// Ingest throughput: CSV splitting alone, CSV parsing with validation against
// the catalogue (split + time + number conversion), JSON Lines parsing, and
// durable ingest of CSV through the Ingestor into a fresh SQLite store, without
// and with detection (the engine judging every series as it is ingested).
// Figures and commands: docs/INGEST.md.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/clock.h"
#include "engine/ingest_detection.h"
#include "ingest/csv.h"
#include "ingest/ingest_testing.h"
#include "ingest/ingestor.h"
#include "ingest/record_reader.h"
#include "ingest/validate.h"
#include "sqlite/sqlite_store.h"

namespace vigil {
namespace {

constexpr int kLines = 1'000'000;
constexpr int kDistricts = 99;

// Realistic weekly count lines, like salmonella-cases,XA-01,2024-W09,17,,sim.
const std::string& CsvInput() {
  static const std::string input = [] {
    std::string text = "indicator,region,time,value,denominator,source\n";
    for (int i = 0; i < kLines; ++i) {
      fmt::format_to(std::back_inserter(text), "salmonella-cases,XA-{:02},{}-W{:02},{},,sim\n",
                     i % kDistricts + 1, 2000 + i / (kDistricts * 52) % 25, i / kDistricts % 52 + 1,
                     i % 37);
    }
    return text;
  }();
  return input;
}

const std::string& JsonlInput() {
  static const std::string input = [] {
    std::string text;
    for (int i = 0; i < kLines / 10; ++i) {
      fmt::format_to(std::back_inserter(text),
                     "{{\"indicator\":\"salmonella-cases\",\"region\":\"XA-{:02}\","
                     "\"time\":\"2024-W{:02}\",\"value\":{},\"source\":\"sim\"}}\n",
                     i % kDistricts + 1, i % 52 + 1, i % 37);
    }
    return text;
  }();
  return input;
}

void BM_CsvSplit(benchmark::State& state) {
  const std::string& input = CsvInput();
  for (auto _ : state) {
    StringSource source(input);
    InputBuffer buffer(source);
    CsvReader reader(buffer);
    CsvRecord record;
    std::int64_t fields = 0;
    while (*reader.Next(record)) {
      fields += static_cast<std::int64_t>(record.fields.size());
    }
    benchmark::DoNotOptimize(fields);
  }
  state.SetItemsProcessed(state.iterations() * kLines);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(input.size()));
}
BENCHMARK(BM_CsvSplit)->Unit(benchmark::kMillisecond);

// Reads every record of `input` and validates it; returns the valid count.
std::int64_t ParseAndValidate(InputFormat format, const std::string& input, Validator& validator) {
  StringSource source(input);
  InputBuffer buffer(source);
  std::unique_ptr<RecordReader> reader = OpenRecordReader(format, buffer, "bench").value();
  RawRecord record;
  std::int64_t valid = 0;
  while (*reader->Next(record)) {
    valid += validator.Validate(record).ok() ? 1 : 0;
  }
  return valid;
}

void BM_CsvParseAndValidate(benchmark::State& state) {
  const Catalogue catalogue = testing_catalogue::Make(kDistricts);
  Validator validator(catalogue);
  const std::string& input = CsvInput();
  for (auto _ : state) {
    if (ParseAndValidate(InputFormat::kCsv, input, validator) != kLines) {
      state.SkipWithError("a generated line did not validate");
    }
  }
  state.SetItemsProcessed(state.iterations() * kLines);
}
BENCHMARK(BM_CsvParseAndValidate)->Unit(benchmark::kMillisecond);

void BM_JsonlParseAndValidate(benchmark::State& state) {
  const Catalogue catalogue = testing_catalogue::Make(kDistricts);
  Validator validator(catalogue);
  const std::string& input = JsonlInput();
  for (auto _ : state) {
    if (ParseAndValidate(InputFormat::kJsonl, input, validator) != kLines / 10) {
      state.SkipWithError("a generated line did not validate");
    }
  }
  state.SetItemsProcessed(state.iterations() * (kLines / 10));
}
BENCHMARK(BM_JsonlParseAndValidate)->Unit(benchmark::kMillisecond);

constexpr int kSeries = 100'000;
constexpr int kWeeks = 10;

// kWeeks weekly reports, each with one line for each of kSeries districts.
const std::string& ManySeriesCsv() {
  static const std::string input = [] {
    std::string text = "indicator,region,time,value,denominator,source\n";
    for (int week = 1; week <= kWeeks; ++week) {
      for (int d = 1; d <= kSeries; ++d) {
        fmt::format_to(std::back_inserter(text), "salmonella-cases,XA-{:02},2024-W{:02},{},,sim\n",
                       d, week, (d + week) % 37);
      }
    }
    return text;
  }();
  return input;
}

// Ingests ManySeriesCsv() into a new SQLite store per iteration, with
// detection when `detect`. Argument: the batch size (0: one batch).
void IngestManySeries(benchmark::State& state, const Catalogue& catalogue, bool detect) {
  const std::string& input = ManySeriesCsv();
  const SystemClock clock;
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / fmt::format("vigil-ingest-bench-{}.db", ::getpid());
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(file.string() + suffix);
    }
    std::unique_ptr<Store> store = OpenSqliteStore(file, {}).value();
    state.ResumeTiming();
    std::unique_ptr<IngestDetection> detection;
    if (detect) {
      detection = IngestDetection::Open(catalogue, *store).value();
    }
    StringSource source(input);
    InputBuffer buffer(source);
    std::unique_ptr<RecordReader> reader = OpenCsvRecordReader(buffer, "bench.csv").value();
    Ingestor ingestor(catalogue, *store, clock, detection.get());
    IngestListener listener;
    Result<IngestSummary> summary =
        ingestor.Ingest(*reader, {"bench.csv", "sim"}, {.batch_size = state.range(0)}, listener);
    if (!summary.ok() || summary->inserted != kSeries * kWeeks) {
      state.SkipWithError(summary.ok() ? "not every line was inserted"
                                       : summary.status().ToString().c_str());
    }
    if (detect) {
      state.counters["signals"] = static_cast<double>(detection->committed().signals);
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(file.string() + suffix);
  }
  state.SetItemsProcessed(state.iterations() * kSeries * kWeeks);
}

void BM_IngestCsvIntoSqlite(benchmark::State& state) {
  IngestManySeries(state, testing_catalogue::Make(kSeries), false);
}
BENCHMARK(BM_IngestCsvIntoSqlite)
    ->Arg(0)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

// The same with detection: ears-c2 (streaming; judges from the fourth week)
// and farrington-flexible (periodic; too little history to fit in 10 weeks,
// so this times its bookkeeping, not its fits: see farrington_bench).
void BM_IngestCsvIntoSqliteWithDetection(benchmark::State& state) {
  IngestManySeries(
      state,
      testing_catalogue::Make(kSeries, {{.method = "ears-c2"}, {.method = "farrington-flexible"}}),
      true);
}
BENCHMARK(BM_IngestCsvIntoSqliteWithDetection)
    ->Arg(0)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

}  // namespace
}  // namespace vigil
