#include "simulate/simulate.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/config.h"
#include "core/time.h"

namespace vigil::sim {
namespace {

namespace fs = std::filesystem;

using Row = std::vector<std::string>;

fs::path TempDir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("vigil-simulate-test-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(dir);
  return dir;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Rows of a CSV file without commas inside fields, header first.
std::vector<Row> ReadCsv(const fs::path& path) {
  std::vector<Row> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    Row row;
    std::stringstream fields(line);
    for (std::string field; std::getline(fields, field, ',');) {
      row.push_back(field);
    }
    if (!line.empty() && line.back() == ',') {
      row.emplace_back();
    }
    rows.push_back(row);
  }
  return rows;
}

Result<SimulateSummary> SimulateInto(const fs::path& dir, std::uint64_t seed = 42,
                                     const std::string& scenario = "default") {
  return Simulate({.seed = seed, .out = dir, .scenario = scenario});
}

// The default scenario, written once and read by the tests below.
class DefaultScenarioTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(TempDir("default"));
    ASSERT_TRUE(SimulateInto(*dir_).ok());
    const YAML::Node root = YAML::LoadFile((*dir_ / "workspace.yaml").string());
    frequencies_ = new std::map<std::string, Frequency>;
    for (const YAML::Node& i : root["indicators"]) {
      (*frequencies_)[i["id"].as<std::string>()] =
          *ParseFrequency(i["frequency"].as<std::string>());
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete frequencies_;
  }

  // Values of one series in `file`, by event time.
  static std::map<Timestamp, double> Series(const std::string& file, const std::string& indicator,
                                            const std::string& region) {
    std::map<Timestamp, double> values;
    const Frequency f = frequencies_->at(indicator);
    for (const Row& r : ReadCsv(*dir_ / "data" / file)) {
      if (r[0] == indicator && r[1] == region) {
        values[*ParseEventTime(r[2], f)] = std::stod(r[3]);
      }
    }
    return values;
  }

  static std::vector<Row> Labels(const std::string& kind) {
    std::vector<Row> labels;
    for (const Row& r : ReadCsv(*dir_ / "labels.csv")) {
      if (r[4] == kind) {
        labels.push_back(r);
      }
    }
    return labels;
  }

  static Timestamp LabelTime(const Row& label, int column) {
    return *ParseEventTime(label[column], frequencies_->at(label[0]));
  }

  // Mean and maximum of the values in [from, to].
  static std::pair<double, double> Window(const std::map<Timestamp, double>& values, Timestamp from,
                                          Timestamp to) {
    double sum = 0;
    double max = -1e300;
    int n = 0;
    for (auto it = values.lower_bound(from); it != values.end() && it->first <= to; ++it) {
      sum += it->second;
      max = std::max(max, it->second);
      ++n;
    }
    return {n == 0 ? 0 : sum / n, max};
  }

  static fs::path* dir_;
  static std::map<std::string, Frequency>* frequencies_;
};

fs::path* DefaultScenarioTest::dir_ = nullptr;
std::map<std::string, Frequency>* DefaultScenarioTest::frequencies_ = nullptr;

TEST_F(DefaultScenarioTest, SameSeedGivesTheSameBytes) {
  const fs::path again = TempDir("again");
  ASSERT_TRUE(SimulateInto(again).ok());
  for (const auto& entry : fs::recursive_directory_iterator(*dir_)) {
    if (entry.is_regular_file()) {
      const fs::path relative = fs::relative(entry.path(), *dir_);
      EXPECT_EQ(ReadFile(entry.path()), ReadFile(again / relative)) << relative;
    }
  }
  fs::remove_all(again);
}

TEST_F(DefaultScenarioTest, DifferentSeedsGiveDifferentData) {
  const fs::path other = TempDir("other-seed");
  ASSERT_TRUE(SimulateInto(other, 43).ok());
  for (const char* file : {"data/health-weekly.csv", "data/river-levels.csv", "data/methane.csv",
                           "data/prices.csv", "labels.csv"}) {
    EXPECT_NE(ReadFile(*dir_ / file), ReadFile(other / file)) << file;
  }
  fs::remove_all(other);
}

TEST_F(DefaultScenarioTest, EveryTimeParsesInItsIndicatorsFrequency) {
  for (const auto& entry : fs::directory_iterator(*dir_ / "data")) {
    const std::vector<Row> rows = ReadCsv(entry.path());
    ASSERT_EQ(rows.front(), (Row{"indicator", "region", "time", "value", "denominator", "source"}));
    for (std::size_t i = 1; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].size(), 6u) << entry.path() << " line " << i + 1;
      const Result<Timestamp> t = ParseEventTime(rows[i][2], frequencies_->at(rows[i][0]));
      ASSERT_TRUE(t.ok()) << entry.path() << " line " << i + 1 << ": " << t.status().message();
      ASSERT_EQ(FormatEventTime(*t, frequencies_->at(rows[i][0])), rows[i][2]);
    }
  }
  for (const Row& label : ReadCsv(*dir_ / "labels.csv")) {
    if (label[0] != "indicator") {
      EXPECT_LE(LabelTime(label, 2), LabelTime(label, 3)) << label[0] << " " << label[2];
    }
  }
}

