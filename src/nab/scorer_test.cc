#include "nab/scorer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::nab {
namespace {

const Profile kStandard{"standard", 1.0, 0.11, 1.0};
const Profile kLowFn{"reward_low_FN_rate", 1.0, 0.11, 2.0};

double S(double p) { return 2 / (1 + std::exp(5 * p)) - 1; }

// 20 rows 5 minutes apart; one window over rows [10, 13]; rows 0-2 are probationary.
DataFile TwentyRows() {
  DataFile file;
  for (int i = 0; i < 20; ++i) {
    file.timestamps.push_back(1'000'000 + i * 300);
    file.values.push_back(0);
  }
  file.windows.push_back({file.timestamps[10], file.timestamps[13]});
  return file;
}

std::vector<double> Scores(std::initializer_list<std::pair<int, double>> set) {
  std::vector<double> scores(20, 0.0);
  for (const auto& [row, score] : set) {
    scores[row] = score;
  }
  return scores;
}

TEST(NabScorer, ScaledSigmoidMatchesNab) {
  EXPECT_NEAR(ScaledSigmoid(-1), 0.98661, 1e-5);
  EXPECT_DOUBLE_EQ(ScaledSigmoid(0), 0);
  EXPECT_NEAR(ScaledSigmoid(1), -0.98661, 1e-5);
  EXPECT_DOUBLE_EQ(ScaledSigmoid(3), -1);
}

TEST(NabScorer, ProbationIsFifteenPercentUpTo750Rows) {
  EXPECT_EQ(ProbationaryLength(20), 3u);
  EXPECT_EQ(ProbationaryLength(4032), 604u);
  EXPECT_EQ(ProbationaryLength(22695), 750u);
}

TEST(NabScorer, SweepScoresByPositionInAndAfterTheWindow) {
  const std::vector<SweepPoint> points = SweepFile(TwentyRows(), Scores({}), kStandard, 5);
  ASSERT_EQ(points.size(), 17u);                   // rows 3..19
  EXPECT_DOUBLE_EQ(points[2].sweep_score, -0.11);  // row 5: before any window
  EXPECT_EQ(points[7].window, 5);                  // row 10: the window's left edge
  EXPECT_NEAR(points[7].sweep_score, 1.0, 1e-12);
  EXPECT_NEAR(points[8].sweep_score, S(-0.75) / S(-1), 1e-12);  // row 11
  EXPECT_EQ(points[11].window, -1);                             // row 14
  EXPECT_NEAR(points[11].sweep_score, 0.11 * S(1.0 / 3), 1e-12);
}

TEST(NabScorer, OptimisedThresholdKeepsTheEarlyDetectionOnly) {
  const DataFile file = TwentyRows();
  const ThresholdScore best = OptimiseThreshold(
      SweepFile(file, Scores({{11, 0.9}, {5, 0.8}, {14, 0.7}}), kStandard, 0), kStandard);
  EXPECT_DOUBLE_EQ(best.threshold, 0.9);
  EXPECT_NEAR(best.raw, S(-0.75) / S(-1), 1e-12);
  EXPECT_EQ(best.tp, 1);
  EXPECT_EQ(best.fp, 0);
  EXPECT_EQ(best.windows_missed, 0);
}

TEST(NabScorer, EqualScoresShareOneThreshold) {
  const ThresholdScore best = OptimiseThreshold(
      SweepFile(TwentyRows(), Scores({{10, 0.5}, {5, 0.5}}), kStandard, 0), kStandard);
  EXPECT_DOUBLE_EQ(best.threshold, 0.5);
  EXPECT_NEAR(best.raw, 1 - 0.11, 1e-12);
  EXPECT_EQ(best.fp, 1);
}

TEST(NabScorer, NullDetectorCostsFnWeightPerWindow) {
  EXPECT_DOUBLE_EQ(NullScore(SweepFile(TwentyRows(), Scores({}), kLowFn, 0), kLowFn), -2);
}

TEST(NabScorer, DetectingNothingCanBeTheBestThreshold) {
  DataFile file = TwentyRows();
  file.windows.clear();
  const ThresholdScore best =
      OptimiseThreshold(SweepFile(file, Scores({{5, 0.9}}), kStandard, 0), kStandard);
  EXPECT_DOUBLE_EQ(best.threshold, 1.1);
  EXPECT_DOUBLE_EQ(best.raw, 0);
}

TEST(NabScorer, WindowInsideProbationIsNotScored) {
  DataFile file = TwentyRows();
  file.windows = {{file.timestamps[0], file.timestamps[2]}};
  const std::vector<SweepPoint> points = SweepFile(file, Scores({}), kStandard, 0);
  EXPECT_NEAR(points[0].sweep_score, 0.11 * S(0.5), 1e-12);  // row 3, 1 row past a 3-row window
  EXPECT_DOUBLE_EQ(OptimiseThreshold(points, kStandard).raw, 0);
}

TEST(NabScorer, NormalisesBetweenNullAndPerfect) {
  Corpus corpus{.files = {TwentyRows()}, .profiles = {kStandard, kLowFn}};
  const std::vector<ProfileResult> results = ScoreCorpus(corpus, {Scores({{10, 0.9}})});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_DOUBLE_EQ(results[0].null_raw, -1);
  EXPECT_DOUBLE_EQ(results[0].perfect_raw, 1);
  EXPECT_NEAR(results[0].normalised, 100, 1e-9);  // detected at the left edge
  EXPECT_DOUBLE_EQ(results[1].null_raw, -2);
  const std::vector<ProfileResult> late = ScoreCorpus(corpus, {Scores({{12, 0.9}})});
  EXPECT_NEAR(late[0].normalised, 100 * (S(-0.5) / S(-1) + 1) / 2, 1e-9);
}

}  // namespace
}  // namespace vigil::nab
