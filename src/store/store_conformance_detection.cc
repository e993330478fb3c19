// The part of the Store conformance suite about what detection writes:
// signals (one row per key, revisions counted) and checkpoints.
#include <string>
#include <vector>

#include "store/store_conformance.h"

namespace vigil {
namespace {

const SeriesKey kCasesA{"cases", "CN-32"};
const SeriesKey kCasesB{"cases", "CN-33"};
const SeriesKey kLevels{"river-level", "CN-32"};

SignalRecord Sig(SeriesId series, Timestamp time, double observed, bool alarm = false,
                 int detector = 0) {
  SignalRecord s;
  s.series = series;
  s.detector = detector;
  s.time = time;
  s.method = "farrington-flexible";
  s.params = "b=5,w=3";
  s.observed = observed;
  s.expected = 4.5;
  s.upperbound = 9.25;
  s.score = (observed - 4.5) / 4.75;
  s.alarm = alarm;
  s.baseline_from = 10;
  s.baseline_to = 270;
  return s;
}

std::vector<double> Observed(const std::vector<StoredSignal>& signals) {
  std::vector<double> observed;
  for (const StoredSignal& s : signals) {
    observed.push_back(s.signal.observed.value_or(-1));
  }
  return observed;
}

// Writes `signals` in one batch arriving at `arrived` and commits it.
BatchRecord CommitSignals(Store& store, Timestamp arrived,
                          const std::vector<SignalRecord>& signals) {
  auto txn = store.Begin({"signals", arrived});
  EXPECT_TRUE(txn.ok()) << txn.status().ToString();
  for (const SignalRecord& signal : signals) {
    const Status status = (*txn)->WriteSignal(signal);
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
  auto record = (*txn)->Commit();
  EXPECT_TRUE(record.ok()) << record.status().ToString();
  return record.ok() ? *record : BatchRecord{};
}

std::vector<StoredSignal> Signals(Store& store, const SignalFilter& filter = {}) {
  auto signals = store.ReadSignals(filter);
  EXPECT_TRUE(signals.ok()) << signals.status().ToString();
  return signals.ok() ? *signals : std::vector<StoredSignal>{};
}

}  // namespace

TEST_P(StoreConformanceTest, SignalKeepsItsEvidenceAndBatch) {
  const SeriesId id = CommitSeries(kCasesA);
  const BatchRecord batch = CommitSignals(*store_, kDay1, {Sig(id, kWeek1, 12, true)});
  const std::vector<StoredSignal> read = Signals(*store_);
  ASSERT_EQ(read.size(), 1u);
  const SignalRecord& s = read[0].signal;
  EXPECT_EQ(read[0].key, kCasesA);
  EXPECT_EQ(read[0].batch, batch.id);
  EXPECT_EQ(read[0].revisions, 0);
  EXPECT_EQ(s.series, id);
  EXPECT_EQ(s.detector, 0);
  EXPECT_EQ(s.time, kWeek1);
  EXPECT_EQ(s.method, "farrington-flexible");
  EXPECT_EQ(s.params, "b=5,w=3");
  EXPECT_EQ(s.observed, 12);
  EXPECT_EQ(s.expected, 4.5);
  EXPECT_EQ(s.upperbound, 9.25);
  EXPECT_EQ(s.score, (12 - 4.5) / 4.75);
  EXPECT_TRUE(s.alarm);
  EXPECT_EQ(s.baseline_from, 10);
  EXPECT_EQ(s.baseline_to, 270);
  EXPECT_EQ(s.note, "");
}

TEST_P(StoreConformanceTest, AbsentNumbersStayAbsent) {
  const SeriesId id = CommitSeries(kLevels);
  SignalRecord s;
  s.series = id;
  s.time = kWeek1;
  s.method = "threshold";
  s.params = "levels=1,2";
  s.note = "not enough history";
  CommitSignals(*store_, kDay1, {s});
  const std::vector<StoredSignal> read = Signals(*store_);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].signal.observed, std::nullopt);
  EXPECT_EQ(read[0].signal.expected, std::nullopt);
  EXPECT_EQ(read[0].signal.score, std::nullopt);
  EXPECT_EQ(read[0].signal.baseline_from, std::nullopt);
  EXPECT_EQ(read[0].signal.note, "not enough history");
}

