#include "nab/windowed_gaussian.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/clock.h"
#include "nab/corpus.h"
#include "nab/nab_testing.h"
#include "nab/runner.h"
#include "nab/scorer.h"

namespace vigil::nab {
namespace {

TEST(WindowedGaussian, ScoresTheTailOfEarlierValues) {
  const std::vector<double> scores = WindowedGaussianScores(std::vector<double>{1, 3, 2, 2});
  EXPECT_EQ(scores[0], 0);           // nothing to compare with
  EXPECT_EQ(scores[1], 1);           // sd of {1} is 0, taken as 1e-6
  EXPECT_DOUBLE_EQ(scores[2], 0.5);  // at the mean of {1, 3}
  // {1, 3, 2}: mean 2; the value sits on it.
  EXPECT_DOUBLE_EQ(scores[3], 0.5);
}

TEST(WindowedGaussian, DistanceIsTwoSided) {
  const std::vector<double> up = WindowedGaussianScores(std::vector<double>{1, 3, 4});
  const std::vector<double> down = WindowedGaussianScores(std::vector<double>{1, 3, 0});
  EXPECT_DOUBLE_EQ(up[2], down[2]);
  EXPECT_NEAR(up[2], 1 - 0.5 * std::erfc(2 / std::sqrt(2.0)), 1e-12);  // z = 2
}

// The scorer, run on NAB's own corpus with NAB's windowed-Gaussian detector,
// reproduces NAB's published results (results/final_results.json: 39.6495 /
// 20.8680 / 47.4100, raw -24.0131 at threshold 1.0 in the standard profile).
TEST(WindowedGaussian, ReproducesThePublishedNabScore) {
  if (!testing::HasRealCorpus()) {
    GTEST_SKIP() << "NAB corpus not found at " << testing::RealCorpusRoot();
  }
  const Result<Corpus> corpus = ReadCorpus(testing::RealCorpusRoot().string());
  ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
  const SystemClock clock;
  const Result<RunResult> run = RunDetector(*corpus, {.detector = "windowed-gaussian"}, clock);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const std::vector<ProfileResult> results = ScoreCorpus(*corpus, run->scores);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_DOUBLE_EQ(results[0].null_raw, -116);  // NAB's published null detector scores
  EXPECT_DOUBLE_EQ(results[2].null_raw, -232);
  EXPECT_NEAR(results[0].best.raw, -24.0131, 1e-3);
  EXPECT_NEAR(results[0].normalised, 39.6495, 1e-3);
  EXPECT_NEAR(results[1].normalised, 20.8680, 1e-3);
  EXPECT_NEAR(results[2].normalised, 47.4100, 1e-3);
  for (const ProfileResult& r : results) {
    EXPECT_EQ(r.best.threshold, 1.0) << r.profile.name;
  }
}

// Scores near 1 keep 12 significant digits, as in NAB's results files.
TEST(WindowedGaussian, RoundsScoresAsNabPublishedThem) {
  const std::vector<double> scores =
      WindowedGaussianScores(std::vector<double>{0, 2, 0, 2, 0, 2, 0, 2, 8.5});
  EXPECT_EQ(scores[8], 1.0);  // z = 7.5: 1 - Q(z) = 1 - 3.2e-14 before rounding
}

}  // namespace
}  // namespace vigil::nab
