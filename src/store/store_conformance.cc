#include "store/store_conformance.h"

#include <stdlib.h>

#include <string>
#include <vector>

namespace vigil {
namespace {

using std::chrono::days;
using std::chrono::hours;

const SeriesKey kCases{"cases", "CN-32"};
const SeriesKey kLevels{"river-level", "CN-32-01"};

Observation Obs(SeriesId series, Timestamp time, double value,
                std::optional<double> denominator = std::nullopt, std::string source = "lab-feed") {
  return {series, time, value, denominator, std::move(source)};
}

std::vector<double> Values(const std::vector<StoredObservation>& stored) {
  std::vector<double> values;
  for (const StoredObservation& s : stored) {
    values.push_back(s.value);
  }
  return values;
}

std::vector<Timestamp> Times(const std::vector<StoredObservation>& stored) {
  std::vector<Timestamp> times;
  for (const StoredObservation& s : stored) {
    times.push_back(s.time);
  }
  return times;
}

}  // namespace

std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

void StoreConformanceTest::SetUp() {
  std::string pattern = ::testing::TempDir() + "vigil-store-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  dir_ = pattern;
  auto store = GetParam().make(dir_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  store_ = std::move(store).value();
}

void StoreConformanceTest::TearDown() {
  store_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

SeriesId StoreConformanceTest::CommitSeries(const SeriesKey& key) {
  auto txn = store_->Begin({"series", kWeek1});
  EXPECT_TRUE(txn.ok()) << txn.status().ToString();
  auto id = (*txn)->InternSeries(key);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  auto committed = (*txn)->Commit();
  EXPECT_TRUE(committed.ok()) << committed.status().ToString();
  return *id;
}

BatchRecord StoreConformanceTest::CommitBatch(Timestamp arrived,
                                              const std::vector<Observation>& observations) {
  auto txn = store_->Begin({"batch", arrived});
  EXPECT_TRUE(txn.ok()) << txn.status().ToString();
  for (const Observation& observation : observations) {
    auto outcome = (*txn)->Append(observation);
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
  }
  auto record = (*txn)->Commit();
  EXPECT_TRUE(record.ok()) << record.status().ToString();
  return record.ok() ? *record : BatchRecord{};
}

TEST_P(StoreConformanceTest, AppendNewObservationIsInsertedWithItsArrival) {
  const SeriesId id = CommitSeries(kCases);
  auto txn = store_->Begin({"cases.csv", kDay1});
  ASSERT_TRUE(txn.ok());
  auto outcome = (*txn)->Append(Obs(id, kWeek1, 12, 3400.5, "lab-feed"));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(*outcome, AppendOutcome::kInserted);
  ASSERT_TRUE((*txn)->Commit().ok());

  auto read = store_->Read(id, kWeek1, kWeek2, std::nullopt);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].time, kWeek1);
  EXPECT_EQ((*read)[0].value, 12);
  EXPECT_EQ((*read)[0].denominator, 3400.5);
  EXPECT_EQ((*read)[0].source, "lab-feed");
  EXPECT_EQ((*read)[0].arrived, kDay1);
}

TEST_P(StoreConformanceTest, MissingDenominatorStaysMissing) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 0)});
  auto read = store_->Read(id, kWeek1, kWeek2, std::nullopt);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].denominator, std::nullopt);
}

TEST_P(StoreConformanceTest, TimesKeepNanosecondsAndDatesBefore1970) {
  const SeriesId id = CommitSeries(kLevels);
  const Timestamp early = Timestamp{} - days(20'000) + Duration(1);
  const Timestamp precise = kWeek1 + Duration(123'456'789);
  CommitBatch(kDay1, {Obs(id, early, 1), Obs(id, precise, 2)});
  auto read = store_->Read(id, early, kWeek2, std::nullopt);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(Times(*read), (std::vector<Timestamp>{early, precise}));
}

TEST_P(StoreConformanceTest, RevisionKeepsOldVersionWithItsArrival) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 12)});
  auto txn = store_->Begin({"late.csv", kDay2});
  ASSERT_TRUE(txn.ok());
  auto outcome = (*txn)->Append(Obs(id, kWeek1, 15));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, AppendOutcome::kRevised);
  ASSERT_TRUE((*txn)->Commit().ok());

  auto history = store_->History(id, kWeek1);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].value, 12);
  EXPECT_EQ((*history)[0].arrived, kDay1);
  EXPECT_EQ((*history)[1].value, 15);
  EXPECT_EQ((*history)[1].arrived, kDay2);
  auto read = store_->Read(id, kWeek1, kWeek2, std::nullopt);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(Values(*read), std::vector<double>{15});
}

