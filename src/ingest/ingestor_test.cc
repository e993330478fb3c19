#include "ingest/ingestor.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "ingest/ingest_testing.h"
#include "store/memory_store.h"

namespace vigil {
namespace {

class RecordingListener final : public IngestListener {
 public:
  void OnCommitted(const BatchReport& b) override {
    committed.push_back(fmt::format("batch {}: lines {}-{}, {}/{}/{}", b.number, b.first_line,
                                    b.last_line, b.inserted, b.revised, b.unchanged));
  }
  void OnInvalid(const InvalidRecord& record) override { invalid.emplace_back(record.message); }

  std::vector<std::string> committed;
  std::vector<std::string> invalid;
};

constexpr std::string_view kHeader = "indicator,region,time,value,source\n";

std::string Line(int week, int value) {
  return fmt::format("salmonella-cases,XA-01,2024-W{:02},{},\n", week, value);
}

class IngestorTest : public ::testing::Test {
 protected:
  Result<IngestSummary> Ingest(const std::string& text, IngestOptions options = {},
                               InputFormat format = InputFormat::kCsv) {
    return Run(text, format, [&](RecordReader& reader) {
      return ingestor_.Ingest(reader, kInput, options, listener_);
    });
  }

  Result<IngestSummary> Check(const std::string& text, IngestOptions options = {},
                              CheckedRecords* keep = nullptr) {
    return Run(text, InputFormat::kCsv, [&](RecordReader& reader) {
      return ingestor_.Check(reader, kInput, options, listener_, keep);
    });
  }

  StoreStats Stats() { return store_->Stats().value(); }

  static inline const IngestInput kInput{.name = "in.csv", .default_source = "weekly-file"};

  std::vector<StoredObservation> Week9History() {
    const SeriesId id = store_->FindSeries({"salmonella-cases", "XA-01"}).value().value();
    return store_->History(id, *ParseIsoWeek("2024-W09")).value();
  }

  Catalogue catalogue_ = testing_catalogue::Make();
  std::unique_ptr<Store> store_ = NewMemoryStore();
  FakeClock clock_{*ParseRfc3339("2024-03-04T08:00:00Z")};
  Ingestor ingestor_{catalogue_, *store_, clock_};
  RecordingListener listener_;

 private:
  Result<IngestSummary> Run(const std::string& text, InputFormat format,
                            const std::function<Result<IngestSummary>(RecordReader&)>& run) {
    StringSource source(text);
    InputBuffer buffer(source, 64);
    VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<RecordReader> reader,
                           OpenRecordReader(format, buffer, "in.csv"));
    listener_ = RecordingListener();
    return run(*reader);
  }
};

TEST_F(IngestorTest, CommitsTheWholeInputAsOneBatch) {
  Result<IngestSummary> summary = Ingest(std::string(kHeader) + Line(9, 1) + Line(10, 2));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->records, 2);
  EXPECT_EQ(summary->inserted, 2);
  EXPECT_EQ(summary->batches, 1);
  EXPECT_EQ(listener_.committed, std::vector<std::string>{"batch 1: lines 2-3, 2/0/0"});
  EXPECT_EQ(Stats().observations, 2);
}

