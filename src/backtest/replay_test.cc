#include "backtest/replay.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.h"

namespace vigil::backtest {
namespace {

// A weekly and a daily indicator; the daily one has a threshold detector
// and a policy, so that a value of 25 raises a yellow warning.
constexpr const char* kCatalogue = R"(workspace:
  name: Test
domains:
  - { id: health, name: Health }
regions:
  - { code: XA, name: Province }
policies:
  - id: outbreak
    hazard: infectious-disease
    expire_after: 3d
indicators:
  - id: weekly-cases
    domain: health
    frequency: weekly
  - id: daily-cases
    domain: health
    frequency: daily
    policy: outbreak
    detectors:
      - { method: threshold, params: { levels: [10, 20, 30, 40] } }
)";

class ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vigil-replay-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Result<Catalogue> catalogue = LoadCatalogueText(kCatalogue, "workspace.yaml");
    ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
    catalogue_ = std::move(catalogue).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A file of this test's directory, named `name` in messages and as the
  // default source.
  InputSpec Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return {path, name, name, FormatFromPath(name)};
  }

  std::filesystem::path dir_;
  Catalogue catalogue_;
};

TEST_F(ReplayTest, OrdersByAvailabilityThenFileThenLine) {
  // 2024-W01 (Monday 1 January) is complete on 8 January, as is the day 7
  // January; 2 January is complete on 3 January.
  const std::vector<InputSpec> files = {
      Write("a.csv",
            "indicator,region,time,value\nweekly-cases,XA,2024-W02,1\nweekly-cases,XA,2024-W01,2\n"
            "daily-cases,XA,2024-01-07,3\n"),
      Write("b.csv",
            "region,indicator,value,time\nXA,daily-cases,4,2024-01-07\nXA,daily-cases,5,2024-01-"
            "02\n")};
  Result<std::vector<ReplayRow>> rows = ReadReplayRows(catalogue_, files, std::nullopt);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  std::vector<std::string> order;
  for (const ReplayRow& r : *rows) {
    order.push_back(fmt::format("{}:{} {}", r.file, r.line, FormatRfc3339(r.available)));
  }
  const std::vector<std::string> expected = {"1:3 2024-01-03T00:00:00Z", "0:3 2024-01-08T00:00:00Z",
                                             "0:4 2024-01-08T00:00:00Z", "1:2 2024-01-08T00:00:00Z",
                                             "0:2 2024-01-15T00:00:00Z"};
  EXPECT_EQ(order, expected);
  EXPECT_EQ((*rows)[0].csv, "daily-cases,XA,2024-01-02,5,,b.csv\n");
}

TEST_F(ReplayTest, ReadsJsonLinesInTheFormatGivenWithTheDefaultSourceGiven) {
  InputSpec feed = Write("feed.txt",
                         "{\"indicator\":\"daily-cases\",\"region\":\"XA\",\"time\":\"2024-01-02\","
                         "\"value\":7}\n");
  feed.default_source = "lab-feed";
  feed.format = InputFormat::kJsonl;
  Result<std::vector<ReplayRow>> rows = ReadReplayRows(catalogue_, {&feed, 1}, std::nullopt);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].csv, "daily-cases,XA,2024-01-02,7,,lab-feed\n");
}

TEST_F(ReplayTest, LeavesOutRowsAfterTo) {
  const std::vector<InputSpec> files = {
      Write("a.csv",
            "indicator,region,time,value\ndaily-cases,XA,2024-01-01,1\n"
            "daily-cases,XA,2024-01-02,1\n")};
  Result<std::vector<ReplayRow>> rows =
      ReadReplayRows(catalogue_, files, *ParseRfc3339("2024-01-01T12:00:00Z"));
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 1u);
}

TEST_F(ReplayTest, NamesFileLineAndFieldOfABadRecord) {
  const std::vector<InputSpec> files = {
      Write("a.csv",
            "indicator,region,time,value\ndaily-cases,XA,2024-01-01,1\n"
            "daily-cases,XB,2024-01-02,1\n")};
  Result<std::vector<ReplayRow>> rows = ReadReplayRows(catalogue_, files, std::nullopt);
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("a.csv:3: region: 'XB' is not in the catalogue"),
            std::string::npos)
      << rows.status().message();
}

TEST_F(ReplayTest, NamesFileLineAndFieldOfABadValue) {
  const std::vector<InputSpec> files = {
      Write("a.csv",
            "indicator,region,time,value\ndaily-cases,XA,2024-01-01,1\n"
            "daily-cases,XA,2024-01-02,many\n")};
  Result<std::vector<ReplayRow>> rows = ReadReplayRows(catalogue_, files, std::nullopt);
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("a.csv:3: value: 'many' is not a number"),
            std::string::npos)
      << rows.status().message();
}

TEST_F(ReplayTest, RunsDetectionAndWarningsAtEachBatchsTime) {
  const std::vector<InputSpec> files = {
      Write("a.csv",
            "indicator,region,time,value\ndaily-cases,XA,2024-01-01,5\n"
            "daily-cases,XA,2024-01-02,5\ndaily-cases,XA,2024-01-03,25\n"
            "daily-cases,XA,2024-01-04,5\n")};
  Result<std::vector<ReplayRow>> rows = ReadReplayRows(catalogue_, files, std::nullopt);
  ASSERT_TRUE(rows.ok());
  std::vector<std::int64_t> progress;
  Result<ReplayResult> result =
      Replay(catalogue_, *rows,
             {.progress = [&](std::int64_t done, std::int64_t) { progress.push_back(done); }});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->batches, 4);
  EXPECT_EQ(progress, (std::vector<std::int64_t>{1, 2, 3, 4}));
  ASSERT_EQ(result->series.size(), 1u);
  std::vector<std::string> alarms;
  for (const SignalRecord& s : result->series[0].signals) {
    if (s.alarm) {
      alarms.push_back(FormatRfc3339(s.time));
    }
  }
  EXPECT_EQ(alarms, std::vector<std::string>{"2024-01-03T00:00:00Z"});
  const auto issued =
      std::find_if(result->events.begin(), result->events.end(),
                   [](const warn::Event& e) { return e.kind == warn::EventKind::kIssued; });
  ASSERT_NE(issued, result->events.end());
  // Issued when 3 January's value arrived, at the end of that day.
  EXPECT_EQ(FormatRfc3339(issued->at), "2024-01-04T00:00:00Z");
  EXPECT_EQ(issued->warning.level, 2);
}

}  // namespace
}  // namespace vigil::backtest