TEST_F(DefaultScenarioTest, EndMovesEveryTimeAndNothingElse) {
  // Not a whole number of weeks, days or hours: each time falls into another period.
  const Timestamp end = *ParseRfc3339("2025-03-05T10:30:00Z");
  const Duration shift = end - *ParseDate("2025-01-01");
  const fs::path moved = TempDir("moved");
  ASSERT_TRUE(Simulate({.out = moved, .end = end}).ok());
  const auto expect_moved = [&](const fs::path& file, std::initializer_list<std::size_t> times) {
    const std::vector<Row> before = ReadCsv(*dir_ / file);
    const std::vector<Row> after = ReadCsv(moved / file);
    ASSERT_EQ(before.size(), after.size()) << file;
    for (std::size_t i = 1; i < before.size(); ++i) {
      Row expected = before[i];
      const Frequency f = frequencies_->at(expected[0]);
      for (std::size_t column : times) {
        const Timestamp t = *ParseEventTime(expected[column], f) + shift;
        expected[column] = FormatEventTime(PeriodStart(PeriodIndex(t, f), f), f);
        ASSERT_TRUE(ParseEventTime(after[i][column], f).ok()) << file << " line " << i + 1;
      }
      ASSERT_EQ(after[i], expected) << file << " line " << i + 1;
    }
  };
  for (const auto& entry : fs::directory_iterator(*dir_ / "data")) {
    expect_moved(fs::relative(entry.path(), *dir_), {2});
  }
  expect_moved("labels.csv", {2, 3});
  EXPECT_EQ(ReadFile(*dir_ / "workspace.yaml"), ReadFile(moved / "workspace.yaml"));
  fs::remove_all(moved);
}

TEST_F(DefaultScenarioTest, RowsNameDeclaredIndicatorsRegionsAndSources) {
  const YAML::Node root = YAML::LoadFile((*dir_ / "workspace.yaml").string());
  std::set<std::string> regions;
  for (const YAML::Node& r : root["regions"]) {
    regions.insert(r["code"].as<std::string>());
  }
  std::set<std::string> files;
  for (const YAML::Node& s : root["sources"]) {
    const std::vector<Row> rows = ReadCsv(*dir_ / s["path"].as<std::string>());
    ASSERT_GT(rows.size(), 1u) << s["path"].as<std::string>();
    for (std::size_t i = 1; i < rows.size(); ++i) {
      ASSERT_TRUE(frequencies_->count(rows[i][0])) << rows[i][0];
      ASSERT_TRUE(regions.count(rows[i][1])) << rows[i][1];
      ASSERT_EQ(rows[i][5], s["id"].as<std::string>());
    }
    files.insert(s["path"].as<std::string>());
  }
  EXPECT_EQ(files.size(), 5u);
}

TEST_F(DefaultScenarioTest, LabelsEveryKindOfEvent) {
  for (const char* kind : {"outbreak", "flood-wave", "build-up", "sensor-fault", "price-shock"}) {
    EXPECT_FALSE(Labels(kind).empty()) << kind;
  }
}

TEST_F(DefaultScenarioTest, OutbreakWeeksHaveHigherCounts) {
  double during = 0;
  double before = 0;
  for (const Row& label : Labels("outbreak")) {
    const auto values = Series("health-weekly.csv", label[0], label[1]);
    const Timestamp start = LabelTime(label, 2);
    during += Window(values, start, LabelTime(label, 3)).first;
    before += Window(values, start - std::chrono::weeks(52), start - std::chrono::weeks(1)).first;
  }
  EXPECT_GT(during, 1.5 * before);
}