TEST_P(StoreConformanceTest, RewrittenSignalUpdatesItsRowAndCountsARevision) {
  const SeriesId id = CommitSeries(kCasesA);
  CommitSignals(*store_, kDay1, {Sig(id, kWeek1, 3), Sig(id, kWeek2, 4)});
  const BatchRecord late = CommitSignals(*store_, kDay2, {Sig(id, kWeek1, 15, true)});
  CommitSignals(*store_, kDay2, {Sig(id, kWeek1, 16, true)});
  const std::vector<StoredSignal> read = Signals(*store_);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(Observed(read), (std::vector<double>{16, 4}));
  EXPECT_TRUE(read[0].signal.alarm);
  EXPECT_EQ(read[0].revisions, 2);
  EXPECT_EQ(read[0].batch, late.id + 1);
  EXPECT_EQ(read[1].revisions, 0);
}

TEST_P(StoreConformanceTest, SignalsOfDifferentDetectorsAreDifferentRows) {
  const SeriesId id = CommitSeries(kCasesA);
  CommitSignals(*store_, kDay1, {Sig(id, kWeek1, 3, false, 0), Sig(id, kWeek1, 3, false, 1)});
  const std::vector<StoredSignal> read = Signals(*store_);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].signal.detector, 0);
  EXPECT_EQ(read[1].signal.detector, 1);
}

TEST_P(StoreConformanceTest, RolledBackSignalsAndCheckpointsLeaveNothing) {
  const SeriesId id = CommitSeries(kCasesA);
  {
    auto txn = store_->Begin({"rolled back", kDay1});
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->WriteSignal(Sig(id, kWeek1, 3)).ok());
    ASSERT_TRUE(
        (*txn)->WriteCheckpoints({{id, 1, 2, {std::byte{7}}}}, {{"cases", 9, 1, 0, true}}).ok());
    EXPECT_TRUE(Signals(*store_).empty()) << "uncommitted signals are not visible";
    (*txn)->Rollback();
  }
  EXPECT_TRUE(Signals(*store_).empty());
  auto checkpoints = store_->LoadCheckpoints();
  ASSERT_TRUE(checkpoints.ok());
  EXPECT_TRUE(checkpoints->series.empty());
  EXPECT_TRUE(checkpoints->indicators.empty());
}