TEST_F(IngestorTest, InvalidRecordCommitsNothing) {
  Result<IngestSummary> summary =
      Ingest(std::string(kHeader) + Line(9, 1) + Line(10, 2) + Line(11, -1));
  EXPECT_EQ(summary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(summary.status().message(), "in.csv: 1 invalid record; nothing was committed");
  EXPECT_TRUE(listener_.committed.empty());
  EXPECT_EQ(Stats().observations, 0);
  EXPECT_EQ(Stats().series, 0);
  EXPECT_EQ(Stats().batches, 0);
}

TEST_F(IngestorTest, ReportsEveryInvalidRecord) {
  Result<IngestSummary> summary = Ingest(std::string(kHeader) + Line(9, -1) + Line(10, 2) +
                                         "flu,XA,2024-W01,1,\n" + Line(54, 3));
  EXPECT_EQ(summary.status().message(), "in.csv: 3 invalid records; nothing was committed");
  EXPECT_EQ(listener_.invalid,
            (std::vector<std::string>{
                "in.csv:2: value: -1 is negative, but indicator salmonella-cases is a count",
                "in.csv:4: indicator: 'flu' is not in the catalogue",
                "in.csv:5: time: '2024-W54' is not an ISO week like 2024-W09 (indicator "
                "salmonella-cases is weekly)"}));
}

TEST_F(IngestorTest, CheckWritesNothingForAValidInput) {
  Result<IngestSummary> summary = Check(std::string(kHeader) + Line(9, 1) + Line(10, 2));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->records, 2);
  EXPECT_EQ(summary->inserted, 0);
  EXPECT_EQ(summary->batches, 0);
  EXPECT_TRUE(listener_.committed.empty());
  EXPECT_EQ(Stats().series, 0);
  EXPECT_EQ(Stats().batches, 0);
}

TEST_F(IngestorTest, CheckedRecordsAreIngestedAsTheInputWouldBe) {
  CheckedRecords checked;
  const std::string text = std::string(kHeader) + Line(9, 1) +
                           "salmonella-cases,XA-01,2024-W10,2,lab-a\n\n" + Line(11, 3);
  ASSERT_TRUE(Check(text, {}, &checked).ok());
  EXPECT_EQ(checked.size(), 3U);
  EXPECT_EQ(Stats().observations, 0);

  listener_ = RecordingListener();
  Result<IngestSummary> summary = ingestor_.Ingest(checked, kInput, {.batch_size = 2}, listener_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->records, 3);
  EXPECT_EQ(summary->inserted, 3);
  EXPECT_EQ(summary->batches, 2);
  EXPECT_EQ(listener_.committed,
            (std::vector<std::string>{"batch 1: lines 2-3, 2/0/0", "batch 2: lines 5-5, 1/0/0"}));
  const SeriesId id = store_->FindSeries({"salmonella-cases", "XA-01"}).value().value();
  const Result<std::vector<StoredObservation>> stored =
      store_->Read(id, *ParseIsoWeek("2024-W09"), *ParseIsoWeek("2024-W12"), std::nullopt);
  ASSERT_TRUE(stored.ok());
  std::vector<std::string> sources;
  for (const StoredObservation& o : *stored) {
    sources.push_back(fmt::format("{} {}", o.value, o.source));
  }
  EXPECT_EQ(sources, (std::vector<std::string>{"1 weekly-file", "2 lab-a", "3 weekly-file"}));
}

TEST_F(IngestorTest, CheckReportsEveryInvalidRecordAndIgnoresTheRejectSink) {
  StringSink rejects;
  Result<IngestSummary> summary =
      Check(std::string(kHeader) + Line(9, -1) + Line(10, 2) + "flu,XA,2024-W01,1,\n",
            {.batch_size = 1, .rejects = &rejects});
  EXPECT_EQ(summary.status().message(),
            "in.csv: 1 invalid record in batch 1 (lines 2-2), which was rolled back; nothing "
            "was committed");
  EXPECT_EQ(listener_.invalid,
            (std::vector<std::string>{
                "in.csv:2: value: -1 is negative, but indicator salmonella-cases is a count"}));
  EXPECT_EQ(rejects.text(), "");
  EXPECT_EQ(Stats().batches, 0);
}

TEST_F(IngestorTest, CheckAppliesAdmission) {
  IngestOptions options{.admit = [](const ValidRecord& record) {
    return record.region->code == "XA-01" ? Status::Ok() : InvalidArgument("region: not this one");
  }};
  Result<IngestSummary> summary =
      Check(std::string(kHeader) + Line(9, 1) + "salmonella-cases,XA-02,2024-W09,1,\n", options);
  EXPECT_EQ(summary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(listener_.invalid, std::vector<std::string>{"in.csv:3: region: not this one"});
  EXPECT_EQ(Stats().series, 0);
}

TEST_F(IngestorTest, BatchSizeCommitsEveryNRecords) {
  std::string text(kHeader);
  for (int week = 1; week <= 5; ++week) {
    text += Line(week, week);
  }
  Result<IngestSummary> summary = Ingest(text, {.batch_size = 2});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->batches, 3);
  EXPECT_EQ(listener_.committed,
            (std::vector<std::string>{"batch 1: lines 2-3, 2/0/0", "batch 2: lines 4-5, 2/0/0",
                                      "batch 3: lines 6-6, 1/0/0"}));
  EXPECT_EQ(Stats().batches, 3);
}