TEST_F(DefaultScenarioTest, FloodWavesRiseWellAboveTheBaseLevel) {
  for (const Row& label : Labels("flood-wave")) {
    const auto values = Series("river-levels.csv", label[0], label[1]);
    const Timestamp start = LabelTime(label, 2);
    const double peak = Window(values, start, LabelTime(label, 3)).second;
    const double base = Window(values, start - std::chrono::days(5), start).second;
    EXPECT_GT(peak, base + 1.5) << label[1] << " " << label[2];
    EXPECT_GT(peak, 3.0) << label[1] << " " << label[2];
  }
}

TEST_F(DefaultScenarioTest, BuildUpsReachDangerousLevels) {
  for (const Row& label : Labels("build-up")) {
    const auto values = Series("methane.csv", label[0], label[1]);
    const double peak = Window(values, LabelTime(label, 2), LabelTime(label, 3)).second;
    EXPECT_GT(peak, label[0] == "methane-face" ? 1.0 : 0.6) << label[1] << " " << label[2];
  }
}

TEST_F(DefaultScenarioTest, SensorFaultsShowInTheReadings) {
  for (const Row& label : Labels("sensor-fault")) {
    const auto values = Series("methane.csv", label[0], label[1]);
    const Timestamp start = LabelTime(label, 2);
    const Timestamp end = LabelTime(label, 3);
    const auto first = values.lower_bound(start);
    const auto last = values.upper_bound(end);
    if (label[5] == "dropout") {
      EXPECT_EQ(first, last) << "rows inside a dropout at " << label[2];
    } else if (label[5] == "stuck-at") {
      for (auto it = first; it != last; ++it) {
        EXPECT_EQ(it->second, first->second) << label[2];
      }
    } else {
      EXPECT_GE(Window(values, start, end).first, 3.0) << "spike at " << label[2];
    }
  }
}

TEST_F(DefaultScenarioTest, PriceShocksRaisePrices) {
  for (const Row& label : Labels("price-shock")) {
    const auto values = Series("prices.csv", label[0], label[1]);
    const Timestamp start = LabelTime(label, 2);
    const double after = Window(values, start, start + std::chrono::days(13)).first;
    const double before =
        Window(values, start - std::chrono::days(14), start - std::chrono::days(1)).first;
    EXPECT_GT(after, 1.1 * before) << label[0] << " " << label[1] << " " << label[2];
  }
}

TEST_F(DefaultScenarioTest, RevisionsRaiseAnEarlierReport) {
  const std::vector<Row> revisions = ReadCsv(*dir_ / "data" / "revisions.csv");
  ASSERT_GT(revisions.size(), 1u);
  for (std::size_t i = 1; i < revisions.size(); ++i) {
    const Row& r = revisions[i];
    const auto values = Series("health-weekly.csv", r[0], r[1]);
    const auto first = values.find(*ParseEventTime(r[2], Frequency::kWeekly));
    ASSERT_NE(first, values.end()) << r[0] << " " << r[1] << " " << r[2];
    EXPECT_GT(std::stod(r[3]), first->second);
  }
}

// Checks every detector of a written catalogue against the method table.
// The written catalogue passes the same loader and validator as `vigil
// validate`: known detectors, parameters in range, a sound region tree.
void ExpectValidWorkspace(const fs::path& workspace) {
  const Result<Catalogue> catalogue = LoadWorkspaceCatalogue(workspace);
  EXPECT_TRUE(catalogue.ok()) << catalogue.status().message();
}

TEST_F(DefaultScenarioTest, CatalogueValidates) { ExpectValidWorkspace(*dir_); }

