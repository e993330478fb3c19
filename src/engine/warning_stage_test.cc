#include "engine/warning_stage.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "engine/ingest_detection.h"
#include "ingest/input.h"
#include "ingest/record_reader.h"
#include "sqlite/sqlite_store.h"

namespace vigil {
namespace {

// Weekly cases under an outbreak policy, routed to an agency with a webhook.
constexpr const char* kCatalogue = R"(workspace:
  name: Test
domains:
  - id: health
    name: Health
regions:
  - code: XA
    name: Province
  - code: XA-01
    name: One
    parent: XA
  - code: XA-02
    name: Two
    parent: XA
policies:
  - id: outbreak
    hazard: infectious-disease
    levels: { blue: 4, yellow: 6, orange: 8, red: 12 }
    demote_after: 2w
    expire_after: 4w
indicators:
  - id: cases
    name: Cases
    domain: health
    unit: cases
    frequency: weekly
    direction: higher-is-worse
    value_kind: count
    allowed_lateness: 1w
    policy: outbreak
    detectors:
      - method: ears-c2
agencies:
  - id: health-office
    name: Health office
    regions: [XA]
    channels:
      - { kind: webhook, target: "https://health.example.org/hook", secret_env: VIGIL_TEST_SECRET }
)";

const std::int64_t kFirstWeek = PeriodIndex(*ParseIsoWeek("2020-W01"), Frequency::kWeekly);

Timestamp Week(int week) { return PeriodStart(kFirstWeek + week, Frequency::kWeekly); }

// Weeks [first, last] for both regions; XA-01 has an outbreak in weeks 100-102.
std::string Data(int first, int last) {
  std::string csv = "indicator,region,time,value\n";
  for (int w = first; w <= last; ++w) {
    for (int r = 1; r <= 2; ++r) {
      const bool outbreak = r == 1 && w >= 100 && w <= 102;
      csv += fmt::format("cases,XA-0{},{},{}\n", r, FormatEventTime(Week(w), Frequency::kWeekly),
                         outbreak ? 40 : 4 + (w * 7 + r * 3) % 5);
    }
  }
  return csv;
}

const warn::WarningKey kOutbreakKey{"health", "XA-01", "infectious-disease"};

class WarningStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vigil-warning-stage-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    catalogue_ = LoadCatalogueText(kCatalogue, "workspace.yaml").value();
    Reopen();
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }

  void Close() {
    detection_.reset();
    stage_.reset();
    store_.reset();
  }
  // A restart: new store connection, stage and detection on the same file.
  void Reopen(const std::string& name = "vigil.db") {
    Close();
    store_ = OpenSqliteStore(dir_ / name, SqliteOptions{}).value();
    Result<std::unique_ptr<WarningStage>> stage = WarningStage::Open(catalogue_, *store_, clock_);
    ASSERT_TRUE(stage.ok()) << stage.status().ToString();
    stage_ = std::move(stage).value();
    Result<std::unique_ptr<IngestDetection>> detection =
        IngestDetection::Open(catalogue_, *store_, stage_.get());
    ASSERT_TRUE(detection.ok()) << detection.status().ToString();
    detection_ = std::move(detection).value();
  }

  Result<IngestSummary> Ingest(const std::string& csv, std::int64_t batch_size = 0) {
    StringSource source(csv);
    InputBuffer buffer(source);
    std::unique_ptr<RecordReader> reader = OpenCsvRecordReader(buffer, "data.csv").value();
    Ingestor ingestor(catalogue_, *store_, clock_, detection_.get());
    IngestListener listener;
    return ingestor.Ingest(*reader, {"data.csv", "test"}, {.batch_size = batch_size}, listener);
  }

  std::vector<std::string> Log() {
    std::vector<std::string> rows;
    const std::vector<WarningEventRecord> records = store_->ReadWarningEvents({}).value();
    for (const WarningEventRecord& r : records) {
      rows.push_back(fmt::format("{} {} {} {} {}", r.seq, r.kind, r.key, r.warning_id, r.body));
    }
    return rows;
  }

  std::vector<const warn::Warning*> Active() const {
    std::vector<const warn::Warning*> active;
    for (const auto& [key, cell] : stage_->state().cells) {
      if (cell.warning && cell.warning->active()) {
        active.push_back(&*cell.warning);
      }
    }
    return active;
  }

  std::filesystem::path dir_;
  Catalogue catalogue_;
  // Just after the outbreak's last week has closed.
  FakeClock clock_{Week(104)};
  std::unique_ptr<Store> store_;
  std::unique_ptr<WarningStage> stage_;
  std::unique_ptr<IngestDetection> detection_;
};