TEST_F(IngestorTest, InvalidRecordRollsBackOnlyItsBatchAndStops) {
  std::string text(kHeader);
  for (int week = 1; week <= 6; ++week) {
    text += Line(week, week == 4 ? -4 : week);
  }
  Result<IngestSummary> summary = Ingest(text, {.batch_size = 2});
  EXPECT_EQ(summary.status().message(),
            "in.csv: 1 invalid record in batch 2 (lines 4-5), which was rolled back; batch 1 "
            "(lines 2-3) stays committed");
  EXPECT_EQ(listener_.committed, std::vector<std::string>{"batch 1: lines 2-3, 2/0/0"});
  EXPECT_EQ(Stats().observations, 2);
  EXPECT_EQ(Stats().batches, 1);
}

TEST_F(IngestorTest, RejectSinkGetsInvalidLinesAndValidOnesAreCommitted) {
  StringSink rejects;
  Result<IngestSummary> summary =
      Ingest(std::string(kHeader) + Line(9, 1) + "salmonella-cases,XA-09,2024-W09,1,lab\n" +
                 Line(10, 2) + "\"salmonella-cases\",XA-01,2024-W11,\"1,5\",\n",
             {.rejects = &rejects});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->inserted, 2);
  EXPECT_EQ(summary->rejected, 2);
  EXPECT_EQ(rejects.text(),
            "indicator,region,time,value,source,reject_reason\n"
            "salmonella-cases,XA-09,2024-W09,1,lab,in.csv:3: region: 'XA-09' is not in the "
            "catalogue\n"
            "\"salmonella-cases\",XA-01,2024-W11,\"1,5\",,\"in.csv:5: value: '1,5' is not a "
            "number\"\n");
  EXPECT_EQ(Stats().observations, 2);
}

TEST_F(IngestorTest, ARecordRefusedAdmissionIsInvalidWithTheRefusalsReason) {
  const auto admit = [](const ValidRecord& r) {
    return r.region->code == "XA-02" ? InvalidArgument("region: not ours") : Status::Ok();
  };
  const std::string text =
      std::string(kHeader) + Line(9, 1) + "salmonella-cases,XA-02,2024-W09,1,\n" + Line(10, 2);
  EXPECT_FALSE(Ingest(text, {.admit = admit}).ok());
  EXPECT_EQ(listener_.invalid, std::vector<std::string>{"in.csv:3: region: not ours"});
  EXPECT_EQ(Stats().observations, 0) << "all or nothing";

  DiscardSink rejects;
  Result<IngestSummary> partial = Ingest(text, {.rejects = &rejects, .admit = admit});
  ASSERT_TRUE(partial.ok()) << partial.status().ToString();
  EXPECT_EQ(partial->inserted, 2);
  EXPECT_EQ(partial->rejected, 1);
}

// An ingest counter of the process, as `vigil serve` exposes it.
double Counted(const std::string& name) {
  return metrics::DefaultRegistry().AddCounter(name, "").With({}).Value();
}

