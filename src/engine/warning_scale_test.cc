// Many series and many simultaneous outbreaks through the real pipeline
// (warning_scale_testing.h). bench/warning_scale_bench.cc times the same
// scenario. One test: running the scenario is the slow part.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "engine/warning_scale_testing.h"

namespace vigil::warning_scale {
namespace {

class WarningScaleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vigil-warning-scale-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

// 100,000 series, 1,000 of the 25,000 districts in outbreak on the same three
// days: one active warning per outbreak key and none elsewhere, the same from
// the stored log, refreshed rather than issued again on the later days, and
// every notification enqueued once.
TEST_F(WarningScaleTest, SimultaneousOutbreaksGiveOneWarningEachAndNoRepeatedNotification) {
  const Scenario scenario;
  ASSERT_EQ(scenario.series(), 100'000);
  Result<std::unique_ptr<Pipeline>> pipeline = Pipeline::Open(scenario, dir_);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  for (int day = 0; day < scenario.days(); ++day) {
    Result<IngestSummary> summary = (*pipeline)->IngestDay(day);
    ASSERT_TRUE(summary.ok()) << "day " << day << ": " << summary.status().ToString();
    ASSERT_EQ(summary->inserted, scenario.series()) << "day " << day;
  }
  Result<Counts> counts = (*pipeline)->Count();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  const Counts& c = *counts;

  EXPECT_EQ(c.active, scenario.outbreaks());
  EXPECT_EQ(c.outbreaks_without_warning, 0);
  EXPECT_EQ(c.active_without_outbreak, 0);
  EXPECT_EQ(c.issued_events, scenario.outbreaks());

  EXPECT_TRUE(c.replay_matches);
  EXPECT_EQ(c.active_replayed, scenario.outbreaks());

  // Each indicator's signal of each outbreak day is recorded once: new
  // evidence on the first day, refreshes of the same warning after it.
  EXPECT_EQ(c.evidence_events,
            std::int64_t{scenario.outbreaks()} * kIndicators * scenario.outbreak_days);

  EXPECT_GT(c.outbox_items, 0);
  EXPECT_EQ(c.repeated_ids, 0);
  EXPECT_EQ(c.issued_not_once, 0);
  EXPECT_EQ(c.items_without_outbreak, 0);
}

}  // namespace
}  // namespace vigil::warning_scale
