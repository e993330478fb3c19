// `vigil backtest` on the bundled scenario: the simulated history replayed
// through the pipeline and scored against the simulator's labels.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "e2e_testing.h"

namespace vigil::e2e {
namespace {

using nlohmann::json;

class BacktestE2eTest : public VigilTest {
 protected:
  void SetUp() override {
    VigilTest::SetUp();
    workspace_ = root_ / "lakeland";
    const RunResult sim =
        Run(root_, fmt::format("simulate --seed 42 --out '{}'", workspace_.string()));
    ASSERT_EQ(sim.exit_code, 0) << sim.err;
  }

  // Labelled events per indicator, from labels.csv.
  std::map<std::string, int> LabelCounts() const {
    std::map<std::string, int> counts;
    std::istringstream lines(ReadFile(workspace_ / "labels.csv"));
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
      ++counts[line.substr(0, line.find(','))];
    }
    return counts;
  }

  std::filesystem::path workspace_;
};

TEST_F(BacktestE2eTest, ScoresTheSimulatedOutbreaksDeterministically) {
  const RunResult first = Run(workspace_, "backtest --json first.json --html report.html");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err, "");  // no progress bar when stderr is not a terminal
  EXPECT_NE(first.out.find("By indicator"), std::string::npos);
  EXPECT_NE(first.out.find("salmonella-cases"), std::string::npos);

  const json report = json::parse(ReadFile(workspace_ / "first.json"));
  ASSERT_EQ(report["runs"].size(), 1u);
  const json& run = report["runs"][0];
  const std::map<std::string, int> labelled = LabelCounts();
  std::map<std::string, json> by_name;
  for (const json& s : run["indicators"]) {
    by_name[s["name"].get<std::string>()] = s;
    // Every count adds up: periods are inside an event or quiet, alarms too.
    EXPECT_LE(s["detected"].get<int>(), s["events"].get<int>()) << s["name"];
    EXPECT_LE(s["false_alarms"].get<int>(), s["alarm_periods"].get<int>()) << s["name"];
    EXPECT_LE(s["quiet_periods"].get<int>(), s["periods"].get<int>()) << s["name"];
    EXPECT_LE(s["events"].get<int>(), labelled.count(s["name"]) ? labelled.at(s["name"]) : 0)
        << s["name"];
  }
  for (const std::string outbreaks : {"salmonella-cases", "measles-cases"}) {
    ASSERT_TRUE(by_name.contains(outbreaks));
    const json& s = by_name[outbreaks];
    // Outbreaks in the last weeks may be unjudged: no later data closes them.
    EXPECT_GT(s["events"].get<int>(), labelled.at(outbreaks) / 2) << outbreaks;
    EXPECT_GT(s["pod"].get<double>(), 0) << outbreaks;
    EXPECT_GT(s["specificity"].get<double>(), 0.9) << outbreaks;
    EXPECT_FALSE(s["delay_periods"].is_null()) << outbreaks;
  }
  EXPECT_GT(run["overall"]["warnings"]["raised"].get<int>(), 0);
  EXPECT_EQ(run["overall"]["series"].get<int>(), [&] {
    int series = 0;
    for (const json& d : run["domains"]) {
      series += d["series"].get<int>();
    }
    return series;
  }());

  const std::string html = ReadFile(workspace_ / "report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  // The workspace's own store is never opened.
  EXPECT_FALSE(std::filesystem::exists(workspace_ / "vigil.db"));

  const RunResult second =
      Run(root_, fmt::format("backtest '{}' --format json", workspace_.string()));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, ReadFile(workspace_ / "first.json"));
}

TEST_F(BacktestE2eTest, BadLabelsNameFileLineAndField) {
  WriteFile(workspace_ / "bad.csv",
            "indicator,region,start,end,kind,detail\nsalmonella-cases,XL-09,2024-W01,2024-W02,"
            "outbreak,\n");
  const RunResult r = Run(workspace_, "backtest --labels bad.csv");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad.csv:2: region: unknown region 'XL-09'"), std::string::npos) << r.err;
}

TEST_F(BacktestE2eTest, ComparesPoliciesSideBySide) {
  // Salmonella judged by a threshold no week reaches: no alarm at all.
  WriteFile(workspace_ / "deaf.yaml",
            "indicators:\n  - id: salmonella-cases\n    domain: health\n    frequency: weekly\n"
            "    allowed_lateness: 2w\n    policy: outbreak\n    detectors:\n"
            "      - { method: threshold, params: { levels: [1000000, 2000000, 3000000, 4000000] "
            "} }\n");
  const RunResult r = Run(workspace_, "backtest --compare deaf.yaml --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json runs = json::parse(r.out)["runs"];
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["name"], "workspace");
  EXPECT_EQ(runs[1]["name"], "deaf.yaml");
  const auto indicator = [](const json& run, const std::string& name) {
    for (const json& s : run["indicators"]) {
      if (s["name"] == name) {
        return s;
      }
    }
    return json();
  };
  EXPECT_GT(indicator(runs[0], "salmonella-cases")["pod"].get<double>(), 0);
  EXPECT_EQ(indicator(runs[1], "salmonella-cases")["alarm_periods"].get<int>(), 0);
  EXPECT_EQ(indicator(runs[1], "salmonella-cases")["pod"].get<double>(), 0);
  // Detection of the indicators left alone does not change.
  EXPECT_EQ(indicator(runs[0], "river-level")["pod"], indicator(runs[1], "river-level")["pod"]);
  EXPECT_EQ(indicator(runs[0], "measles-cases")["alarm_periods"],
            indicator(runs[1], "measles-cases")["alarm_periods"]);
}

TEST_F(BacktestE2eTest, BadPolicyFileNamesFileLineAndField) {
  WriteFile(workspace_ / "bad.yaml", "policies:\n  - id: outbreak\n    hazzard: x\n");
  const RunResult r = Run(workspace_, "backtest --compare bad.yaml");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad.yaml:3:5: policies[0].hazzard"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vigil::e2e
