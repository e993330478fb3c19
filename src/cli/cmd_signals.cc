// `vigil signals`: lists the signals detection stored, with their evidence.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/signal_output.h"
#include "cli/workspace.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(List the signals that detection stored in the workspace: one row per
detector, series and period (or stream sample), with what the detector
observed and expected, its alarm threshold (upperbound), its score, whether it
raised an alarm, and whether late data made it re-judge the period (revised).

Signals come in time order. --limit N keeps the N most recent. --from and --to
take a date (2024-03-01), an ISO week (2024-W09), a month (2024-03) or an
RFC 3339 time; --from is inclusive, --to exclusive. The table rounds numbers;
--format csv and --format json give every field at full precision, with the
detector's parameters, its baseline window and the batch that wrote the row.

Examples:
  vigil signals -w demo --alarms --limit 20
  vigil signals -w demo --indicator salmonella-cases --region XA-03 --from 2024-W01
  vigil signals -w demo --alarms --format csv > alarms.csv)";

constexpr const char* kFooter = R"(Exit codes:
  0  success (also when no signal matches)
  2  bad command line (unknown format, unreadable time)
  3  invalid catalogue
  4  store unavailable
)";

struct SignalsFlags {
  std::string indicator;
  std::string region;
  std::string from;
  std::string to;
  bool alarms = false;
  std::int64_t limit = 0;
  std::string format = "table";
};

Result<SignalFilter> FilterOf(const SignalsFlags& flags) {
  SignalFilter filter{.indicator = flags.indicator,
                      .region = flags.region,
                      .alarms_only = flags.alarms,
                      .limit = flags.limit,
                      .newest_first = true};
  if (!flags.from.empty()) {
    VIGIL_ASSIGN_OR_RETURN(filter.from, ParseAnyTime(flags.from));
  }
  if (!flags.to.empty()) {
    VIGIL_ASSIGN_OR_RETURN(filter.to, ParseAnyTime(flags.to));
  }
  return filter;
}

Result<SignalFormat> FormatOf(const std::string& name) {
  if (name == "table") {
    return SignalFormat::kTable;
  }
  if (name == "csv") {
    return SignalFormat::kCsv;
  }
  if (name == "json") {
    return SignalFormat::kJson;
  }
  return InvalidArgument(fmt::format("unknown format '{}': use table, csv or json", name));
}

int RunSignals(const GlobalOptions& global, const SignalsFlags& flags) {
  Result<SignalFilter> filter = FilterOf(flags);
  Result<SignalFormat> format = FormatOf(flags.format);
  for (const Status& status : {filter.status(), format.status()}) {
    if (!status.ok()) {
      Fail(status);
      return kExitUsage;
    }
  }
  Result<Workspace> workspace = OpenWorkspace(global.workspace);
  if (!workspace.ok()) {
    return Fail(workspace.status());
  }
  if (!flags.indicator.empty() && workspace->catalogue.FindIndicator(flags.indicator) == nullptr) {
    Fail(NotFound(fmt::format("indicator '{}' is not in the catalogue", flags.indicator)));
    return kExitUsage;
  }
  // Read newest first so that --limit keeps the most recent, then show them in time order.
  Result<std::vector<StoredSignal>> signals = workspace->store->ReadSignals(*filter);
  if (!signals.ok()) {
    return Fail(signals.status());
  }
  std::reverse(signals->begin(), signals->end());
  std::fputs(FormatSignals(*signals, workspace->catalogue, *format).c_str(), stdout);
  return kExitOk;
}

}  // namespace

Command RegisterSignals(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<SignalsFlags>();
  Command command;
  command.app = app.add_subcommand("signals", kDescription);
  command.app->footer(kFooter);
  command.app->add_option("--indicator", flags->indicator, "Only this indicator");
  command.app->add_option("--region", flags->region, "Only this region code");
  command.app->add_option("--from", flags->from, "Only signals at or after this time");
  command.app->add_option("--to", flags->to, "Only signals before this time");
  command.app->add_flag("--alarms", flags->alarms, "Only signals that raised an alarm");
  command.app->add_option("--limit", flags->limit, "Only the N most recent (default: all)")
      ->check(CLI::NonNegativeNumber);
  command.app->add_option("--format", flags->format, "table, csv or json")->capture_default_str();
  command.run = [&global, flags] { return RunSignals(global, *flags); };
  return command;
}

}  // namespace vigil::cli
