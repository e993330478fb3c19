#include "simulate/counts.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::sim {
namespace {

TEST(CountsTest, MeanWithoutTrendOrSeasonIsExpTheta) {
  const SeasonalNb model{.theta = 1.5, .phi = 2};
  EXPECT_DOUBLE_EQ(model.Mean(1), std::exp(1.5));
  EXPECT_DOUBLE_EQ(model.Mean(300), std::exp(1.5));
  EXPECT_DOUBLE_EQ(model.Sd(1), std::sqrt(2 * std::exp(1.5)));
}

TEST(CountsTest, MeanFollowsTheNoufailyFormula) {
  const SeasonalNb model{
      .theta = 0.5, .beta = 0.002, .gamma1 = 0.5, .gamma2 = 0.3, .harmonics = 2, .phi = 5};
  const double t = 37;
  double eta = 0.5 + 0.002 * t;
  for (int j = 1; j <= 2; ++j) {
    eta += 0.5 * std::cos(2 * M_PI * j * t / 52) + 0.3 * std::sin(2 * M_PI * j * t / 52);
  }
  EXPECT_NEAR(model.Mean(37), std::exp(eta), 1e-12);
}

TEST(CountsTest, SeasonPeaksAtItsPeakWeek) {
  SeasonalNb model{.theta = 1};
  SetSeason(model, 0.6, 30);
  EXPECT_NEAR(model.Mean(30), std::exp(1.6), 1e-9);
  EXPECT_GT(model.Mean(30), model.Mean(29));
  EXPECT_GT(model.Mean(30), model.Mean(31));
}

TEST(CountsTest, OutbreakCasesStartAtTheStartWeekAndStayInTheSeries) {
  const SeasonalNb model{.theta = std::log(10.0), .phi = 2};
  Rng rng(1, "outbreak");
  for (int i = 0; i < 200; ++i) {
    const Outbreak o = PlanOutbreak(rng, model, 95, 5, 100);
    std::int64_t placed = 0;
    for (const auto& [week, cases] : o.weekly) {
      EXPECT_GE(week, 95);
      EXPECT_LT(week, 100);
      placed += cases;
    }
    EXPECT_LE(placed, o.cases);
  }
}

TEST(CountsTest, OutbreakSizeAveragesKTimesTheBaselineSd) {
  const SeasonalNb model{.theta = std::log(20.0), .phi = 1.5};
  Rng rng(2, "outbreak-size");
  double total = 0;
  for (int i = 0; i < 4000; ++i) {
    total += double(PlanOutbreak(rng, model, 0, 3, 1000).cases);
  }
  EXPECT_NEAR(total / 4000, 3 * std::sqrt(1.5 * 20), 0.3);
}

TEST(CountsTest, SeriesAddsPlannedCasesToTheirWeeks) {
  CountSeries series(SeasonalNb{.theta = 0}, Rng(3, "series"));
  Outbreak o;
  o.weekly = {{4, 7}, {5, 2}};
  series.Add(o);
  series.Add(o);
  EXPECT_EQ(series.Extra(4), 14);
  EXPECT_EQ(series.Extra(5), 4);
  EXPECT_EQ(series.Extra(6), 0);
}

}  // namespace
}  // namespace vigil::sim
