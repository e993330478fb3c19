// NAB's scoring, implemented from its published description (Lavin & Ahmad
// 2015, "Evaluating real-time anomaly detection algorithms - the Numenta
// Anomaly Benchmark", and NAB's sweeper):
//
// - The first min(floor(0.15 n), 750) rows of a file are probationary: not scored.
// - A detection is a row whose anomaly score is >= the threshold. Inside an
//   anomaly window it is worth tpWeight * S(p) / S(-1), where p is the row's
//   relative position -(right - i + 1) / width and S(p) = 2 / (1 + e^(5p)) - 1
//   (the scaled sigmoid), so detecting at the window's left edge earns the
//   full tpWeight and later detections earn less; only a window's best
//   detection counts. A window with no detection costs -fnWeight.
// - A detection outside every window costs fpWeight * S(p), where p is the
//   distance to the end of the previous window over (its width - 1), or
//   S = -1 before the first window (p >= 3 also gives -1).
// - The threshold is optimised per profile over the whole corpus (every
//   distinct score is tried, plus "detect nothing"), and the raw score is
//   normalised: 100 * (raw - null) / (perfect - null), with the null detector
//   (no detections: every window missed) and the perfect detector (every
//   window detected at its left edge: tpWeight per window).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nab/corpus.h"

namespace vigil::nab {

// Rows of a file of `rows` rows that are not scored.
std::size_t ProbationaryLength(std::size_t rows);

// NAB's scaled sigmoid S(p) (-1 for p >= 3).
double ScaledSigmoid(double position);

// One scorable row: its detector score, what detecting it is worth, and the
// corpus-wide index of its window (-1 outside every window).
struct SweepPoint {
  double anomaly_score = 0;
  double sweep_score = 0;
  int window = -1;
};

// The scorable rows of one file under `profile`. Window indices start at
// `first_window`, one per window of the file.
std::vector<SweepPoint> SweepFile(const DataFile& file, std::span<const double> scores,
                                  const Profile& profile, int first_window);

struct ThresholdScore {
  double threshold = 1.1;  // rows scoring >= threshold are detections
  double raw = 0;
  std::int64_t tp = 0;  // detections inside windows
  std::int64_t fp = 0;  // detections outside windows
  std::int64_t windows_detected = 0;
  std::int64_t windows_missed = 0;
};

// The raw score of the null detector (no detections): -fnWeight per window
// with at least one scorable row.
double NullScore(std::span<const SweepPoint> points, const Profile& profile);

// The threshold with the highest raw score (the highest threshold among ties),
// trying "detect nothing" (threshold 1.1) and every distinct anomaly score.
// Only windows with at least one scorable row count (as in NAB).
ThresholdScore OptimiseThreshold(std::vector<SweepPoint> points, const Profile& profile);

struct ProfileResult {
  Profile profile;
  ThresholdScore best;
  double null_raw = 0;     // raw score of the null detector
  double perfect_raw = 0;  // tpWeight * windows in the corpus
  double normalised = 0;   // 100 * (raw - null) / (perfect - null)
};

// Scores a detector's output over the corpus: `scores[f]` holds one score in
// [0, 1] per row of corpus.files[f]. One result per profile of the corpus.
std::vector<ProfileResult> ScoreCorpus(const Corpus& corpus,
                                       const std::vector<std::vector<double>>& scores);

}  // namespace vigil::nab
