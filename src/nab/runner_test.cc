#include "nab/runner.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "nab/nab_testing.h"
#include "nab/scorer.h"

namespace vigil::nab {
namespace {

// The scores docs/ANOMALY.md and docs/EVALUATION.md publish for the default
// parameters; a change to the detector that moves them must update the docs.
TEST(NabRunner, AnomalyDetectorReachesThePublishedScores) {
  if (!testing::HasRealCorpus()) {
    GTEST_SKIP() << "NAB corpus not found at " << testing::RealCorpusRoot();
  }
  const Result<Corpus> corpus = ReadCorpus(testing::RealCorpusRoot().string());
  ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
  const SystemClock clock;
  const Result<RunResult> run = RunDetector(*corpus, {}, clock);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const std::vector<ProfileResult> results = ScoreCorpus(*corpus, run->scores);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_NEAR(results[0].normalised, 59.5, 0.05);
  EXPECT_NEAR(results[1].normalised, 52.0, 0.05);
  EXPECT_NEAR(results[2].normalised, 63.8, 0.05);
}

TEST(NabRunner, ScoresEveryRowWithinZeroAndOne) {
  const std::filesystem::path root = testing::WriteTinyCorpus("vigil_nab_runner");
  const Result<Corpus> corpus = ReadCorpus(root.string());
  ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
  const SystemClock clock;
  const Result<RunResult> run = RunDetector(*corpus, {}, clock);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->scores.size(), corpus->files.size());
  for (std::size_t f = 0; f < corpus->files.size(); ++f) {
    ASSERT_EQ(run->scores[f].size(), corpus->files[f].values.size());
    for (double score : run->scores[f]) {
      EXPECT_GE(score, 0.0);
      EXPECT_LE(score, 1.0);
    }
  }
}

TEST(NabRunner, RejectsParametersForTheWindowedGaussian) {
  const Corpus corpus;
  const SystemClock clock;
  const Result<RunResult> run =
      RunDetector(corpus, {.detector = "windowed-gaussian", .params = {{"levels", "9"}}}, clock);
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find("windowed-gaussian"), std::string::npos);
}

}  // namespace
}  // namespace vigil::nab
