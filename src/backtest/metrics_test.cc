#include "backtest/metrics.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <vector>

#include "backtest/report.h"

namespace vigil::backtest {
namespace {

using std::chrono::hours;

constexpr double kWeek = 7 * 24 * 3600.0;

Timestamp Week(int n) { return *ParseIsoWeek(fmt::format("2024-W{:02}", n)); }

// Ten weekly periods W01..W10 with alarms in W03, W06, W07 and W10.
SeriesVerdicts TenWeeks() {
  SeriesVerdicts v;
  for (int w = 1; w <= 10; ++w) {
    v.periods.push_back(Week(w));
    v.alarms.push_back(w == 3 || w == 6 || w == 7 || w == 10);
  }
  return v;
}

Label Event(int first_week, int last_week) {
  return {.indicator = "cases", .region = "XA", .start = Week(first_week), .end = Week(last_week)};
}

TEST(ScoreSeriesTest, OneDetectedEvent) {
  // The event covers W05-W07: alarms in W06 and W07, none in W05. Outside it
  // 7 periods, 2 of them alarms (W03, W10).
  const std::vector<Label> labels = {Event(5, 7)};
  const DetectionMetrics m = ScoreSeries(TenWeeks(), labels, {});
  EXPECT_EQ(m.periods, 10);
  EXPECT_EQ(m.alarm_periods, 4);
  EXPECT_EQ(m.events, 1);
  EXPECT_EQ(m.detected, 1);
  EXPECT_EQ(m.quiet_periods, 7);
  EXPECT_EQ(m.false_alarms, 2);
  EXPECT_DOUBLE_EQ(*m.Pod(), 1.0);
  EXPECT_DOUBLE_EQ(*m.FalseAlarmsPer100(), 200.0 / 7);
  EXPECT_DOUBLE_EQ(*m.Specificity(), 5.0 / 7);
  EXPECT_DOUBLE_EQ(*m.Ppv(), 0.5);
  ASSERT_EQ(m.delay_periods.size(), 1u);
  EXPECT_EQ(m.delay_periods[0], 1);  // W05 passed without an alarm
  EXPECT_DOUBLE_EQ(m.delay_seconds[0], kWeek);
}

TEST(ScoreSeriesTest, MissedEventLowersDetectionAndLeavesNoDelay) {
  // W01-W02 has no alarm: 2 events, 1 detected; outside both 5 periods
  // (W03, W04, W08, W09, W10), alarms in W03 and W10.
  const std::vector<Label> labels = {Event(5, 7), Event(1, 2)};
  const DetectionMetrics m = ScoreSeries(TenWeeks(), labels, {});
  EXPECT_EQ(m.events, 2);
  EXPECT_EQ(m.detected, 1);
  EXPECT_DOUBLE_EQ(*m.Pod(), 0.5);
  EXPECT_EQ(m.quiet_periods, 5);
  EXPECT_DOUBLE_EQ(*m.FalseAlarmsPer100(), 40.0);
  EXPECT_DOUBLE_EQ(*m.Specificity(), 0.6);
  EXPECT_EQ(m.delay_periods.size(), 1u);
}

TEST(ScoreSeriesTest, RangeDropsPeriodsAndEventsOutsideIt) {
  // From W04: 7 periods (W04..W10), the W01-W02 event has none of them.
  const std::vector<Label> labels = {Event(5, 7), Event(1, 2)};
  const DetectionMetrics m = ScoreSeries(TenWeeks(), labels, {.from = Week(4)});
  EXPECT_EQ(m.periods, 7);
  EXPECT_EQ(m.events, 1);
  EXPECT_EQ(m.quiet_periods, 4);  // W04, W08, W09, W10
  EXPECT_EQ(m.false_alarms, 1);   // W10
}

TEST(ScoreSeriesTest, RatiosWithoutDenominatorAreAbsent) {
  const DetectionMetrics m = ScoreSeries({}, {}, {});
  EXPECT_FALSE(m.Pod().has_value());
  EXPECT_FALSE(m.FalseAlarmsPer100().has_value());
  EXPECT_FALSE(m.Specificity().has_value());
  EXPECT_FALSE(m.Ppv().has_value());
}

TEST(SummariseTest, QuartilesInterpolateBetweenOrderStatistics) {
  // Sorted 1 2 3 4: q1 at position 0.75 (1.75), median at 1.5 (2.5), q3 at 2.25 (3.25).
  const std::optional<Distribution> d = Summarise({4, 1, 3, 2});
  ASSERT_TRUE(d.has_value());
  EXPECT_DOUBLE_EQ(d->q1, 1.75);
  EXPECT_DOUBLE_EQ(d->median, 2.5);
  EXPECT_DOUBLE_EQ(d->q3, 3.25);
  EXPECT_DOUBLE_EQ(d->min, 1);
  EXPECT_DOUBLE_EQ(d->max, 4);
  EXPECT_FALSE(Summarise({}).has_value());
}

TEST(DelayHistogramTest, FourOrMoreShareTheLastBucket) {
  const std::vector<double> delays = {0, 0, 1, 7, 3, 4};
  const std::array<std::int64_t, kDelayBuckets> expected = {2, 1, 0, 1, 2};
  EXPECT_EQ(DelayHistogram(delays), expected);
}

warn::Event WarningEvent(warn::EventKind kind, const std::string& id, Timestamp at, int level,
                         int previous) {
  warn::Event e{.at = at, .kind = kind, .key = {"health", "XA", "infectious-disease"}};
  e.warning.id = id;
  e.warning.level = level;
  e.previous_level = previous;
  return e;
}

TEST(SummariseWarningsTest, CountsLevelChangesAndDurations) {
  using K = warn::EventKind;
  const Timestamp t0 = Week(1);
  const std::vector<warn::Event> events = {
      WarningEvent(K::kIssued, "w/1", t0, 2, 0),
      WarningEvent(K::kUpdated, "w/1", t0 + hours(1), 3, 2),  // raised: a change
      WarningEvent(K::kUpdated, "w/1", t0 + hours(2), 3, 3),  // renewed: not a change
      WarningEvent(K::kExpired, "w/1", t0 + hours(5), 3, 3),
      WarningEvent(K::kIssued, "w/2", t0 + hours(10), 1, 0),  // still active at the end
  };
  const std::vector<WarningSummary> s = SummariseWarnings(events, {}, t0 + hours(12));
  ASSERT_EQ(s.size(), 2u);
  WarningMetrics total;
  for (const WarningSummary& w : s) {
    total.Add(w.metrics);
  }
  EXPECT_EQ(total.raised, 2);
  EXPECT_EQ(total.level_changes, 1);
  // 5 h and 2 h.
  EXPECT_DOUBLE_EQ(*total.MeanDurationHours(), 3.5);
}

TEST(SummariseWarningsTest, WarningsIssuedOutsideTheRangeDoNotCount) {
  const Timestamp t0 = Week(1);
  const std::vector<warn::Event> events = {WarningEvent(warn::EventKind::kIssued, "w/1", t0, 2, 0)};
  EXPECT_TRUE(SummariseWarnings(events, {.from = Week(2)}, Week(3)).empty());
}

}  // namespace
}  // namespace vigil::backtest
