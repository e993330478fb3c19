#include "engine/ingest_detection.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "ingest/input.h"
#include "ingest/record_reader.h"
#include "sqlite/sqlite_store.h"
#include "store/memory_store.h"

namespace vigil {
namespace {

// A weekly count indicator with a periodic and a streaming detector, and a
// stream indicator with two streaming detectors.
std::string CatalogueYaml(const std::string& gas_levels = "5,8") {
  return fmt::format(R"(workspace:
  name: Test
domains:
  - id: health
    name: Health
  - id: mines
    name: Mines
regions:
  - code: XA
    name: Province
  - code: XA-01
    name: One
    parent: XA
  - code: XA-02
    name: Two
    parent: XA
indicators:
  - id: cases
    name: Cases
    domain: health
    unit: cases
    frequency: weekly
    direction: higher-is-worse
    value_kind: count
    allowed_lateness: 1w
    detectors:
      - method: farrington-flexible
        params: {{ b: 1, w: 2 }}
      - method: ears-c2
  - id: gas
    name: Gas
    domain: mines
    unit: ppm
    frequency: stream
    direction: higher-is-worse
    value_kind: level
    detectors:
      - method: ears-c3
      - method: threshold
        params: {{ levels: "{}" }}
  - id: untracked
    name: No detectors
    domain: health
    unit: cases
    frequency: weekly
    direction: higher-is-worse
    value_kind: count
)",
                     gas_levels);
}

const std::int64_t kFirstWeek = PeriodIndex(*ParseIsoWeek("2020-W01"), Frequency::kWeekly);
const Timestamp kFirstSample = *ParseRfc3339("2024-03-01T00:00:00Z");

std::string WeekLine(int region, int week, int value) {
  return fmt::format(
      "cases,XA-0{},{},{}\n", region,
      FormatEventTime(PeriodStart(kFirstWeek + week, Frequency::kWeekly), Frequency::kWeekly),
      value);
}

// Weekly counts for both regions, with an outbreak in weeks 100-102 of XA-01,
// and gas samples each minute with spikes; `skip_week` is left out for XA-02.
std::string Data(int first_week, int last_week, int first_sample, int last_sample,
                 int skip_week = -1) {
  std::string csv = "indicator,region,time,value\n";
  for (int w = first_week; w <= last_week; ++w) {
    for (int r = 1; r <= 2; ++r) {
      if (r == 2 && w == skip_week) {
        continue;
      }
      const bool outbreak = r == 1 && w >= 100 && w <= 102;
      csv += WeekLine(r, w, outbreak ? 30 : 4 + (w * 7 + r * 3) % 5);
    }
  }
  for (int i = first_sample; i <= last_sample; ++i) {
    const double value = i % 97 == 50 ? 9.5 : 2 + (i * 13 % 7) / 4.0;
    csv += fmt::format("gas,XA-01,{},{}\n", FormatRfc3339(kFirstSample + std::chrono::minutes(i)),
                       value);
  }
  return csv;
}

// File A: weeks 0-79 (XA-02 without week 60), samples 0-199. File B: weeks
// 80-129, samples 200-399, the missing week 60 (late) and a revision of week
// 75 of XA-01, both for periods A closed.
const std::string kFileA = Data(0, 79, 0, 199, /*skip_week=*/60);
const std::string kFileB = Data(80, 129, 200, 399) + WeekLine(2, 60, 6) + WeekLine(1, 75, 9);

// One row per stored signal and checkpoint, everything in it.
std::vector<std::string> Dump(Store& store) {
  std::vector<std::string> rows;
  const std::vector<StoredSignal> signals = store.ReadSignals({}).value();
  for (const StoredSignal& s : signals) {
    const SignalRecord& r = s.signal;
    rows.push_back(fmt::format(
        "signal {} {} {} {} [{}] {} {} {} {} {} {} {} {} '{}' batch {} revisions {}", r.series,
        r.detector, r.time.time_since_epoch().count(), r.method, r.params, r.observed.value_or(-1),
        r.expected.value_or(-1), r.upperbound.value_or(-1), r.score.value_or(-1), r.alarm, r.level,
        r.baseline_from.value_or(-1), r.baseline_to.value_or(-1), r.note, s.batch, s.revisions));
  }
  const Checkpoints checkpoints = store.LoadCheckpoints().value();
  for (const SeriesCheckpoint& c : checkpoints.series) {
    std::string states;
    for (std::byte b : c.states) {
      states += fmt::format("{:02x}", static_cast<int>(b));
    }
    rows.push_back(
        fmt::format("series {} {} {} {}", c.series, c.last_time_ns, c.first_period, states));
  }
  for (const IndicatorCheckpoint& c : checkpoints.indicators) {
    rows.push_back(fmt::format("indicator {} {} {} {} {}", c.indicator, c.fingerprint,
                               c.newest_period, c.closed_through, c.started));
  }
  return rows;
}

// Equal row lists; on failure, names the first row that differs.
void ExpectSameRows(const std::vector<std::string>& actual,
                    const std::vector<std::string>& expected) {
  const auto [a, e] = std::mismatch(actual.begin(), actual.end(), expected.begin(), expected.end());
  EXPECT_TRUE(a == actual.end() && e == expected.end())
      << "row " << (a - actual.begin()) << " of " << actual.size() << "/" << expected.size()
      << ":\n  actual:   " << (a == actual.end() ? "(none)" : *a)
      << "\n  expected: " << (e == expected.end() ? "(none)" : *e);
}

// Runs against the memory store and the SQLite store (reopened on restart).
class IngestDetectionTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vigil-detection-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    catalogue_ = LoadCatalogueText(CatalogueYaml(), "workspace.yaml").value();
    store_ = OpenStore(dir_ / "a");
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Store> OpenStore(const std::filesystem::path& file) {
    if (!GetParam()) {
      return NewMemoryStore();
    }
    return OpenSqliteStore(file, SqliteOptions{}).value();
  }