TEST_F(IngestorTest, CountsAcceptedAndRejectedObservationsInTheProcessMetrics) {
  const double accepted = Counted("vigil_ingest_observations_accepted_total");
  const double rejected = Counted("vigil_ingest_observations_rejected_total");
  StringSink rejects;
  Result<IngestSummary> summary =
      Ingest(std::string(kHeader) + Line(9, 1) + "salmonella-cases,XA-09,2024-W09,1,lab\n" +
                 Line(9, 1) + Line(10, 2),
             {.rejects = &rejects});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(Counted("vigil_ingest_observations_accepted_total") - accepted,
            summary->inserted + summary->revised + summary->unchanged);
  EXPECT_EQ(Counted("vigil_ingest_observations_rejected_total") - rejected, summary->rejected);

  // Without a reject sink only the committed batch counts as accepted.
  std::string text(kHeader);
  for (int week = 11; week <= 14; ++week) {
    text += Line(week, week == 13 ? -1 : week);
  }
  const std::int64_t stored = Stats().observations;
  EXPECT_FALSE(Ingest(text, {.batch_size = 2}).ok());
  EXPECT_EQ(Counted("vigil_ingest_observations_accepted_total") - accepted,
            static_cast<double>(Stats().observations - stored + summary->inserted +
                                summary->revised + summary->unchanged));
  EXPECT_EQ(Counted("vigil_ingest_observations_rejected_total") - rejected, summary->rejected + 1);
}

TEST_F(IngestorTest, JsonlRejectsKeepTheObject) {
  StringSink rejects;
  Result<IngestSummary> summary = Ingest(
      "{\"indicator\":\"flu-cases\",\"region\":\"XA\",\"time\":\"2024-03\",\"value\":4}\n"
      "{\"indicator\":\"flu-cases\",\"region\":\"XA\",\"time\":\"2024-13\",\"value\":4}\n",
      {.rejects = &rejects}, InputFormat::kJsonl);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->inserted, 1);
  EXPECT_EQ(rejects.text(),
            "{\"indicator\":\"flu-cases\",\"region\":\"XA\",\"time\":\"2024-13\",\"value\":4,"
            "\"reject_reason\":\"in.csv:2: time: '2024-13' is not a month like 2024-03 "
            "(indicator flu-cases is monthly)\"}\n");
}

TEST_F(IngestorTest, ReingestingTheSameInputChangesNothing) {
  const std::string text = std::string(kHeader) + Line(9, 1) + Line(10, 2);
  ASSERT_TRUE(Ingest(text).ok());
  clock_.Advance(std::chrono::hours(1));
  Result<IngestSummary> again = Ingest(text);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(Stats().observations, 2);
  EXPECT_EQ(Stats().revisions, 0);
  EXPECT_EQ(Week9History().size(), 1u);
}

TEST_F(IngestorTest, ChangedValueBecomesARevision) {
  ASSERT_TRUE(Ingest(std::string(kHeader) + Line(9, 1) + Line(10, 2)).ok());
  const Timestamp first_arrival = clock_.Now();
  clock_.Advance(std::chrono::hours(24));
  Result<IngestSummary> revised = Ingest(std::string(kHeader) + Line(9, 5) + Line(10, 2));
  ASSERT_TRUE(revised.ok());
  EXPECT_EQ(revised->revised, 1);
  EXPECT_EQ(revised->unchanged, 1);
  const std::vector<StoredObservation> history = Week9History();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].value, 1);
  EXPECT_EQ(history[0].arrived, first_arrival);
  EXPECT_EQ(history[1].value, 5);
  EXPECT_EQ(history[1].arrived, clock_.Now());
}

TEST_F(IngestorTest, RecordsWithoutSourceGetTheDefault) {
  ASSERT_TRUE(
      Ingest(std::string(kHeader) + Line(9, 1) + "salmonella-cases,XA-01,2024-W10,2,lab-7\n").ok());
  const SeriesId id = store_->FindSeries({"salmonella-cases", "XA-01"}).value().value();
  const std::vector<StoredObservation> stored =
      store_->Read(id, *ParseIsoWeek("2024-W01"), *ParseIsoWeek("2024-W52"), std::nullopt).value();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].source, "weekly-file");
  EXPECT_EQ(stored[1].source, "lab-7");
}

TEST_F(IngestorTest, EmptyInputCommitsNothing) {
  Result<IngestSummary> summary = Ingest(std::string(kHeader));
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->records, 0);
  EXPECT_EQ(summary->batches, 0);
  EXPECT_TRUE(listener_.committed.empty());
}

}  // namespace
}  // namespace vigil
