#include "simulate/simulate.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>

#include "simulate/domains.h"
#include "simulate/scenarios.h"

namespace vigil::sim {

const std::vector<std::string>& ScenarioNames() {
  static const std::vector<std::string> kNames = {"default", "noufaily", "scale"};
  return kNames;
}

Status WriteWorkspaceFile(const ScenarioContext& context, const WorkspaceSpec& spec,
                          std::string_view comment) {
  const std::filesystem::path path = context.dir / "workspace.yaml";
  std::ofstream out(path, std::ios::binary);
  out << WorkspaceYaml(spec, comment);
  out.close();
  return out ? Status::Ok() : IoError(path.string() + ": cannot write");
}

Status WriteDefaultScenario(ScenarioContext& context) {
  Geography geo = MakeLakeland(context.seed);
  WorkspaceSpec spec;
  spec.info = {
      .name = "Lakeland (simulated)", .sender = "warnings@lakeland.example", .language = "en-US"};
  AddHealthCatalogue(spec);
  AddRiverCatalogue(spec);
  AddMineCatalogue(spec, geo);
  AddSupplyCatalogue(spec);
  spec.regions = geo.regions;
  // Warnings go to the health department for health and to civil protection
  // for the rest; unacknowledged health warnings escalate to civil protection.
  spec.agencies = {
      {.id = "lakeland-health",
       .name = "Lakeland health department",
       .regions = {"XL"},
       .domains = {"health"},
       .escalate_to = "lakeland-civil-protection"},
      {.id = "lakeland-civil-protection", .name = "Lakeland civil protection", .regions = {"XL"}}};
  VIGIL_RETURN_IF_ERROR(WriteWorkspaceFile(
      context, spec,
      fmt::format("Simulated workspace: scenario 'default', seed {}.\n"
                  "Written by `vigil simulate`; the injected events are listed in labels.csv.",
                  context.seed)));
  VIGIL_RETURN_IF_ERROR(WriteHealth(context, geo));
  VIGIL_RETURN_IF_ERROR(WriteRivers(context, geo));
  VIGIL_RETURN_IF_ERROR(WriteMines(context, geo));
  return WriteSupply(context, geo);
}

namespace {

// Where every scenario's data ends, in its own calendar.
Timestamp CalendarEnd() { return At("2025-01-01"); }

Status CheckOptions(const SimulateOptions& o) {
  const std::vector<std::string>& names = ScenarioNames();
  if (std::find(names.begin(), names.end(), o.scenario) == names.end()) {
    return InvalidArgument(
        fmt::format("--scenario '{}': unknown (known: {})", o.scenario, fmt::join(names, ", ")));
  }
  if (o.series_per_scenario < 1 || o.series_per_scenario > kMaxSeriesPerScenario) {
    return InvalidArgument(fmt::format("--series-per-scenario {}: must be 1 to {}",
                                       o.series_per_scenario, kMaxSeriesPerScenario));
  }
  if (o.series < 1 || o.series > kMaxScaleSeries) {
    return InvalidArgument(fmt::format("--series {}: must be 1 to {}", o.series, kMaxScaleSeries));
  }
  if (o.outbreaks < 0 || o.outbreaks > o.series) {
    return InvalidArgument(fmt::format("--outbreaks {}: must be 0 to the number of series ({})",
                                       o.outbreaks, o.series));
  }
  if (o.end && (*o.end < At("2000-01-01") || *o.end >= At("2100-01-01"))) {
    return InvalidArgument(
        fmt::format("--end {}: must be in the years 2000 to 2099", FormatRfc3339(*o.end)));
  }
  if (o.out.empty()) {
    return InvalidArgument("--out: a directory is required");
  }
  return Status::Ok();
}

}  // namespace

Result<SimulateSummary> Simulate(const SimulateOptions& options) {
  VIGIL_RETURN_IF_ERROR(CheckOptions(options));
  VIGIL_RETURN_IF_ERROR(PrepareOutputDir(options.out, options.force));
  VIGIL_ASSIGN_OR_RETURN(CsvFile labels_file,
                         CsvFile::Create(options.out / "labels.csv", kLabelHeader));
  const Duration shift = options.end ? *options.end - CalendarEnd() : Duration{};
  LabelSink labels(std::move(labels_file), shift);
  ScenarioContext context{
      .seed = options.seed, .dir = options.out, .labels = &labels, .shift = shift};
  Status status;
  if (options.scenario == "default") {
    status = WriteDefaultScenario(context);
  } else if (options.scenario == "noufaily") {
    status = WriteNoufailyScenario(context, options);
  } else {
    status = WriteScaleScenario(context, options);
  }
  VIGIL_RETURN_IF_ERROR(status);
  VIGIL_RETURN_IF_ERROR(labels.Close());
  return SimulateSummary{
      .series = context.series, .observations = context.observations, .labels = labels.count()};
}

}  // namespace vigil::sim
