// Conformance with the R package `surveillance`: runs each reference case
// listed in reference/MANIFEST.csv through the same code path as
// `vigil detect` and compares with R's output (relative 1e-6 on expected and
// upperbound, identical alarms). Layout: README.md beside this file.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "detect/run.h"

namespace vigil {
namespace {

const std::string kReferenceDir = VIGIL_CONFORMANCE_DIR;

struct Case {
  std::string method, dataset, params, range, file;
  int freq = 52;
};

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) {
    parts.push_back(part);
  }
  if (!text.empty() && text.back() == separator) {
    parts.emplace_back();
  }
  return parts;
}

std::vector<Case> ReadManifest() {
  std::ifstream in(kReferenceDir + "/MANIFEST.csv");
  std::vector<Case> cases;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const std::vector<std::string> f = Split(line, ',');
    if (f.size() == 6) {
      cases.push_back({f[0], f[1], f[2], f[3], f[5], std::stoi(f[4])});
    }
  }
  return cases;
}

// One row of a reference file; NaN for an empty field, alarm -1 for NA.
struct Expected {
  double expected, upperbound;
  int alarm;
};

struct Reference {
  std::string series_csv;  // time,value
  std::vector<Expected> rows;
};

double Field(const std::string& text) { return text.empty() ? kMissing : std::stod(text); }

Reference ReadReference(const std::string& path) {
  std::ifstream in(path);
  Reference ref;
  std::string line;
  std::getline(in, line);
  ref.series_csv = "time,value\n";
  while (std::getline(in, line)) {
    const std::vector<std::string> f = Split(line, ',');
    ref.series_csv += f[0] + "," + f[1] + "\n";
    ref.rows.push_back({Field(f[3]), Field(f[4]), f[5].empty() ? -1 : std::stoi(f[5])});
  }
  return ref;
}

DetectRequest RequestFor(const Case& c) {
  DetectRequest request{.method = c.method, .periods_per_year = c.freq};
  for (const std::string& pair : Split(c.params, ';')) {
    const std::size_t eq = pair.find('=');
    request.params.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
  }
  const std::size_t colon = c.range.find(':');
  request.range_from = std::stoll(c.range.substr(0, colon));
  request.range_to = std::stoll(c.range.substr(colon + 1));
  return request;
}

bool Close(double vigil, double r) {
  if (std::isnan(vigil) || std::isnan(r)) {
    return std::isnan(vigil) && std::isnan(r);
  }
  return std::fabs(vigil - r) <= 1e-6 * std::max(std::fabs(r), 1e-300) ||
         (r == 0 && std::fabs(vigil) < 1e-12);
}

// Differences between Vigil's result and R's rows, as readable lines ("" = none).
std::string Compare(const DetectResult& result, const std::vector<Expected>& rows) {
  std::ostringstream diff;
  for (std::size_t i = 0; i < result.evaluations.size(); ++i) {
    const std::size_t row = result.first_row + i;
    const Evaluation& e = result.evaluations[i];
    const Expected& r = rows[row];
    const double upper = e.evaluated ? e.upperbound : kMissing;
    // R's NA alarm (missing observed or bound) is Vigil's "no alarm".
    const int alarm = e.alarm ? 1 : 0;
    if (!Close(e.expected, r.expected) || !Close(upper, r.upperbound) ||
        alarm != (r.alarm < 0 ? 0 : r.alarm)) {
      diff << "row " << row + 1 << ": vigil expected=" << e.expected << " upperbound=" << upper
           << " alarm=" << alarm << "; R expected=" << r.expected << " upperbound=" << r.upperbound
           << " alarm=" << r.alarm << "\n";
    }
  }
  return diff.str();
}

// Runs every case of `method`; returns how many data sets were covered.
std::set<std::string> CheckMethod(const std::string& method) {
  std::set<std::string> datasets;
  for (const Case& c : ReadManifest()) {
    if (c.method != method) {
      continue;
    }
    SCOPED_TRACE(c.file + " [" + c.params + "] range " + c.range);
    const Reference ref = ReadReference(kReferenceDir + "/" + c.file);
    Result<SeriesTable> table = ParseSeriesCsv(ref.series_csv, c.file);
    Result<DetectResult> result =
        table.ok() ? RunDetect(RequestFor(c), table->points) : Result<DetectResult>(table.status());
    if (!result.ok()) {
      ADD_FAILURE() << result.status().ToString();
      continue;
    }
    EXPECT_EQ(result->first_row + result->evaluations.size(), ref.rows.size());
    EXPECT_EQ(Compare(*result, ref.rows), "");
    datasets.insert(c.dataset);
  }
  return datasets;
}

TEST(Conformance, EarsC1MatchesSurveillance) { EXPECT_GE(CheckMethod("ears-c1").size(), 5u); }
TEST(Conformance, EarsC2MatchesSurveillance) { EXPECT_GE(CheckMethod("ears-c2").size(), 5u); }
TEST(Conformance, EarsC3MatchesSurveillance) { EXPECT_GE(CheckMethod("ears-c3").size(), 5u); }
TEST(Conformance, CusumMatchesSurveillance) { EXPECT_GE(CheckMethod("cusum").size(), 5u); }
TEST(Conformance, FarringtonMatchesSurveillance) {
  EXPECT_GE(CheckMethod("farrington").size(), 5u);
}
TEST(Conformance, FarringtonFlexibleMatchesSurveillance) {
  EXPECT_GE(CheckMethod("farrington-flexible").size(), 5u);
}

TEST(Conformance, ComparisonCatchesAWrongBound) {
  const Case c = ReadManifest().front();
  Reference ref = ReadReference(kReferenceDir + "/" + c.file);
  auto table = ParseSeriesCsv(ref.series_csv, c.file);
  ASSERT_TRUE(table.ok());
  auto result = RunDetect(RequestFor(c), table->points);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(Compare(*result, ref.rows), "");
  result->evaluations.back().upperbound *= 1 + 1e-5;
  EXPECT_NE(Compare(*result, ref.rows), "");
}

}  // namespace
}  // namespace vigil
