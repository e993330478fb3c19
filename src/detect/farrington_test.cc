#include "detect/farrington.h"

#include <gtest/gtest.h>

#include <cmath>

#include "detect/detector_testing.h"
#include "detect/farrington_testing.h"

namespace vigil {
namespace {

using testing::Build;
using testing::Points;
using testing::SalmonellaAgona;

const SeriesContext kWeekly{.periods_per_year = 52};

Evaluation EvaluateLast(const Detector& detector, const std::vector<double>& values) {
  const auto& periodic = dynamic_cast<const PeriodicDetector&>(detector);
  const std::vector<Point> points = Points(values);
  return periodic.Evaluate(points, points.size() - 1, kWeekly);
}

TEST(Farrington, DefaultRangeStartsWhereSurveillancesDoes) {
  auto d = Build("farrington", {});
  // algo.farrington's default range starts at freq * b - w = 257 (1-based).
  EXPECT_EQ(dynamic_cast<const PeriodicDetector&>(*d).history_needed(kWeekly), 256u);
}

TEST(Farrington, WithoutReferenceValuesThePeriodIsNotEvaluated) {
  auto d = Build("farrington", {});
  const std::vector<double> values(20, 3.0);
  EXPECT_FALSE(EvaluateLast(*d, values).evaluated);
}

TEST(Farrington, AlarmsWhenTheObservationExceedsTheBound) {
  auto d = Build("farrington", {});
  std::vector<double> values = SalmonellaAgona();
  values.back() = 40;
  const Evaluation e = EvaluateLast(*d, values);
  ASSERT_TRUE(e.evaluated);
  EXPECT_GT(e.upperbound, e.expected);
  EXPECT_LT(e.upperbound, 40);
  EXPECT_TRUE(e.alarm);
  EXPECT_DOUBLE_EQ(e.score, (40 - e.expected) / (e.upperbound - e.expected));
}

TEST(Farrington, FewerCasesThanLimit54GiveAZeroBoundAndNoAlarm) {
  auto d = Build("farrington", {{"limit54", "50,4"}});
  std::vector<double> values = SalmonellaAgona();
  values.back() = 40;
  const Evaluation e = EvaluateLast(*d, values);
  ASSERT_TRUE(e.evaluated);
  EXPECT_EQ(e.upperbound, 0);
  EXPECT_FALSE(e.alarm);
  EXPECT_GT(e.expected, 0);
}

TEST(Farrington, AMissingObservationLeavesTheBoundUndefined) {
  auto d = Build("farrington", {});
  std::vector<double> values = SalmonellaAgona();
  values.back() = kMissing;
  const Evaluation e = EvaluateLast(*d, values);
  EXPECT_TRUE(std::isnan(e.upperbound));
  EXPECT_FALSE(e.alarm);
}

TEST(Farrington, MissingReferenceValuesAreLeftOut) {
  auto d = Build("farrington", {});
  std::vector<double> values = SalmonellaAgona();
  const Evaluation complete = EvaluateLast(*d, values);
  values[values.size() - 1 - 52] = kMissing;
  const Evaluation gap = EvaluateLast(*d, values);
  ASSERT_TRUE(gap.evaluated);
  EXPECT_NE(gap.expected, complete.expected);
}

TEST(Farrington, RejectsAMalformedLimit54) {
  const MethodSpec* spec = FindMethod("farrington");
  auto params = ParamSet::Parse(*spec, {{"limit54", "5"}});
  ASSERT_TRUE(params.ok());
  auto detector = MakeDetector(*spec, *params, kWeekly);
  ASSERT_FALSE(detector.ok());
  EXPECT_NE(detector.status().message().find("limit54"), std::string::npos);
}

}  // namespace
}  // namespace vigil
