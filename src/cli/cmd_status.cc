// `vigil status`: what a workspace holds: its catalogue, its store, and per
// indicator the data and the signals detection found, then the latest alarms.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/signal_output.h"
#include "cli/workspace.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Summarise a workspace: the catalogue (domains, regions, indicators,
sources), the store (series, observations, revisions, batches, file size), one
line per indicator with its series, observations, time span, signals and
alarms, and the most recent alarms. `vigil signals` lists signals in full.

Example:
  vigil status -w demo)";

constexpr const char* kFooter = R"(Exit codes:
  0  success
  3  invalid catalogue
  4  store unavailable
)";

struct StatusFlags {
  std::int64_t alarms = 10;
};

// The store file with its write-ahead log, which holds recent commits.
std::string StoreSize(const Workspace& workspace) {
  std::uintmax_t bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code error;
    const std::uintmax_t size =
        std::filesystem::file_size(workspace.Resolve(std::string(kStoreFileName) + suffix), error);
    bytes += error ? 0 : size;
  }
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024 * 1024));
}

std::string IndicatorTable(const std::vector<IndicatorStats>& stats, const Catalogue& catalogue) {
  std::vector<std::vector<std::string>> rows = {
      {"indicator", "frequency", "series", "observations", "from", "to", "signals", "alarms"}};
  for (const IndicatorStats& s : stats) {
    const Indicator* indicator = catalogue.FindIndicator(s.indicator);
    auto time = [&](const std::optional<Timestamp>& t) {
      return t ? EventTime(*t, s.indicator, catalogue) : "-";
    };
    rows.push_back({s.indicator,
                    indicator == nullptr ? "(not in catalogue)"
                                         : std::string(FrequencyName(indicator->frequency)),
                    std::to_string(s.series), std::to_string(s.observations), time(s.first),
                    time(s.last), std::to_string(s.signals), std::to_string(s.alarms)});
  }
  return FormatTable(rows, {"series", "observations", "signals", "alarms"});
}

Status PrintStatus(const Workspace& workspace, const StatusFlags& flags) {
  const Catalogue& c = workspace.catalogue;
  VIGIL_ASSIGN_OR_RETURN(const StoreStats stats, workspace.store->Stats());
  VIGIL_ASSIGN_OR_RETURN(const std::vector<IndicatorStats> by_indicator,
                         workspace.store->StatsByIndicator());
  std::string out = fmt::format(
      "workspace {} ({})\n"
      "catalogue: {} domains, {} regions, {} indicators, {} sources\n"
      "store: {} series, {} observations, {} revisions, {} batches; {} ({})\n\n",
      workspace.dir, c.info().name, c.domains().size(), c.regions().size(), c.indicators().size(),
      c.sources().size(), stats.series, stats.observations, stats.revisions, stats.batches,
      kStoreFileName, StoreSize(workspace));
  out += by_indicator.empty() ? "no observations yet: run 'vigil ingest'\n"
                              : IndicatorTable(by_indicator, c);
  if (flags.alarms > 0) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<StoredSignal> alarms,
                           workspace.store->ReadSignals(
                               {.alarms_only = true, .limit = flags.alarms, .newest_first = true}));
    if (!alarms.empty()) {
      out += fmt::format("\nlatest alarms ({} most recent; 'vigil signals --alarms' lists all):\n",
                         alarms.size());
      out += FormatSignals(alarms, c, SignalFormat::kTable);
    }
  }
  std::fputs(out.c_str(), stdout);
  return Status::Ok();
}

}  // namespace

Command RegisterStatus(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<StatusFlags>();
  Command command;
  command.app = app.add_subcommand("status", kDescription);
  command.app->footer(kFooter);
  command.app->add_option("--alarms", flags->alarms, "How many of the latest alarms to show")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command.run = [&global, flags] {
    Result<Workspace> workspace = OpenWorkspace(global.workspace);
    if (!workspace.ok()) {
      return Fail(workspace.status());
    }
    const Status status = PrintStatus(*workspace, *flags);
    return status.ok() ? kExitOk : Fail(status);
  };
  return command;
}

}  // namespace vigil::cli
