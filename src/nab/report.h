// The report `vigil nab` prints: the detector's scores per profile next to
// NAB's published scoreboard, as a text table or as JSON.
#pragma once

#include <string>
#include <vector>

#include "core/time.h"
#include "nab/corpus.h"
#include "nab/scorer.h"

namespace vigil::nab {

struct Report {
  std::string detector;
  std::size_t files = 0;
  std::size_t rows = 0;
  std::size_t windows = 0;
  Duration detector_time{};
  std::vector<ProfileResult> results;  // standard, reward_low_FP_rate, reward_low_FN_rate
};

// A published NAB result (NAB's README scoreboard, v1.1); NaN where not published.
struct PublishedScore {
  const char* detector;
  double standard;
  double low_fp;
  double low_fn;
};
extern const std::vector<PublishedScore> kPublishedScoreboard;

Report MakeReport(const std::string& detector, const Corpus& corpus, Duration detector_time,
                  std::vector<ProfileResult> results);

// Human-readable: per profile the threshold, raw score and normalised score,
// then the scoreboard with this detector ranked among the published ones.
std::string FormatText(const Report& report);
// One JSON object: detector, files, rows, windows, detector_seconds, profiles
// (name -> threshold, raw, null, perfect, score, tp, fp, windows detected and
// missed) and the published scoreboard.
std::string FormatJson(const Report& report);

}  // namespace vigil::nab