TEST(SimulateTest, RefusesANonEmptyDirectoryWithoutForce) {
  const fs::path dir = TempDir("not-empty");
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "keep me";
  const Result<SimulateSummary> result = SimulateInto(dir);
  EXPECT_EQ(result.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  EXPECT_EQ(Simulate({.out = dir, .force = true}).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  fs::remove_all(dir);
}

TEST(SimulateTest, ForceReplacesAnEarlierWorkspace) {
  const fs::path dir = TempDir("force");
  ASSERT_TRUE(SimulateInto(dir, 1).ok());
  std::ofstream(dir / "vigil.db") << "old store";
  ASSERT_TRUE(Simulate({.seed = 2, .out = dir, .force = true}).ok());
  EXPECT_FALSE(fs::exists(dir / "vigil.db"));
  const fs::path fresh = TempDir("fresh");
  ASSERT_TRUE(SimulateInto(fresh, 2).ok());
  EXPECT_EQ(ReadFile(dir / "labels.csv"), ReadFile(fresh / "labels.csv"));
  fs::remove_all(dir);
  fs::remove_all(fresh);
}

TEST(SimulateTest, RejectsAnUnknownScenario) {
  const Result<SimulateSummary> result = SimulateInto(TempDir("unknown"), 1, "tsunami");
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("noufaily"), std::string::npos);
}

TEST(SimulateTest, NoufailyScenarioHas42ScenariosOf624WeeksWithOneCurrentOutbreakEach) {
  const fs::path dir = TempDir("noufaily");
  const Result<SimulateSummary> result =
      Simulate({.seed = 5, .out = dir, .scenario = "noufaily", .series_per_scenario = 2});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->series, 84);
  EXPECT_EQ(result->observations, 84 * 624);
  const Timestamp last = *ParseIsoWeek("2024-W52");
  std::map<std::string, int> current;
  for (const Row& label : ReadCsv(dir / "labels.csv")) {
    if (label[5].rfind("period=current", 0) == 0) {
      ++current[label[0] + "/" + label[1]];
      EXPECT_GT(*ParseIsoWeek(label[2]), last - std::chrono::weeks(49));
    }
  }
  for (const auto& [series, n] : current) {
    EXPECT_EQ(n, 1) << series;
  }
  EXPECT_GT(current.size(), 60u);  // a few draw zero cases and are not outbreaks
  ExpectValidWorkspace(dir);
  fs::remove_all(dir);
}

TEST(SimulateTest, ScaleScenarioWritesTheRequestedSeriesAndOutbreaks) {
  const fs::path dir = TempDir("scale");
  const Result<SimulateSummary> result =
      Simulate({.seed = 5, .out = dir, .scenario = "scale", .series = 30, .outbreaks = 4});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->observations, 30 * 522);
  EXPECT_LE(result->labels, 4);
  EXPECT_GE(result->labels, 3);
  const Timestamp last = *ParseIsoWeek("2024-W52");
  for (const Row& label : ReadCsv(dir / "labels.csv")) {
    if (label[0] != "indicator") {
      EXPECT_GT(*ParseIsoWeek(label[2]), last - std::chrono::weeks(10));
    }
  }
  ExpectValidWorkspace(dir);
  fs::remove_all(dir);
}

TEST(SimulateTest, EndBringsTheLastWeekRightBeforeIt) {
  const fs::path dir = TempDir("end");
  const Timestamp end = *ParseRfc3339("2031-07-16T08:00:00Z");
  ASSERT_TRUE(
      Simulate({.out = dir, .scenario = "scale", .series = 2, .outbreaks = 1, .end = end}).ok());
  Timestamp last_end{};
  for (const Row& row : ReadCsv(dir / "data" / "scale.csv")) {
    if (row[0] != "indicator") {
      last_end = std::max(last_end, *ParseIsoWeek(row[2]) + std::chrono::weeks(1));
    }
  }
  EXPECT_LE(last_end, end);
  EXPECT_GT(last_end, end - std::chrono::weeks(2));
  fs::remove_all(dir);
}

TEST(SimulateTest, RejectsAnEndOutsideTheSupportedYears) {
  for (const char* end : {"1999-12-31", "2100-01-01"}) {
    const Result<SimulateSummary> result =
        Simulate({.out = TempDir("end-bad"), .end = *ParseDate(end)});
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << end;
    EXPECT_NE(result.status().message().find("--end"), std::string::npos);
  }
}

TEST(SimulateTest, ScaleScenarioRejectsMoreOutbreaksThanSeries) {
  const Result<SimulateSummary> result =
      Simulate({.out = TempDir("scale-bad"), .scenario = "scale", .series = 3, .outbreaks = 4});
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::sim
