#include "core/time.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

std::int64_t Secs(const Result<Timestamp>& t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

TEST(TimeTest, ParsesRfc3339WithZ) {
  auto t = ParseRfc3339("2024-03-01T10:00:00Z");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(Secs(t), 1709287200);
}

TEST(TimeTest, ParsesRfc3339WithOffsetAndFraction) {
  auto t = ParseRfc3339("2024-03-01T18:00:00.25+08:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->time_since_epoch().count(), 1709287200LL * 1'000'000'000 + 250'000'000);
  EXPECT_EQ(Secs(ParseRfc3339("2024-03-01T05:00:00-05:00")), 1709287200);
}

TEST(TimeTest, RejectsRfc3339WithoutOffset) {
  auto t = ParseRfc3339("2024-03-01T10:00:00");
  EXPECT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("offset"), std::string::npos);
}

TEST(TimeTest, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseDate("2023-02-29").ok());
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
  EXPECT_FALSE(ParseRfc3339("2024-03-01T24:00:00Z").ok());
  EXPECT_FALSE(ParseMonth("2024-13").ok());
  EXPECT_FALSE(ParseDate("2024-3-1").ok());
}

TEST(TimeTest, IsoWeekStartsOnMonday) {
  // ISO week 1 of 2021 starts on Monday 2021-01-04; 2020 has 53 weeks.
  EXPECT_EQ(*ParseIsoWeek("2021-W01"), *ParseDate("2021-01-04"));
  EXPECT_EQ(*ParseIsoWeek("2020-W53"), *ParseDate("2020-12-28"));
  EXPECT_FALSE(ParseIsoWeek("2021-W53").ok());
  EXPECT_EQ(*ParseIsoWeek("2024-W09"), *ParseDate("2024-02-26"));
}

TEST(TimeTest, EventTimeMustMatchFrequency) {
  EXPECT_TRUE(ParseEventTime("2024-W09", Frequency::kWeekly).ok());
  auto bad = ParseEventTime("2024-03-01", Frequency::kWeekly);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ISO week"), std::string::npos);
  EXPECT_TRUE(ParseEventTime("2024-03-01T10:00:00+05:30", Frequency::kHourly).ok());
  EXPECT_FALSE(ParseEventTime("2024-03-01T10:30:00Z", Frequency::kHourly).ok());
  EXPECT_TRUE(ParseEventTime("2024-03", Frequency::kMonthly).ok());
  EXPECT_TRUE(ParseEventTime("2024-03-01T10:30:07.5Z", Frequency::kStream).ok());
}

TEST(TimeTest, FormatRoundTripsEveryFrequency) {
  for (auto [text, f] : std::vector<std::pair<std::string, Frequency>>{
           {"2024-03-01T10:00:00Z", Frequency::kHourly},
           {"2024-03-01T10:00:00.125Z", Frequency::kStream},
           {"2024-03-01", Frequency::kDaily},
           {"2020-W53", Frequency::kWeekly},
           {"2024-W01", Frequency::kWeekly},
           {"1969-12", Frequency::kMonthly}}) {
    auto t = ParseEventTime(text, f);
    ASSERT_TRUE(t.ok()) << text;
    EXPECT_EQ(FormatEventTime(*t, f), text);
  }
}

TEST(TimeTest, PeriodIndexInvertsPeriodStart) {
  for (Frequency f :
       {Frequency::kHourly, Frequency::kDaily, Frequency::kWeekly, Frequency::kMonthly}) {
    for (std::int64_t i : {-30, -1, 0, 1, 2000}) {
      EXPECT_EQ(PeriodIndex(PeriodStart(i, f), f), i) << FrequencyName(f) << " " << i;
    }
  }
  EXPECT_EQ(PeriodIndex(*ParseIsoWeek("1970-W01"), Frequency::kWeekly), 0);
}

TEST(TimeTest, ParsesDurations) {
  EXPECT_EQ(*ParseDuration("90s"), std::chrono::seconds(90));
  EXPECT_EQ(*ParseDuration("2w"), std::chrono::hours(24 * 14));
  EXPECT_EQ(*ParseDuration("0"), Duration{0});
  EXPECT_FALSE(ParseDuration("2 h").ok());
  EXPECT_FALSE(ParseDuration("h").ok());
  EXPECT_FALSE(ParseDuration("3y").ok());
  EXPECT_EQ(ParseDuration("2222222226m").status().message(),
            "'2222222226m' is too long a duration");
}

TEST(TimeTest, RefusesYearsBeyondTheNanosecondRange) {
  EXPECT_FALSE(ParseMonth("6323-06").ok());
  EXPECT_FALSE(ParseIsoWeek("2263-W01").ok());
  EXPECT_FALSE(ParseRfc3339("1677-01-01T00:00:00Z").ok());
  EXPECT_TRUE(ParseDate("2261-12-31").ok());
  EXPECT_EQ(FormatDuration(std::chrono::hours(48)), "2d");
}

}  // namespace
}  // namespace vigil
