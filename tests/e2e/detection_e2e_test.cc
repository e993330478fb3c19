// End-to-end tests of detection during `vigil ingest`, and of `vigil status`
// and `vigil signals`: the real binary (VIGIL_BIN) on workspaces written here.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/time.h"
#include "e2e_testing.h"

namespace vigil {
namespace {

using e2e::RunResult;
using e2e::WriteFile;

// Weekly cases (farrington-flexible, ears-c2) in two districts and a gas
// stream (ears-c3, threshold); sources a.csv then b.csv.
constexpr const char* kCatalogue = R"(workspace:
  name: Detection test
domains:
  - id: health
    name: Health
  - id: mines
    name: Mines
regions:
  - code: XA
    name: Province
  - code: XA-01
    name: North
    parent: XA
  - code: XA-02
    name: South
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
        params: { b: 1, w: 2 }
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
        params: { levels: "5,8" }
sources:
  - id: first
    kind: file
    path: a.csv
  - id: second
    kind: file
    path: b.csv
)";

const std::int64_t kWeek0 = PeriodIndex(*ParseIsoWeek("2021-W01"), Frequency::kWeekly);
const Timestamp kStart = *ParseRfc3339("2024-05-01T06:00:00Z");

std::string Week(int week) {
  return FormatEventTime(PeriodStart(kWeek0 + week, Frequency::kWeekly), Frequency::kWeekly);
}

// Weeks [from, to) of both districts (an outbreak in weeks 90-91 of XA-02)
// and gas samples [from * 3, to * 3), one a minute, with a spike every 71.
std::string Rows(int from, int to) {
  std::string csv = "indicator,region,time,value\n";
  for (int w = from; w < to; ++w) {
    const int south = w == 90 || w == 91 ? 28 : 3 + w % 4;
    csv += fmt::format("cases,XA-01,{},{}\ncases,XA-02,{},{}\n", Week(w), 5 + (w * 5) % 3, Week(w),
                       south);
  }
  for (int i = from * 3; i < to * 3; ++i) {
    csv += fmt::format("gas,XA-01,{},{}\n", FormatRfc3339(kStart + std::chrono::minutes(i)),
                       i % 71 == 35 ? 8.5 : 1.5 + (i % 5) * 0.25);
  }
  return csv;
}

class DetectionE2eTest : public e2e::VigilTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(VigilTest::SetUp());
    // a.csv leaves out week 65 of XA-01; b.csv has weeks 70-109, that late
    // week and a revision of week 60 of XA-02: two periods a.csv closed.
    const std::string week65 = fmt::format("cases,XA-01,{},", Week(65));
    const std::string a = RemoveLine(Rows(0, 70), week65);
    const std::string b =
        Rows(70, 110) + week65 + "6\n" + fmt::format("cases,XA-02,{},30\n", Week(60));
    for (const char* ws : {"one", "two"}) {
      WriteFile(root_ / ws / "workspace.yaml", kCatalogue);
      WriteFile(root_ / ws / "a.csv", a);
      WriteFile(root_ / ws / "b.csv", b);
    }
  }

  static std::string RemoveLine(std::string text, const std::string& prefix) {
    const std::size_t at = text.find(prefix);
    return at == std::string::npos ? text : text.erase(at, text.find('\n', at) - at + 1);
  }

  // Runs `vigil -w ROOT/WS ARGS`.
  RunResult Vigil(const std::string& ws, const std::string& args) {
    return Run(root_ / ws, "--log-level warn " + args);
  }
};

