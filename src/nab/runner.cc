#include "nab/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>

#include "detect/detector.h"
#include "nab/scorer.h"
#include "nab/windowed_gaussian.h"

namespace vigil::nab {
namespace {

bool HasParam(const RunOptions& options, std::string_view name) {
  return std::any_of(options.params.begin(), options.params.end(),
                     [&](const auto& p) { return p.first == name; });
}

Result<std::unique_ptr<Detector>> BuildAnomaly(const RunOptions& options, std::size_t rows) {
  const MethodSpec* method = FindMethod("anomaly");
  if (method == nullptr) {
    return UnknownMethod("anomaly");
  }
  std::vector<std::pair<std::string, std::string>> given = options.params;
  if (!HasParam(options, "learning_period")) {
    given.emplace_back("learning_period", std::to_string(ProbationaryLength(rows)));
  }
  VIGIL_ASSIGN_OR_RETURN(const ParamSet params, ParamSet::Parse(*method, given));
  return MakeDetector(*method, params, SeriesContext{.periods_per_year = 0});
}

// A score NAB accepts: in [0, 1], 0 where the detector could not judge.
double NabScore(const Evaluation& e) {
  return e.evaluated && std::isfinite(e.score) ? std::clamp(e.score, 0.0, 1.0) : 0.0;
}

Result<std::vector<double>> ScoreWithAnomaly(const DataFile& file, const RunOptions& options,
                                             const Clock& clock, Duration& elapsed) {
  VIGIL_ASSIGN_OR_RETURN(const std::unique_ptr<Detector> detector,
                         BuildAnomaly(options, file.values.size()));
  const auto& streaming = dynamic_cast<const StreamingDetector&>(*detector);
  std::vector<std::uint64_t> words((streaming.state_size() + 7) / 8);
  const std::span<std::byte> state(reinterpret_cast<std::byte*>(words.data()),
                                   streaming.state_size());
  std::vector<double> scores(file.values.size());
  const Timestamp start = clock.Now();
  streaming.InitState(state);
  for (std::size_t i = 0; i < file.values.size(); ++i) {
    const Point point{.time = Timestamp{std::chrono::seconds{file.timestamps[i]}},
                      .value = file.values[i]};
    scores[i] = NabScore(streaming.Update(state, point));
  }
  elapsed += clock.Now() - start;
  return scores;
}

}  // namespace

Result<RunResult> RunDetector(const Corpus& corpus, const RunOptions& options, const Clock& clock) {
  const bool gaussian = options.detector == "windowed-gaussian";
  if (!gaussian && options.detector != "anomaly") {
    return InvalidArgument("--detector '" + options.detector +
                           "': expected anomaly or windowed-gaussian");
  }
  if (gaussian && !options.params.empty()) {
    return InvalidArgument("--param: the windowed-gaussian detector has no parameters");
  }
  RunResult result;
  for (const DataFile& file : corpus.files) {
    if (gaussian) {
      const Timestamp start = clock.Now();
      result.scores.push_back(WindowedGaussianScores(file.values));
      result.detector_time += clock.Now() - start;
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(std::vector<double> scores,
                           ScoreWithAnomaly(file, options, clock, result.detector_time));
    result.scores.push_back(std::move(scores));
  }
  return result;
}

Status WriteResults(const Corpus& corpus, const RunResult& result, const std::string& detector,
                    const std::string& out) {
  for (std::size_t f = 0; f < corpus.files.size(); ++f) {
    const DataFile& file = corpus.files[f];
    const std::filesystem::path dir = std::filesystem::path(out) / detector / file.category;
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    const std::filesystem::path path = dir / (detector + "_" + file.name + ".csv");
    std::ofstream csv(path);
    if (error || !csv) {
      return IoError(path.string() + ": cannot write");
    }
    csv << "timestamp,value,anomaly_score\n";
    for (std::size_t i = 0; i < file.values.size(); ++i) {
      csv << fmt::format("{},{},{}\n", file.timestamp_text[i], file.values[i], result.scores[f][i]);
    }
    if (!csv.flush()) {
      return IoError(path.string() + ": write failed");
    }
  }
  return Status::Ok();
}

}  // namespace vigil::nab