TEST_P(StoreConformanceTest, IdenticalRewriteIsUnchangedAndChangesNothing) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 12, 100), Obs(id, kWeek2, 0)});
  auto before = store_->Stats();
  ASSERT_TRUE(before.ok());

  auto txn = store_->Begin({"again.csv", kDay2});
  ASSERT_TRUE(txn.ok());
  auto first = (*txn)->Append(Obs(id, kWeek1, 12, 100));
  auto second = (*txn)->Append(Obs(id, kWeek2, 0));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, AppendOutcome::kUnchanged);
  EXPECT_EQ(*second, AppendOutcome::kUnchanged);
  auto record = (*txn)->Commit();
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->unchanged, 2);
  EXPECT_EQ(record->inserted + record->revised, 0);

  auto after = store_->Stats();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->observations, before->observations);
  EXPECT_EQ(after->revisions, before->revisions);
  auto history = store_->History(id, kWeek1);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].arrived, kDay1);
}

TEST_P(StoreConformanceTest, ChangedDenominatorIsRevision) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 12, 100)});
  auto txn = store_->Begin({"b", kDay2});
  ASSERT_TRUE(txn.ok());
  auto changed = (*txn)->Append(Obs(id, kWeek1, 12, 101));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, AppendOutcome::kRevised);
}

TEST_P(StoreConformanceTest, RemovedDenominatorIsRevision) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 12, 100)});
  auto txn = store_->Begin({"b", kDay2});
  ASSERT_TRUE(txn.ok());
  auto changed = (*txn)->Append(Obs(id, kWeek1, 12));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, AppendOutcome::kRevised);
}

TEST_P(StoreConformanceTest, ChangedSourceIsRevision) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 12, std::nullopt, "lab-feed")});
  auto txn = store_->Begin({"b", kDay2});
  ASSERT_TRUE(txn.ok());
  auto changed = (*txn)->Append(Obs(id, kWeek1, 12, std::nullopt, "hospital-feed"));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, AppendOutcome::kRevised);
  ASSERT_TRUE((*txn)->Commit().ok());
  auto read = store_->Read(id, kWeek1, kWeek2, std::nullopt);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].source, "hospital-feed");
}

TEST_P(StoreConformanceTest, SecondWriteInOneBatchIsRevision) {
  const SeriesId id = CommitSeries(kCases);
  auto txn = store_->Begin({"b", kDay1});
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->Append(Obs(id, kWeek1, 1)).ok());
  auto second = (*txn)->Append(Obs(id, kWeek1, 2));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, AppendOutcome::kRevised);
  ASSERT_TRUE((*txn)->Commit().ok());
  auto history = store_->History(id, kWeek1);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(Values(*history), (std::vector<double>{1, 2}));
  auto as_of = store_->Read(id, kWeek1, kWeek2, kDay1);
  ASSERT_TRUE(as_of.ok());
  EXPECT_EQ(Values(*as_of), std::vector<double>{2});
}

TEST_P(StoreConformanceTest, AsOfReadReturnsVersionKnownAtEachArrivalTime) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 10)});
  CommitBatch(kDay2, {Obs(id, kWeek1, 14)});
  CommitBatch(kDay3, {Obs(id, kWeek1, 17)});
  const auto read_as_of = [&](Timestamp as_of) {
    auto read = store_->Read(id, kWeek1, kWeek2, as_of);
    EXPECT_TRUE(read.ok());
    return read.ok() ? Values(*read) : std::vector<double>{};
  };
  EXPECT_EQ(read_as_of(kDay1 - Duration(1)), std::vector<double>{});
  EXPECT_EQ(read_as_of(kDay1), std::vector<double>{10});
  EXPECT_EQ(read_as_of(kDay2 - Duration(1)), std::vector<double>{10});
  EXPECT_EQ(read_as_of(kDay2), std::vector<double>{14});
  EXPECT_EQ(read_as_of(kDay3 + hours(1)), std::vector<double>{17});
}

TEST_P(StoreConformanceTest, AsOfReadOmitsObservationsNotYetArrived) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 10)});
  CommitBatch(kDay2, {Obs(id, kWeek2, 20)});
  auto read = store_->Read(id, kWeek1, kWeek3, kDay1);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(Times(*read), std::vector<Timestamp>{kWeek1});
  auto arrived = store_->Read(id, kWeek1, kWeek3, kDay2);
  ASSERT_TRUE(arrived.ok());
  EXPECT_EQ(Times(*arrived), (std::vector<Timestamp>{kWeek1, kWeek2}));
}

