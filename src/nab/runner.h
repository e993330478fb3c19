// Running a detector over the NAB corpus and writing NAB's results format.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "nab/corpus.h"

namespace vigil::nab {

// The detectors `vigil nab` can run: "anomaly" (Vigil's streaming anomaly
// detector, docs/ANOMALY.md) and "windowed-gaussian" (NAB's baseline).
inline constexpr const char* kDetectors[] = {"anomaly", "windowed-gaussian"};

struct RunOptions {
  std::string detector = "anomaly";
  // --param NAME=VALUE for the anomaly detector. Unless given, its
  // learning_period is each file's probationary length (NAB's rules let a
  // detector learn from that part of a file, and only that is known up front).
  std::vector<std::pair<std::string, std::string>> params;
};

struct RunResult {
  std::vector<std::vector<double>> scores;  // per file, per row, in [0, 1]
  Duration detector_time{};                 // time spent inside the detector only
};

// Errors: an unknown detector or invalid parameters (named).
Result<RunResult> RunDetector(const Corpus& corpus, const RunOptions& options, const Clock& clock);

// Writes <out>/<detector>/<category>/<detector>_<name>.csv per file, with
// columns timestamp,value,anomaly_score in the data file's row order.
Status WriteResults(const Corpus& corpus, const RunResult& result, const std::string& detector,
                    const std::string& out);

}  // namespace vigil::nab