TEST_P(StoreConformanceTest, SignalForUnknownSeriesIsNotFound) {
  auto txn = store_->Begin({"b", kDay1});
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ((*txn)->WriteSignal(Sig(42, kWeek1, 1)).code(), StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, SignalForSeriesInternedInTheSameBatchIsAccepted) {
  auto txn = store_->Begin({"b", kDay1});
  ASSERT_TRUE(txn.ok());
  auto id = (*txn)->InternSeries(kCasesA);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE((*txn)->WriteSignal(Sig(*id, kWeek1, 1)).ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ(Signals(*store_).size(), 1u);
}

TEST_P(StoreConformanceTest, FilterBySeriesIndicatorRegionTimeAndAlarms) {
  const SeriesId a = CommitSeries(kCasesA);
  const SeriesId b = CommitSeries(kCasesB);
  const SeriesId levels = CommitSeries(kLevels);
  CommitSignals(*store_, kDay1,
                {Sig(a, kWeek1, 1), Sig(a, kWeek2, 2, true), Sig(b, kWeek2, 3),
                 Sig(levels, kWeek2, 4, true), Sig(a, kWeek3, 5)});
  EXPECT_EQ(Observed(Signals(*store_, {.series = b})), std::vector<double>{3});
  EXPECT_EQ(Observed(Signals(*store_, {.indicator = "cases"})), (std::vector<double>{1, 2, 3, 5}));
  EXPECT_EQ(Observed(Signals(*store_, {.region = "CN-32"})), (std::vector<double>{1, 2, 4, 5}));
  EXPECT_EQ(Observed(Signals(*store_, {.from = kWeek2, .to = kWeek3})),
            (std::vector<double>{2, 3, 4}));
  EXPECT_EQ(Observed(Signals(*store_, {.alarms_only = true})), (std::vector<double>{2, 4}));
  EXPECT_EQ(
      Observed(Signals(*store_, {.indicator = "cases", .region = "CN-32", .alarms_only = true})),
      std::vector<double>{2});
  EXPECT_TRUE(Signals(*store_, {.indicator = "nothing"}).empty());
}

TEST_P(StoreConformanceTest, SignalsComeInTimeSeriesDetectorOrderOrReversed) {
  const SeriesId a = CommitSeries(kCasesA);
  const SeriesId b = CommitSeries(kCasesB);
  CommitSignals(
      *store_, kDay1,
      {Sig(b, kWeek2, 4), Sig(a, kWeek2, 3, false, 1), Sig(a, kWeek2, 2), Sig(a, kWeek1, 1)});
  EXPECT_EQ(Observed(Signals(*store_)), (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(Observed(Signals(*store_, {.newest_first = true})), (std::vector<double>{4, 3, 2, 1}));
  EXPECT_EQ(Observed(Signals(*store_, {.limit = 2})), (std::vector<double>{1, 2}));
  EXPECT_EQ(Observed(Signals(*store_, {.limit = 2, .newest_first = true})),
            (std::vector<double>{4, 3}));
}

TEST_P(StoreConformanceTest, AdmittedSignalsFillTheLimit) {
  const SeriesId a = CommitSeries(kCasesA);
  const SeriesId b = CommitSeries(kCasesB);
  CommitSignals(*store_, kDay1,
                {Sig(a, kWeek1, 1), Sig(b, kWeek1, 2), Sig(a, kWeek2, 3), Sig(b, kWeek2, 4),
                 Sig(b, kWeek3, 5), Sig(a, kWeek3, 6)});
  const auto only_a = [](const SeriesKey& key) { return key == kCasesA; };
  EXPECT_EQ(Observed(Signals(*store_, {.admit = only_a})), (std::vector<double>{1, 3, 6}));
  EXPECT_EQ(Observed(Signals(*store_, {.admit = only_a, .limit = 2})), (std::vector<double>{1, 3}));
  EXPECT_EQ(Observed(Signals(*store_, {.admit = only_a, .limit = 2, .newest_first = true})),
            (std::vector<double>{6, 3}));
  EXPECT_TRUE(Signals(*store_, {.admit = [](const SeriesKey&) { return false; }}).empty());
}

TEST_P(StoreConformanceTest, CheckpointsRoundTripAndAreReplacedByKey) {
  const SeriesId a = CommitSeries(kCasesA);
  const SeriesId b = CommitSeries(kCasesB);
  const std::vector<std::byte> states{std::byte{0}, std::byte{255}, std::byte{0}, std::byte{3}};
  auto write = [&](const std::vector<SeriesCheckpoint>& series,
                   const std::vector<IndicatorCheckpoint>& indicators) {
    auto txn = store_->Begin({"checkpoints", kDay1});
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->WriteCheckpoints(series, indicators).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  };
  write({{b, -5, 2800, {}}, {a, 1, 2, states}},
        {{"cases", 0xfedcba9876543210ULL, 2801, 2799, true}, {"river-level", 1, 0, 0, false}});
  write({{a, 10, 20, {std::byte{1}}}}, {{"river-level", 2, 5, 4, true}});
  auto loaded = store_->LoadCheckpoints();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->series.size(), 2u);
  EXPECT_EQ(loaded->series[0].series, a);
  EXPECT_EQ(loaded->series[0].last_time_ns, 10);
  EXPECT_EQ(loaded->series[0].states, std::vector<std::byte>{std::byte{1}});
  EXPECT_EQ(loaded->series[1].series, b);
  EXPECT_EQ(loaded->series[1].last_time_ns, -5);
  EXPECT_EQ(loaded->series[1].first_period, 2800);
  EXPECT_TRUE(loaded->series[1].states.empty());
  ASSERT_EQ(loaded->indicators.size(), 2u);
  EXPECT_EQ(loaded->indicators[0].indicator, "cases");
  EXPECT_EQ(loaded->indicators[0].fingerprint, 0xfedcba9876543210ULL);
  EXPECT_EQ(loaded->indicators[0].newest_period, 2801);
  EXPECT_EQ(loaded->indicators[0].closed_through, 2799);
  EXPECT_TRUE(loaded->indicators[0].started);
  EXPECT_EQ(loaded->indicators[1].fingerprint, 2u);
  EXPECT_EQ(loaded->indicators[1].closed_through, 4);
}

TEST_P(StoreConformanceTest, StreamJournalGoesWithItsBatchesInOrderUntilCleared) {
  const SeriesId a = CommitSeries(kLevels);
  const StreamSample s1{a, -7, 2.5, std::nullopt};
  const StreamSample s2{a, 1'700'000'000'000'000'000, -0.125, 40.0};
  const StreamSample s3{a, 1'700'000'000'000'000'001, 1e300, 0.5};
  const StreamSample s4{a + 1, 5, 0, std::nullopt};
  // Each step is one transaction: appends, a clear, and whether it commits.
  auto step = [&](const std::vector<StreamSample>& before, bool clear,
                  const std::vector<StreamSample>& after, bool commit) {
    auto txn = store_->Begin({"journal", kDay1});
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->AppendStreamJournal(before).ok());
    if (clear) {
      ASSERT_TRUE((*txn)->ClearStreamJournal().ok());
    }
    ASSERT_TRUE((*txn)->AppendStreamJournal(after).ok());
    if (commit) {
      ASSERT_TRUE((*txn)->Commit().ok());
    } else {
      (*txn)->Rollback();
    }
  };
  auto journal = [&] {
    auto loaded = store_->LoadCheckpoints();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return loaded.ok() ? loaded->journal : std::vector<StreamSample>{};
  };
  EXPECT_TRUE(journal().empty());
  step({s2, s1}, false, {}, true);
  step({s3}, false, {}, true);
  EXPECT_EQ(journal(), (std::vector<StreamSample>{s2, s1, s3}));
  step({s4}, true, {s1}, false);
  EXPECT_EQ(journal(), (std::vector<StreamSample>{s2, s1, s3})) << "a rollback clears nothing";
  step({}, false, {}, true);
  EXPECT_EQ(journal(), (std::vector<StreamSample>{s2, s1, s3})) << "an empty append adds nothing";
  step({s4}, true, {s1, s3}, true);
  EXPECT_EQ(journal(), (std::vector<StreamSample>{s1, s3}))
      << "a clear drops what was committed and what the transaction appended before it";
}

TEST_P(StoreConformanceTest, StatsByIndicatorCountSeriesObservationsSpanSignalsAndAlarms) {
  const SeriesId a = CommitSeries(kCasesA);
  const SeriesId b = CommitSeries(kCasesB);
  CommitSeries(kLevels);
  CommitBatch(kDay1, {{a, kWeek1, 1}, {a, kWeek3, 2}, {b, kWeek2, 3}});
  CommitSignals(*store_, kDay2,
                {Sig(a, kWeek1, 1), Sig(a, kWeek3, 2, true), Sig(b, kWeek2, 3, true)});
  auto stats = store_->StatsByIndicator();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  ASSERT_EQ(stats->size(), 2u);
  const IndicatorStats& cases = (*stats)[0];
  EXPECT_EQ(cases.indicator, "cases");
  EXPECT_EQ(cases.series, 2);
  EXPECT_EQ(cases.observations, 3);
  EXPECT_EQ(cases.first, kWeek1);
  EXPECT_EQ(cases.last, kWeek3);
  EXPECT_EQ(cases.signals, 3);
  EXPECT_EQ(cases.alarms, 2);
  const IndicatorStats& levels = (*stats)[1];
  EXPECT_EQ(levels.indicator, "river-level");
  EXPECT_EQ(levels.series, 1);
  EXPECT_EQ(levels.observations, 0);
  EXPECT_EQ(levels.first, std::nullopt);
  EXPECT_EQ(levels.signals, 0);
}

}  // namespace vigil
