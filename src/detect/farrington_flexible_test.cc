#include "detect/farrington_flexible.h"

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

const PeriodicDetector& Periodic(const std::unique_ptr<Detector>& d) {
  return dynamic_cast<const PeriodicDetector&>(*d);
}

TEST(FarringtonFlexible, DefaultRangeStartsWhereSurveillancesDoes) {
  // farringtonFlexible's default range starts at freq * b + w + 1 = 264.
  EXPECT_EQ(Periodic(Build("farrington-flexible", {})).history_needed(kWeekly), 263u);
}

TEST(FarringtonFlexible, ABYearHistoryIsNeeded) {
  auto d = Build("farrington-flexible", {});
  const std::vector<Point> points = Points(SalmonellaAgona());
  EXPECT_FALSE(Periodic(d).Evaluate(points, 262, kWeekly).evaluated);
  EXPECT_TRUE(Periodic(d).Evaluate(points, 263, kWeekly).evaluated);
}

// R: farringtonFlexible(sts(salmonella.agona, population = round(1000 *
// exp(0.002 * t))), control = list(range = 300:312, populationOffset = TRUE)).
TEST(FarringtonFlexible, PopulationOffsetMatchesSurveillance) {
  const std::vector<double>& values = SalmonellaAgona();
  std::vector<double> population(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    population[i] = std::round(1000 * std::exp(0.002 * static_cast<double>(i + 1)));
  }
  const std::vector<Point> points = Points(values, population);
  auto d = Build("farrington-flexible", {{"populationOffset", "TRUE"}});
  const Evaluation first = Periodic(d).Evaluate(points, 299, kWeekly);
  EXPECT_NEAR(first.expected, 4.0042532669327251, 1e-6 * 4);
  EXPECT_NEAR(first.upperbound, 8.8189379585967398, 1e-6 * 8.8);
  const Evaluation last = Periodic(d).Evaluate(points, 311, kWeekly);
  EXPECT_NEAR(last.expected, 2.9726285300569395, 1e-6 * 3);
  EXPECT_NEAR(last.upperbound, 7.4373415346997813, 1e-6 * 7.4);
  EXPECT_FALSE(last.alarm);
}

// R: farringtonFlexible(sts(salmonella.agona), control = list(range = 265:312,
// thresholdMethod = M))@control$score[c(1, 48)]. The conformance files do not
// carry the score, so it is checked here for each threshold method.
TEST(FarringtonFlexible, ScoreMatchesSurveillance) {
  const std::vector<Point> points = Points(SalmonellaAgona());
  const struct {
    const char* method;
    double first, last;
  } cases[] = {{"delta", 0.159741544147527, -0.0967197092294402},
               {"nbPlugin", 0.442128681537491, 0.292162971866462},
               {"muan", 0.345700488016142, 0.198494930656261}};
  for (const auto& c : cases) {
    auto d = Build("farrington-flexible", {{"thresholdMethod", c.method}});
    EXPECT_NEAR(Periodic(d).Evaluate(points, 264, kWeekly).score, c.first,
                1e-6 * std::fabs(c.first))
        << c.method;
    EXPECT_NEAR(Periodic(d).Evaluate(points, 311, kWeekly).score, c.last, 1e-6 * std::fabs(c.last))
        << c.method;
  }
}

TEST(FarringtonFlexible, PopulationOffsetNeedsADenominator) {
  auto d = Build("farrington-flexible", {{"populationOffset", "TRUE"}});
  const std::vector<Point> points = Points(SalmonellaAgona());
  const Evaluation e = Periodic(d).Evaluate(points, 311, kWeekly);
  EXPECT_FALSE(e.evaluated);
  EXPECT_NE(std::string(e.reason).find("denominator"), std::string::npos);
}

TEST(FarringtonFlexible, FewerCasesThanLimit54LeaveTheBoundUndefined) {
  auto d = Build("farrington-flexible", {{"limit54", "100,4"}});
  std::vector<double> values = SalmonellaAgona();
  values.back() = 40;
  const Evaluation e = Periodic(d).Evaluate(Points(values), values.size() - 1, kWeekly);
  ASSERT_TRUE(e.evaluated);
  EXPECT_TRUE(std::isnan(e.upperbound));
  EXPECT_TRUE(std::isnan(e.expected));
  EXPECT_FALSE(e.alarm);
  EXPECT_GT(e.score, 1);  // surveillance still reports the score
}

TEST(FarringtonFlexible, AlarmsOnAnOutbreak) {
  for (const char* method : {"delta", "nbPlugin", "muan"}) {
    auto d = Build("farrington-flexible", {{"thresholdMethod", method}, {"noPeriods", "10"}});
    std::vector<double> values = SalmonellaAgona();
    values.back() = 40;
    const Evaluation e = Periodic(d).Evaluate(Points(values), values.size() - 1, kWeekly);
    ASSERT_TRUE(e.evaluated) << method;
    EXPECT_TRUE(e.alarm) << method;
    EXPECT_LT(e.upperbound, 40) << method;
  }
}

TEST(FarringtonFlexible, RejectsMoreSeasonalLevelsThanPeriodsPerYear) {
  const MethodSpec* spec = FindMethod("farrington-flexible");
  auto params = ParamSet::Parse(*spec, {{"noPeriods", "13"}});
  ASSERT_TRUE(params.ok());
  EXPECT_FALSE(MakeDetector(*spec, *params, SeriesContext{.periods_per_year = 12}).ok());
  EXPECT_TRUE(MakeDetector(*spec, *params, kWeekly).ok());
}

}  // namespace
}  // namespace vigil
