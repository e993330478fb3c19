// `vigil nab`: runs a detector over the Numenta Anomaly Benchmark corpus,
// writes NAB's results files and prints NAB's scores.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/clock.h"
#include "nab/report.h"
#include "nab/runner.h"
#include "nab/scorer.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Run a detector over the Numenta Anomaly Benchmark (NAB) and score it.

Reads CORPUS/data/<category>/<name>.csv, CORPUS/labels/combined_windows.json and
CORPUS/config/profiles.json; writes OUT/<detector>/<category>/<detector>_<name>.csv
(timestamp,value,anomaly_score, in the data file's row order); then scores the
results as NAB does (threshold optimised per profile over the corpus, scores
normalised between the null and the perfect detector) and prints them next to
NAB's published scoreboard. One parameter set for all files; see docs/EVALUATION.md.

Example:
  vigil nab --corpus ../shared/nab --out /tmp/nab-results)";

struct NabOptions {
  std::string corpus;
  std::string out;
  std::string detector = "anomaly";
  std::vector<std::string> params;
  bool json = false;
};

int RunNabCommand(const NabOptions& o) {
  nab::RunOptions run{.detector = o.detector};
  for (const std::string& p : o.params) {
    const std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      Fail(InvalidArgument("--param '" + p + "': expected NAME=VALUE"));
      return kExitUsage;
    }
    run.params.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  Result<nab::Corpus> corpus = nab::ReadCorpus(o.corpus);
  if (!corpus.ok()) {
    return Fail(corpus.status());
  }
  const SystemClock clock;
  Result<nab::RunResult> result = nab::RunDetector(*corpus, run, clock);
  if (!result.ok()) {
    return Fail(result.status());
  }
  const Status written = nab::WriteResults(*corpus, *result, o.detector, o.out);
  if (!written.ok()) {
    return Fail(written);
  }
  const nab::Report report = nab::MakeReport(o.detector, *corpus, result->detector_time,
                                             nab::ScoreCorpus(*corpus, result->scores));
  std::cout << (o.json ? nab::FormatJson(report) : nab::FormatText(report));
  return kExitOk;
}

}  // namespace

Command RegisterNab(CLI::App& app, GlobalOptions& /*global*/) {
  auto options = std::make_shared<NabOptions>();
  Command command;
  command.app = app.add_subcommand("nab", "Run and score a detector on the NAB corpus");
  command.app->description(kDescription);
  command.app->add_option("--corpus", options->corpus, "NAB directory (data/, labels/, config/)")
      ->required();
  command.app->add_option("--out", options->out, "Directory for the results files")->required();
  command.app->add_option("--detector", options->detector, "anomaly or windowed-gaussian")
      ->capture_default_str()
      ->check(CLI::IsMember({"anomaly", "windowed-gaussian"}));
  command.app->add_option("--param", options->params,
                          "NAME=VALUE for the anomaly detector (repeatable)");
  command.app->add_flag("--json", options->json, "Print the scores as JSON");
  command.run = [options] { return RunNabCommand(*options); };
  return command;
}

}  // namespace vigil::cli