  // What a restart loses: the detection state in memory, and for SQLite the
  // connections and caches of the store.
  void Restart(std::unique_ptr<IngestDetection>& detection, const std::filesystem::path& file,
               std::int64_t journal_limit = 0) {
    detection.reset();
    if (GetParam()) {
      store_.reset();
      store_ = OpenStore(file);
    }
    detection = Open(catalogue_, journal_limit);
  }

  std::unique_ptr<IngestDetection> Open(const Catalogue& catalogue,
                                        std::int64_t journal_limit = 0) {
    auto detection = IngestDetection::Open(catalogue, *store_, nullptr, journal_limit);
    EXPECT_TRUE(detection.ok()) << detection.status().ToString();
    return detection.ok() ? std::move(detection).value() : nullptr;
  }

  Result<IngestSummary> Ingest(IngestDetection& detection, const std::string& csv,
                               const Catalogue* catalogue = nullptr, std::int64_t batch_size = 0) {
    StringSource source(csv);
    InputBuffer buffer(source);
    std::unique_ptr<RecordReader> reader = OpenCsvRecordReader(buffer, "data.csv").value();
    Ingestor ingestor(catalogue != nullptr ? *catalogue : catalogue_, *store_, clock_, &detection);
    IngestListener listener;
    return ingestor.Ingest(*reader, {"data.csv", "test"}, {.batch_size = batch_size}, listener);
  }

  void IngestOk(IngestDetection& detection, const std::string& csv, std::int64_t batch_size = 0) {
    auto summary = Ingest(detection, csv, nullptr, batch_size);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  }

  // Signals and checkpoints after A then B in one run, in a store of its own.
  std::vector<std::string> OneRun() {
    std::unique_ptr<Store> own = OpenStore(dir_ / "one-run");
    std::swap(own, store_);
    auto detection = Open(catalogue_);
    IngestOk(*detection, kFileA);
    IngestOk(*detection, kFileB);
    std::vector<std::string> dump = Dump(*store_);
    std::swap(own, store_);
    return dump;
  }

  std::filesystem::path dir_;
  Catalogue catalogue_;
  std::unique_ptr<Store> store_;
  FakeClock clock_{*ParseRfc3339("2024-06-01T00:00:00Z")};
};

INSTANTIATE_TEST_SUITE_P(Stores, IngestDetectionTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "sqlite" : "memory";
                         });