TEST_P(StoreConformanceTest, RollbackLeavesNothing) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 10)});
  auto before = store_->Stats();
  ASSERT_TRUE(before.ok());
  {
    auto txn = store_->Begin({"b", kDay2});
    ASSERT_TRUE(txn.ok());
    auto other = (*txn)->InternSeries(kLevels);
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE((*txn)->Append(Obs(*other, kWeek1, 3)).ok());
    ASSERT_TRUE((*txn)->Append(Obs(id, kWeek1, 11)).ok());
    ASSERT_TRUE((*txn)->Append(Obs(id, kWeek2, 12)).ok());
    (*txn)->Rollback();
  }
  auto after = store_->Stats();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->series, before->series);
  EXPECT_EQ(after->observations, before->observations);
  EXPECT_EQ(after->revisions, before->revisions);
  EXPECT_EQ(after->batches, before->batches);
  auto found = store_->FindSeries(kLevels);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::nullopt);
  auto history = store_->History(id, kWeek1);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(Values(*history), std::vector<double>{10});
}

TEST_P(StoreConformanceTest, DestroyingUncommittedTransactionLeavesNothing) {
  const SeriesId id = CommitSeries(kCases);
  {
    auto txn = store_->Begin({"b", kDay1});
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->Append(Obs(id, kWeek1, 10)).ok());
    ASSERT_TRUE((*txn)->InternSeries(kLevels).ok());
  }
  auto read = store_->Read(id, kWeek1, kWeek3, std::nullopt);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty());
  auto stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->series, 1);
  EXPECT_EQ(stats->batches, 1);
  EXPECT_TRUE(store_->Begin({"next", kDay2}).ok());
}

TEST_P(StoreConformanceTest, SeriesInternedAfterRollbackGetValidIds) {
  {
    auto txn = store_->Begin({"b", kDay1});
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->InternSeries(kCases).ok());
  }
  const SeriesId id = CommitSeries(kLevels);
  CommitBatch(kDay2, {Obs(id, kWeek1, 1)});
  auto list = store_->ListSeries();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, id);
  EXPECT_EQ((*list)[0].key, kLevels);
}

TEST_P(StoreConformanceTest, UncommittedWritesAreNotVisibleToReads) {
  const SeriesId id = CommitSeries(kCases);
  auto txn = store_->Begin({"b", kDay1});
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->Append(Obs(id, kWeek1, 10)).ok());
  auto read = store_->Read(id, kWeek1, kWeek2, std::nullopt);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty());
  ASSERT_TRUE((*txn)->Commit().ok());
  auto committed = store_->Read(id, kWeek1, kWeek2, std::nullopt);
  ASSERT_TRUE(committed.ok());
  EXPECT_EQ(committed->size(), 1u);
}

TEST_P(StoreConformanceTest, SecondBeginWhileOneIsOpenFails) {
  auto first = store_->Begin({"a", kDay1});
  ASSERT_TRUE(first.ok());
  auto second = store_->Begin({"b", kDay1});
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(StoreConformanceTest, WritesAfterCommitFail) {
  const SeriesId id = CommitSeries(kCases);
  auto txn = store_->Begin({"a", kDay1});
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_FALSE((*txn)->Append(Obs(id, kWeek1, 1)).ok());
  EXPECT_FALSE((*txn)->Commit().ok());
}

TEST_P(StoreConformanceTest, BatchRecordsKeepOriginArrivalAndCounts) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 1), Obs(id, kWeek2, 2)});
  auto txn = store_->Begin({"revisions.jsonl", kDay2});
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->Append(Obs(id, kWeek1, 1)).ok());
  ASSERT_TRUE((*txn)->Append(Obs(id, kWeek2, 5)).ok());
  ASSERT_TRUE((*txn)->Append(Obs(id, kWeek3, 3)).ok());
  auto committed = (*txn)->Commit();
  ASSERT_TRUE(committed.ok());

  auto batches = store_->Batches();
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 3u);
  const BatchRecord& last = batches->back();
  EXPECT_EQ(last.id, committed->id);
  EXPECT_EQ(last.info.origin, "revisions.jsonl");
  EXPECT_EQ(last.info.arrived, kDay2);
  EXPECT_EQ(last.inserted, 1);
  EXPECT_EQ(last.revised, 1);
  EXPECT_EQ(last.unchanged, 1);
  EXPECT_LT((*batches)[0].id, (*batches)[1].id);
  EXPECT_LT((*batches)[1].id, last.id);
}