TEST_F(WarningStageTest, IngestRaisesOneWarningLogsItAndQueuesItsNotification) {
  ASSERT_TRUE(Ingest(Data(0, 103)).ok());
  const std::vector<const warn::Warning*> active = Active();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0]->key, kOutbreakKey);
  EXPECT_EQ(active[0]->id, "health/XA-01/infectious-disease/1");
  EXPECT_EQ(active[0]->agency, "health-office");
  EXPECT_GE(active[0]->level, 3);

  const std::vector<WarningEventRecord> issued =
      store_->ReadWarningEvents({.warning_id = active[0]->id}).value();
  ASSERT_FALSE(issued.empty());
  EXPECT_EQ(issued.front().kind, "issued");
  const std::vector<OutboxItem> outbox = store_->ReadOutbox({}).value();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].warning_id, active[0]->id);
  EXPECT_EQ(outbox[0].channel, "webhook");
  EXPECT_EQ(outbox[0].target, "https://health.example.org/hook");
  EXPECT_EQ(outbox[0].state, OutboxState::kPending);
  EXPECT_EQ(stage_->committed().events, static_cast<std::int64_t>(Log().size()));
  EXPECT_EQ(stage_->committed().notifications, 1);
}

TEST_F(WarningStageTest, RestartReplaysTheStoredLogToTheSameState) {
  ASSERT_TRUE(Ingest(Data(0, 103)).ok());
  const warn::State before = stage_->state();
  Reopen();
  EXPECT_EQ(stage_->state(), before);
  // Acting after the restart continues the log where it ended.
  clock_.Advance(std::chrono::minutes(2));
  Result<std::unique_ptr<StoreTransaction>> t = store_->Begin({"operator", clock_.Now()});
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(
      stage_
          ->Step(warn::OperatorAction{
              .kind = warn::ActionKind::kAcknowledge, .actor = "duty-officer", .key = kOutbreakKey})
          .ok());
  ASSERT_TRUE(stage_->Write(**t).ok());
  ASSERT_TRUE((*t)->Commit().ok());
  stage_->OnCommitted();
  const std::vector<std::string> log = Log();
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log.back().find(" acknowledged "), std::string::npos) << log.back();
  Reopen();
  EXPECT_TRUE(stage_->state().Latest({"health", "XA-01", "infectious-disease"})->acknowledged);
}

TEST_F(WarningStageTest, WarningsDoNotDependOnHowTheInputIsBatched) {
  ASSERT_TRUE(Ingest(Data(0, 103)).ok());
  const std::vector<std::string> one_batch = Log();
  Reopen("batched.db");
  ASSERT_TRUE(Ingest(Data(0, 103), /*batch_size=*/7).ok());
  EXPECT_EQ(Log(), one_batch);
}

TEST_F(WarningStageTest, HistoryOlderThanThePolicyHorizonRaisesNothing) {
  clock_.Set(Week(104 + 8));  // the outbreak ended eight weeks ago
  ASSERT_TRUE(Ingest(Data(0, 103)).ok());
  EXPECT_TRUE(Active().empty());
  EXPECT_TRUE(Log().empty());
  EXPECT_FALSE(store_->ReadSignals({.alarms_only = true}).value().empty());
}

TEST_F(WarningStageTest, RolledBackBatchLeavesNoEventAndTheStateFollowsTheStore) {
  ASSERT_TRUE(Ingest(Data(0, 99)).ok());
  const warn::State before = stage_->state();
  const std::vector<std::string> log_before = Log();
  Result<IngestSummary> failed = Ingest(Data(100, 103) + "cases,XA-01,2021-W01,not-a-number\n");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(Log(), log_before);
  EXPECT_EQ(stage_->state(), before);
  EXPECT_TRUE(store_->ReadOutbox({}).value().empty());
  // The same data, valid, then raises the warning as a single run would.
  ASSERT_TRUE(Ingest(Data(100, 103)).ok());
  ASSERT_EQ(Active().size(), 1u);
  EXPECT_EQ(store_->ReadOutbox({}).value().size(), 1u);
}

}  // namespace
}  // namespace vigil