TEST_P(IngestDetectionTest, RestartBetweenBatchesChangesNoSignalAndNoCheckpoint) {
  const std::vector<std::string> one_run = OneRun();
  auto detection = Open(catalogue_);
  IngestOk(*detection, kFileA);
  Restart(detection, dir_ / "a");
  IngestOk(*detection, kFileB);
  ExpectSameRows(Dump(*store_), one_run);

  // Not vacuous: both indicators signalled, Farrington evaluated, and B
  // re-judged the two periods A had closed.
  const std::vector<StoredSignal> signals = store_->ReadSignals({}).value();
  const auto count = [&](auto predicate) {
    return std::count_if(signals.begin(), signals.end(), predicate);
  };
  EXPECT_GT(count([](const StoredSignal& s) { return s.key.indicator == "gas"; }), 300);
  EXPECT_GT(count([](const StoredSignal& s) { return s.signal.method == "farrington-flexible"; }),
            100);
  EXPECT_GT(count([](const StoredSignal& s) { return s.signal.alarm; }), 0);
  EXPECT_EQ(count([](const StoredSignal& s) { return s.revisions > 0; }), 2);
}

// The signal rows of a dump, without their batch (runs in batches of
// different sizes number them differently).
std::vector<std::string> SignalRows(const std::vector<std::string>& dump) {
  std::vector<std::string> rows;
  for (const std::string& row : dump) {
    if (row.starts_with("signal ")) {
      rows.push_back(row.substr(0, row.find(" batch ")));
    }
  }
  return rows;
}

TEST_P(IngestDetectionTest, StreamStatesRebuiltFromTheJournalJudgeAsIfNeverRestarted) {
  // A, then B's weeks, then B's gas samples (and its two late weeks) in five
  // parts, all in batches of 37 records; with `restarts`, a restart after
  // each part and a journal of at most 50 samples, so that the gas series'
  // states are written whole every other batch or so and restarts fall both
  // right after a whole checkpoint and with samples journalled. Returns the
  // signals, and the journal's length at each restart.
  constexpr std::int64_t kLimit = 50;
  const std::string b_head = kFileB.substr(0, kFileB.find("gas,XA-01"));
  const std::string b_gas = kFileB.substr(b_head.size());
  auto run = [&](const std::filesystem::path& file, bool restarts) {
    const std::int64_t limit = restarts ? kLimit : 0;
    std::vector<std::size_t> journal_sizes;
    auto detection = Open(catalogue_, limit);
    auto part_done = [&] {
      if (restarts) {
        journal_sizes.push_back(store_->LoadCheckpoints().value().journal.size());
        Restart(detection, file, limit);
      }
    };
    IngestOk(*detection, kFileA, 37);
    part_done();
    IngestOk(*detection, b_head, 37);
    std::size_t at = 0;
    for (int part = 0; part < 5; ++part) {
      const std::size_t end =
          part == 4 ? b_gas.size() : b_gas.find('\n', (part + 1) * b_gas.size() / 5) + 1;
      IngestOk(*detection, "indicator,region,time,value\n" + b_gas.substr(at, end - at), 37);
      part_done();
      at = end;
    }
    return std::pair(SignalRows(Dump(*store_)), journal_sizes);
  };
  std::unique_ptr<Store> own = OpenStore(dir_ / "one-run");
  std::swap(own, store_);
  const auto [one_run, unused] = run(dir_ / "one-run", false);
  std::swap(own, store_);
  const auto [restarted, journal_sizes] = run(dir_ / "a", true);

  ExpectSameRows(restarted, one_run);
  EXPECT_GT(std::ranges::count_if(
                one_run,
                [](const std::string& row) { return row.find(" ears-c3 ") != std::string::npos; }),
            300);
  EXPECT_TRUE(std::ranges::any_of(journal_sizes, [](std::size_t n) { return n > 0; }))
      << "some restart replayed a journal";
  EXPECT_TRUE(std::ranges::all_of(journal_sizes, [](std::size_t n) { return n < kLimit; }));
  const Checkpoints checkpoints = store_->LoadCheckpoints().value();
  EXPECT_TRUE(std::ranges::any_of(checkpoints.series, [](const SeriesCheckpoint& c) {
    return c.last_time_ns > kFirstSample.time_since_epoch().count();
  })) << "the gas series was checkpointed whole";
}

