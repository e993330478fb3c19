#include "nab/windowed_gaussian.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/clock.h"
#include "nab/corpus.h"
#include "nab/runner.h"
#include "nab/scorer.h"

namespace vigil::nab {
namespace {

// $VIGIL_SHARED_DIR, else the `shared` folder beside the source tree.
std::filesystem::path SharedDir() {
  const char* shared = std::getenv("VIGIL_SHARED_DIR");
  return shared != nullptr ? shared : VIGIL_DEFAULT_SHARED_DIR;
}

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
// reproduces the published scoreboard (39.6 / 20.9 / 47.4) to within a point.
TEST(WindowedGaussian, ReproducesThePublishedNabScore) {
  const std::filesystem::path root = SharedDir() / "nab";
  if (!std::filesystem::exists(root / "labels/combined_windows.json")) {
    GTEST_SKIP() << "NAB corpus not found at " << root;
  }
  const Result<Corpus> corpus = ReadCorpus(root.string());
  ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
  const SystemClock clock;
  const Result<RunResult> run = RunDetector(*corpus, {.detector = "windowed-gaussian"}, clock);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const std::vector<ProfileResult> results = ScoreCorpus(*corpus, run->scores);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_DOUBLE_EQ(results[0].null_raw, -116);  // NAB's published null detector scores
  EXPECT_DOUBLE_EQ(results[2].null_raw, -232);
  EXPECT_NEAR(results[0].normalised, 39.6, 0.6);
  EXPECT_NEAR(results[2].normalised, 47.4, 0.6);
  EXPECT_NEAR(results[1].normalised, 20.9, 3.1);
}

}  // namespace
}  // namespace vigil::nab
