// `vigil simulate`: writes a simulated workspace (catalogue, data, labels).
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/time.h"
#include "simulate/simulate.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Write a complete simulated workspace into DIR, deterministic from the seed:
  DIR/workspace.yaml  the catalogue (domains, regions, indicators, detectors,
                      policies, file sources)
  DIR/data/*.csv      observations: indicator,region,time,value,denominator,source
  DIR/labels.csv      every injected event: indicator,region,start,end,kind,detail

Scenarios (see docs/SIMULATOR.md):
  default   Lakeland: weekly disease counts per district with outbreaks and late
            revisions, hourly river levels with flood waves, minute methane
            readings in mines with gas build-ups and sensor faults, daily food
            and fuel prices with shocks
  noufaily  the 42 simulation scenarios of Noufaily et al. (2013), 624 weeks
            each, --series-per-scenario replicates
  scale     --series weekly count series over ten years, --outbreaks of them
            with an outbreak in the final weeks, for benchmarks

DIR must not exist or be empty; --force replaces an earlier workspace there
(its catalogue, data, labels and store).

Every scenario's data ends where 2025-01-01 begins. --end TIME moves the whole
timeline (rows and labels) by TIME - 2025-01-01, so the data ends by TIME and
its last weeks are recent: `make demo` passes the current time. Only the
times change; each is written as the period the moved time falls in.

Example:
  vigil simulate --seed 42 --out demo && vigil ingest -w demo)";

struct SimulateFlags {
  sim::SimulateOptions options;
  std::string out;
  std::string end;
};

// Options that apply to one scenario only are refused with the others.
Status CheckScenarioOptions(const CLI::App& app, const std::string& scenario) {
  const std::pair<const char*, const char*> kOwners[] = {
      {"--series-per-scenario", "noufaily"}, {"--series", "scale"}, {"--outbreaks", "scale"}};
  for (const auto& [option, owner] : kOwners) {
    if (app.count(option) > 0 && scenario != owner) {
      return InvalidArgument(fmt::format("{} applies to --scenario {} only", option, owner));
    }
  }
  return Status::Ok();
}

int RunSimulate(const CLI::App& app, SimulateFlags& flags) {
  flags.options.out = flags.out;
  if (Status s = CheckScenarioOptions(app, flags.options.scenario); !s.ok()) {
    Fail(s);
    return kExitUsage;
  }
  if (!flags.end.empty()) {
    Result<Timestamp> end = ParseAnyTime(flags.end);
    if (!end.ok()) {
      Fail(InvalidArgument(fmt::format("--end: {}", end.status().message())));
      return kExitUsage;
    }
    flags.options.end = *end;
  }
  Result<sim::SimulateSummary> summary = sim::Simulate(flags.options);
  if (!summary.ok()) {
    // The simulator reads no input: an invalid argument is a bad option value.
    const int code = Fail(summary.status());
    return summary.status().code() == StatusCode::kInvalidArgument ? kExitUsage : code;
  }
  std::cout << fmt::format(
      "wrote {}: scenario {}, seed {}: {} series, {} observations, {} labelled events\n", flags.out,
      flags.options.scenario, flags.options.seed, summary->series, summary->observations,
      summary->labels);
  return kExitOk;
}

}  // namespace

Command RegisterSimulate(CLI::App& app, GlobalOptions& /*global*/) {
  auto flags = std::make_shared<SimulateFlags>();
  Command command;
  command.app = app.add_subcommand("simulate", "Write a simulated workspace with labelled events");
  command.app->description(kDescription);
  CLI::App& sub = *command.app;
  sub.add_option("--seed", flags->options.seed, "Random seed (same seed, same bytes)")
      ->capture_default_str();
  sub.add_option("--out", flags->out, "Workspace directory to write")->required();
  sub.add_option("--scenario", flags->options.scenario, "default, noufaily or scale")
      ->capture_default_str();
  sub.add_flag("--force", flags->options.force, "Replace an earlier workspace in --out");
  sub.add_option("--end", flags->end,
                 "Move the timeline so the data ends by TIME (a date or RFC 3339; default "
                 "2025-01-01)")
      ->type_name("TIME");
  sub.add_option("--series-per-scenario", flags->options.series_per_scenario,
                 "noufaily: replicate series per scenario")
      ->capture_default_str();
  sub.add_option("--series", flags->options.series, "scale: number of weekly series")
      ->capture_default_str();
  sub.add_option("--outbreaks", flags->options.outbreaks,
                 "scale: series with an outbreak in the final weeks")
      ->capture_default_str();
  command.run = [flags, &sub] { return RunSimulate(sub, *flags); };
  return command;
}

}  // namespace vigil::cli