TEST_F(DetectionE2eTest, SignalsAreTheSameWithOrWithoutARestartBetweenFiles) {
  // One process ingests both sources; in "two", one process per file.
  const RunResult one = Vigil("one", "ingest");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(Vigil("two", "ingest a.csv").exit_code, 0);
  const RunResult second = Vigil("two", "ingest b.csv");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("b.csv: detection: "), std::string::npos) << second.out;
  EXPECT_NE(second.out.find(", 2 revised signals"), std::string::npos) << second.out;

  const RunResult signals_one = Vigil("one", "signals --format csv");
  const RunResult signals_two = Vigil("two", "signals --format csv");
  ASSERT_EQ(signals_one.exit_code, 0) << signals_one.err;
  EXPECT_EQ(signals_two.out, signals_one.out);
  // Not vacuous: thousands of rows, Farrington alarms, two revised rows.
  EXPECT_GT(std::count(signals_one.out.begin(), signals_one.out.end(), '\n'), 500);
  const RunResult alarms = Vigil("two", "signals --alarms --indicator cases --format csv");
  EXPECT_NE(alarms.out.find(fmt::format("{},cases,XA-02,0,farrington-flexible", Week(90))),
            std::string::npos)
      << alarms.out;
  const RunResult revised =
      Vigil("two", fmt::format("signals --from {} --to {} --format csv", Week(60), Week(61)));
  EXPECT_NE(revised.out.find(",2,1\n"), std::string::npos) << "batch 2, one revision\n"
                                                           << revised.out;
}

TEST_F(DetectionE2eTest, StatusSummarisesStoreIndicatorsAndLatestAlarms) {
  ASSERT_EQ(Vigil("one", "ingest").exit_code, 0);
  const RunResult status = Vigil("one", "status --alarms 3");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("catalogue: 2 domains, 3 regions, 2 indicators, 2 sources"),
            std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("store: 3 series, 550 observations, 1 revisions, 2 batches"),
            std::string::npos)
      << status.out;
  const std::size_t row = status.out.find("\ncases ");
  ASSERT_NE(row, std::string::npos) << status.out;
  const std::string cases = status.out.substr(row + 1, status.out.find('\n', row + 1) - row - 1);
  for (const std::string& field :
       {std::string(" weekly "), std::string(" 2 "), std::string(" 220 "), Week(0), Week(109)}) {
    EXPECT_NE(cases.find(field), std::string::npos) << field << " in: " << cases;
  }
  EXPECT_NE(status.out.find("latest alarms (3 most recent"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("ALARM"), std::string::npos);
}

TEST_F(DetectionE2eTest, StatusOfAnEmptyWorkspaceSaysSo) {
  const RunResult status = Vigil("one", "status");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("no observations yet: run 'vigil ingest'"), std::string::npos)
      << status.out;
}

TEST_F(DetectionE2eTest, SignalsFilterAndFormat) {
  ASSERT_EQ(Vigil("one", "ingest").exit_code, 0);
  const RunResult table = Vigil("one", "signals --indicator gas --alarms --limit 2");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(std::count(table.out.begin(), table.out.end(), '\n'), 3) << table.out;
  EXPECT_EQ(table.out.rfind("time ", 0), 0u) << table.out;
  EXPECT_EQ(table.out.find("\n2024-05-01T"), table.out.find('\n')) << table.out;
  EXPECT_NE(table.out.rfind("ALARM"), table.out.find("ALARM")) << "two alarms\n" << table.out;
  // Sample 319 (06:00 + 319 minutes) spikes to 8.5: threshold level 2.
  const RunResult csv = Vigil("one", "signals --indicator gas --alarms --format csv");
  const std::size_t spike = csv.out.find("2024-05-01T11:19:00Z,gas,XA-01,1,threshold,");
  ASSERT_NE(spike, std::string::npos) << csv.out;
  EXPECT_NE(csv.out.substr(spike, csv.out.find('\n', spike) - spike).find(",8.5,,5,2,1,2,"),
            std::string::npos)
      << csv.out.substr(spike, 200);

  const RunResult json = Vigil("one", "signals --region XA-02 --limit 1 --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"region\": \"XA-02\""), std::string::npos) << json.out;
  // Week 109 waits for the watermark (allowed_lateness 1w): 108 is the newest judged.
  EXPECT_NE(json.out.find(fmt::format("\"time\": \"{}\"", Week(108))), std::string::npos)
      << json.out;

  EXPECT_EQ(Vigil("one", "signals --format xml").exit_code, 2);
  EXPECT_EQ(Vigil("one", "signals --from yesterday").exit_code, 2);
  EXPECT_EQ(Vigil("one", "signals --indicator nope").exit_code, 2);
}

}  // namespace
}  // namespace vigil