TEST_P(StoreConformanceTest, InternSeriesReturnsOneIdPerKey) {
  auto txn = store_->Begin({"b", kDay1});
  ASSERT_TRUE(txn.ok());
  auto cases = (*txn)->InternSeries(kCases);
  auto levels = (*txn)->InternSeries(kLevels);
  auto again = (*txn)->InternSeries(kCases);
  ASSERT_TRUE(cases.ok() && levels.ok() && again.ok());
  EXPECT_NE(*cases, *levels);
  EXPECT_EQ(*cases, *again);
  ASSERT_TRUE((*txn)->Commit().ok());
  auto next = store_->Begin({"c", kDay2});
  ASSERT_TRUE(next.ok());
  auto later = (*next)->InternSeries(kLevels);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(*later, *levels);
}

TEST_P(StoreConformanceTest, FindSeriesAndListSeries) {
  const SeriesId cases = CommitSeries(kCases);
  const SeriesId levels = CommitSeries(kLevels);
  auto found = store_->FindSeries(kLevels);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, levels);
  auto missing = store_->FindSeries({"cases", "CN-33"});
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, std::nullopt);
  auto list = store_->ListSeries();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, cases);
  EXPECT_EQ((*list)[0].key, kCases);
  EXPECT_EQ((*list)[1].id, levels);
  EXPECT_EQ((*list)[1].key, kLevels);
}

TEST_P(StoreConformanceTest, ReadRangeIncludesFromAndExcludesTo) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 1), Obs(id, kWeek2, 2), Obs(id, kWeek3, 3)});
  auto read = store_->Read(id, kWeek2, kWeek3, std::nullopt);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(Values(*read), std::vector<double>{2});
  auto empty = store_->Read(id, kWeek2, kWeek2, std::nullopt);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto all = store_->Read(id, kWeek1, kWeek3 + Duration(1), std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Values(*all), (std::vector<double>{1, 2, 3}));
}

TEST_P(StoreConformanceTest, ReadReturnsTimeOrderWhateverTheWriteOrder) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek3, 3), Obs(id, kWeek1, 1)});
  CommitBatch(kDay2, {Obs(id, kWeek2, 2)});
  auto read = store_->Read(id, kWeek1, kWeek3 + days(1), std::nullopt);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(Times(*read), (std::vector<Timestamp>{kWeek1, kWeek2, kWeek3}));
}

TEST_P(StoreConformanceTest, ReadOnlyReturnsTheRequestedSeries) {
  const SeriesId cases = CommitSeries(kCases);
  const SeriesId levels = CommitSeries(kLevels);
  CommitBatch(kDay1, {Obs(cases, kWeek1, 1), Obs(levels, kWeek1, 7)});
  auto read = store_->Read(levels, kWeek1, kWeek2, std::nullopt);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(Values(*read), std::vector<double>{7});
}

TEST_P(StoreConformanceTest, MissingSeriesIsNotFound) {
  const SeriesId id = CommitSeries(kCases);
  auto read = store_->Read(id + 100, kWeek1, kWeek2, std::nullopt);
  EXPECT_EQ(read.status().code(), StatusCode::kNotFound);
  auto history = store_->History(id + 100, kWeek1);
  EXPECT_EQ(history.status().code(), StatusCode::kNotFound);
  auto txn = store_->Begin({"b", kDay1});
  ASSERT_TRUE(txn.ok());
  auto append = (*txn)->Append(Obs(id + 100, kWeek1, 1));
  EXPECT_EQ(append.status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, HistoryOfMissingObservationIsEmpty) {
  const SeriesId id = CommitSeries(kCases);
  auto history = store_->History(id, kWeek1);
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->empty());
}

TEST_P(StoreConformanceTest, StatsCountSeriesObservationsRevisionsAndBatches) {
  const SeriesId id = CommitSeries(kCases);
  CommitBatch(kDay1, {Obs(id, kWeek1, 1), Obs(id, kWeek2, 2)});
  CommitBatch(kDay2, {Obs(id, kWeek1, 3), Obs(id, kWeek2, 2)});
  CommitBatch(kDay3, {Obs(id, kWeek1, 4)});
  auto stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->series, 1);
  EXPECT_EQ(stats->observations, 2);
  EXPECT_EQ(stats->revisions, 2);
  EXPECT_EQ(stats->batches, 4);
}

}  // namespace vigil