TEST_P(IngestDetectionTest, LateValueForClosedWeekRevisesItsSignal) {
  auto detection = Open(catalogue_);
  IngestOk(*detection, kFileA);
  const Timestamp week75 = PeriodStart(kFirstWeek + 75, Frequency::kWeekly);
  const SignalFilter filter{.indicator = "cases",
                            .region = "XA-01",
                            .from = week75,
                            .to = week75 + std::chrono::weeks(1)};
  const std::vector<StoredSignal> before = store_->ReadSignals(filter).value();
  ASSERT_EQ(before.size(), 2u) << "farrington-flexible and ears-c2 judged week 75";
  const std::int64_t rows_before = store_->ReadSignals({}).value().size();

  IngestOk(*detection, WeekLine(1, 75, 25).insert(0, "indicator,region,time,value\n"));
  const std::vector<StoredSignal> after = store_->ReadSignals(filter).value();
  ASSERT_EQ(after.size(), 2u);
  const StoredSignal& farrington = after[0];
  EXPECT_EQ(farrington.signal.method, "farrington-flexible");
  EXPECT_EQ(farrington.signal.observed, 25);
  EXPECT_FALSE(before[0].signal.alarm);
  EXPECT_TRUE(farrington.signal.alarm);
  EXPECT_GT(*farrington.signal.score, *before[0].signal.score);
  EXPECT_EQ(farrington.revisions, 1);
  EXPECT_EQ(farrington.batch, before[0].batch + 1);
  EXPECT_EQ(after[1].signal.method, "ears-c2");
  EXPECT_EQ(after[1].revisions, 0) << "streaming detectors do not re-judge";
  EXPECT_EQ(static_cast<std::int64_t>(store_->ReadSignals({}).value().size()), rows_before);
  EXPECT_EQ(detection->committed().revised, 1);
}

TEST_P(IngestDetectionTest, RolledBackBatchLeavesNothingAndDetectionContinues) {
  const std::vector<std::string> one_run = OneRun();
  auto detection = Open(catalogue_);
  IngestOk(*detection, kFileA);
  const std::vector<std::string> after_a = Dump(*store_);
  const DetectionCounts counts_after_a = detection->committed();

  auto failed = Ingest(*detection, kFileB + "cases,XA-01,2021-W01,not-a-number\n");
  ASSERT_FALSE(failed.ok());
  ExpectSameRows(Dump(*store_), after_a);
  EXPECT_EQ(detection->committed().signals, counts_after_a.signals);

  IngestOk(*detection, kFileB);
  ExpectSameRows(Dump(*store_), one_run);
}

TEST_P(IngestDetectionTest, ChangedDetectorConfigurationResetsStreamingState) {
  auto detection = Open(catalogue_);
  IngestOk(*detection, kFileA);
  // Threshold levels changed: the gas series starts afresh, so B judges as
  // it would on a store that never saw A's samples.
  const Catalogue changed = LoadCatalogueText(CatalogueYaml("6,9"), "workspace.yaml").value();
  detection.reset();
  detection = Open(changed);
  auto summary = Ingest(*detection, Data(0, -1, 200, 399), &changed);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const SignalFilter gas_b{.indicator = "gas", .from = kFirstSample + std::chrono::minutes(200)};
  const std::vector<StoredSignal> restarted = store_->ReadSignals(gas_b).value();

  std::unique_ptr<Store> fresh = OpenStore(dir_ / "fresh");
  std::swap(fresh, store_);
  detection = Open(changed);
  ASSERT_TRUE(Ingest(*detection, Data(0, -1, 200, 399), &changed).ok());
  const std::vector<StoredSignal> expected = store_->ReadSignals(gas_b).value();
  std::swap(fresh, store_);

  ASSERT_EQ(restarted.size(), expected.size());
  ASSERT_GT(restarted.size(), 0u);
  for (std::size_t i = 0; i < restarted.size(); ++i) {
    EXPECT_EQ(restarted[i].signal.params, expected[i].signal.params);
    EXPECT_EQ(restarted[i].signal.expected, expected[i].signal.expected) << i;
    EXPECT_EQ(restarted[i].signal.alarm, expected[i].signal.alarm) << i;
    EXPECT_EQ(restarted[i].signal.baseline_to, expected[i].signal.baseline_to) << i;
  }
}

TEST_P(IngestDetectionTest, IndicatorWithoutDetectorsIsIngestedButNotJudged) {
  auto detection = Open(catalogue_);
  IngestOk(*detection,
           "indicator,region,time,value\nuntracked,XA-01,2024-W01,3\n"
           "untracked,XA-01,2024-W05,3\n");
  EXPECT_EQ(store_->Stats().value().observations, 2);
  EXPECT_TRUE(store_->ReadSignals({}).value().empty());
  EXPECT_TRUE(store_->LoadCheckpoints().value().series.empty());
}

}  // namespace
}  // namespace vigil
