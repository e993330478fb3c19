// `vigil detect`: runs one detection method over a series in a CSV file.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "detect/run.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Run one detection method over a series and write its verdict per period.

Input: CSV with the header time,value and optionally denominator; one row per
consecutive period, oldest first; a missing value is an empty field (or NA).
Output: CSV time,observed,expected,upperbound,alarm,score, one row per period in
the range; expected/upperbound are empty where the method cannot evaluate, and
each reason is printed once on stderr with the rows it concerns.

Streaming methods read every row from the first, so their state is warm when
the range starts; parameters follow the control lists of the R package
'surveillance' (see docs/DETECTORS.md).

Example:
  vigil detect --method ears-c1 --param baseline=7 --input cases.csv)";

struct DetectOptions {
  std::string method;
  std::vector<std::string> params;
  int frequency = 52;
  std::string range;
  std::string input;
  std::string output;
};

Status ParseRange(const std::string& text, DetectRequest& request) {
  const std::size_t colon = text.find(':');
  try {
    std::size_t used_from = 0;
    std::size_t used_to = 0;
    request.range_from = std::stoll(text.substr(0, colon), &used_from);
    request.range_to = std::stoll(text.substr(colon + 1), &used_to);
    if (colon != std::string::npos && used_from == colon && used_to == text.size() - colon - 1 &&
        request.range_from >= 1) {
      return Status::Ok();
    }
  } catch (const std::exception&) {
    // Reported below with the expected form.
  }
  return InvalidArgument("--range '" + text + "': expected FROM:TO, 1-based row numbers");
}

Result<DetectRequest> BuildRequest(const DetectOptions& o) {
  DetectRequest request{.method = o.method, .periods_per_year = o.frequency};
  for (const std::string& p : o.params) {
    const std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgument("--param '" + p + "': expected NAME=VALUE");
    }
    request.params.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  if (!o.range.empty()) {
    VIGIL_RETURN_IF_ERROR(ParseRange(o.range, request));
  }
  return request;
}

int RunDetectCommand(const DetectOptions& o) {
  Result<DetectRequest> request = BuildRequest(o);
  if (!request.ok()) {
    Fail(request.status());
    return kExitUsage;
  }
  Result<SeriesTable> table = ReadSeriesCsv(o.input);
  if (!table.ok()) {
    return Fail(table.status());
  }
  Result<DetectResult> result = RunDetect(*request, table->points);
  if (!result.ok()) {
    return Fail(result.status().WithContext(o.input));
  }
  for (const auto& [reason, rows] : result->notes) {
    std::cerr << "note: rows " << FormatRows(rows) << ": " << reason << "\n";
  }
  if (o.output.empty() || o.output == "-") {
    WriteDetectCsv(std::cout, *table, *result);
    return kExitOk;
  }
  std::ofstream out(o.output);
  WriteDetectCsv(out, *table, *result);
  out.close();
  return out ? kExitOk : Fail(IoError(o.output + ": cannot write"));
}

}  // namespace

Command RegisterDetect(CLI::App& app, GlobalOptions& /*global*/) {
  auto options = std::make_shared<DetectOptions>();
  Command command;
  command.app = app.add_subcommand("detect", "Run a detection method over a series (CSV)");
  command.app->description(kDescription);
  command.app
      ->add_option("--method", options->method,
                   "threshold, ears-c1, ears-c2, ears-c3, cusum, ewma, ...")
      ->required();
  command.app->add_option("--param", options->params, "NAME=VALUE (repeatable)");
  command.app
      ->add_option("--frequency", options->frequency,
                   "Periods per year: 52 weekly, 12 monthly, 365 daily")
      ->capture_default_str()
      ->check(CLI::Range(1, 366));
  command.app->add_option("--range", options->range,
                          "FROM:TO, 1-based inclusive rows to evaluate (default: all the "
                          "method can evaluate)");
  command.app->add_option("--input", options->input, "Series CSV (time,value[,denominator])")
      ->required();
  command.app->add_option("--output", options->output, "Result CSV (default: stdout)");
  command.run = [options] { return RunDetectCommand(*options); };
  return command;
}

}  // namespace vigil::cli
