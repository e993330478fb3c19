#include "detect/run.h"

#include <gtest/gtest.h>

#include <sstream>

namespace vigil {
namespace {

TEST(ParseSeriesCsv, EmptyFieldIsMissing) {
  auto table = ParseSeriesCsv("time,value\n2024-W01,3\n2024-W02,\n", "in.csv");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->points.size(), 2u);
  EXPECT_EQ(table->points[0].value, 3);
  EXPECT_TRUE(std::isnan(table->points[1].value));
  EXPECT_EQ(table->times[1], "2024-W02");
}

TEST(ParseSeriesCsv, BadNumberNamesFileLineAndField) {
  auto table = ParseSeriesCsv("time,value\n2024-W01,3\n2024-W02,abc\n", "in.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(), "in.csv:3: field 'value': 'abc' is not a finite number");
}

TEST(ParseSeriesCsv, UnknownHeaderColumnIsRejected) {
  auto table = ParseSeriesCsv("time,count\n", "in.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.status().message().find("in.csv:1: header field 'count' is unknown"),
            std::string::npos);
}

TEST(ParseSeriesCsv, WrongFieldCountIsRejected) {
  auto table = ParseSeriesCsv("time,value,denominator\nw1,3\n", "in.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(), "in.csv:2: expected 3 fields, got 2");
}

std::vector<Point> Series(std::initializer_list<double> values) {
  std::vector<Point> points;
  for (double v : values) {
    points.push_back(Point{.value = v});
  }
  return points;
}

TEST(RunDetect, DefaultRangeStartsAfterTheWarmup) {
  const auto series = Series({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  auto result = RunDetect({.method = "ears-c1", .params = {{"baseline", "3"}}}, series);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->first_row, 3u);
  EXPECT_EQ(result->evaluations.size(), 7u);
}

TEST(RunDetect, RangeBeyondTheSeriesIsAnError) {
  const auto series = Series({1, 2, 3});
  auto result = RunDetect({.method = "ears-c1", .range_from = 2, .range_to = 5}, series);
  EXPECT_FALSE(result.ok());
}

TEST(RunDetect, UnsetOptionalBaselineIsTheRowsBeforeTheRange) {
  // m = mean(rows 1..3) = 4 as surveillance::algo.cusum does with range 4:5.
  const auto series = Series({2, 4, 6, 8, 4});
  auto result = RunDetect({.method = "cusum", .range_from = 4, .range_to = 5}, series);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->evaluations.size(), 2u);
  EXPECT_DOUBLE_EQ(result->evaluations[0].expected, 4);
  EXPECT_DOUBLE_EQ(result->evaluations[0].score, 0.96);
}

TEST(RunDetect, NotesEachReasonOnceWithItsRows) {
  const auto series = Series({1, 2, 3, 4, kMissing, 6, 7, 8, 9});
  auto result = RunDetect({.method = "ears-c1", .params = {{"baseline", "3"}}}, series);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->notes.size(), 2u);
  EXPECT_EQ(result->notes[0].first, "observed value missing");
  EXPECT_EQ(FormatRows(result->notes[1].second), "6-8");
}

TEST(RunDetect, UnknownMethodIsAnError) {
  EXPECT_FALSE(RunDetect({.method = "nope"}, Series({1})).ok());
}

TEST(FormatRows, CompressesRuns) {
  const std::vector<std::int64_t> rows = {3, 4, 5, 9, 11, 12};
  EXPECT_EQ(FormatRows(rows), "3-5, 9, 11-12");
}

TEST(WriteDetectCsv, WritesEmptyFieldsForMissingNumbers) {
  SeriesTable table{.times = {"w1", "w2"}, .points = Series({1, 2})};
  DetectResult result{.first_row = 1};
  Evaluation e;
  e.observed = 2;
  result.evaluations.push_back(e);
  std::ostringstream out;
  WriteDetectCsv(out, table, result);
  EXPECT_EQ(out.str(), "time,observed,expected,upperbound,alarm,score\nw2,2,,,0,\n");
}

}  // namespace
}  // namespace vigil
