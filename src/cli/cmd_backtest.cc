// `vigil backtest`: replays history through the live pipeline on a simulated
// clock, into a fresh in-memory store, and scores it against labelled events.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backtest/evaluate.h"
#include "backtest/replay.h"
#include "backtest/report.h"
#include "cli/commands.h"
#include "config/config.h"
#include "core/clock.h"
#include "ingest/input.h"
#include "ingest/sources.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Replay history through the live pipeline and measure how early and how
often it would have warned.

Reads the observation files (CSV or JSON Lines, as `vigil ingest` takes them;
default: the catalogue's file sources), orders the observations by the time
each became available (a period's value when the period ends, a stream
sample at once; then by file and line) and ingests them batch by batch, one
batch per availability time, into a fresh in-memory store with the clock set
to that time: ingest, detection, the warning stage and the acknowledgement
deadlines run exactly as they do live. The workspace's own store is never
opened. The signals and warnings are then scored against the labelled events
(default: WORKSPACE/labels.csv, as `vigil simulate` writes it).

Metrics per indicator, per domain and overall (docs/BACKTEST.md): probability
of detection, false alarms per 100 periods, specificity, positive predictive
value, delay from event start to first alarm, warnings raised, level changes
and mean warning duration. --from and --to limit the scored periods; the
history before --from still feeds the detectors' baselines.

--compare replays again for each POLICY_FILE: a YAML file with `policies:`
and/or `indicators:` sections written as in workspace.yaml, whose entries
replace the workspace's entries of the same id (or are added). The runs are
shown side by side.

Example:
  vigil simulate --seed 42 --out lakeland
  vigil backtest lakeland --html report.html --json report.json
  vigil backtest lakeland --compare stricter.yaml --html compare.html)";

constexpr const char* kFooter = R"(Exit codes:
  0  success
  2  bad command line
  3  invalid catalogue, data or labels (naming file, line and field)
  4  a file could not be read or written
)";

struct BacktestFlags {
  std::string workspace;
  std::vector<std::string> data;
  std::string labels;
  std::string from;
  std::string to;
  std::string json;
  std::string html;
  std::string format = "table";
  std::string tick = "0s";
  int max_plots = 24;
  std::vector<std::string> compare;
};

// A bar on stderr with the rate and the time left, redrawn at most ten times
// a second; nothing when stderr is not a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(const Clock& clock)
      : clock_(clock), start_(clock.Now()), shown_(::isatty(STDERR_FILENO) == 1) {}

  void Update(std::int64_t done, std::int64_t total) {
    if (!shown_) {
      return;
    }
    const Timestamp now = clock_.Now();
    if (done < total && now - drawn_ < std::chrono::milliseconds(100)) {
      return;
    }
    drawn_ = now;
    constexpr int kWidth = 30;
    const double seconds = std::max(std::chrono::duration<double>(now - start_).count(), 1e-9);
    const double rate = static_cast<double>(done) / seconds;
    const int filled = static_cast<int>(kWidth * done / std::max<std::int64_t>(total, 1));
    std::fprintf(stderr, "\r[%s%s] %lld/%lld batches, %.0f/s, ETA %.0f s ",
                 std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                 static_cast<long long>(done), static_cast<long long>(total), rate,
                 rate > 0 ? static_cast<double>(total - done) / rate : 0.0);
  }
  void Finish() {
    if (shown_) {
      std::fputs("\r\033[K", stderr);
    }
  }

 private:
  const Clock& clock_;
  Timestamp start_;
  Timestamp drawn_;
  bool shown_;
};

Status WriteFile(const std::string& path, std::string_view text) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<FileSink> sink, FileSink::Create(path));
  VIGIL_RETURN_IF_ERROR(sink->Write(text));
  return sink->Flush();
}

Result<backtest::Range> RangeOf(const BacktestFlags& flags) {
  backtest::Range range;
  if (!flags.from.empty()) {
    VIGIL_ASSIGN_OR_RETURN(range.from, ParseAnyTime(flags.from));
  }
  if (!flags.to.empty()) {
    VIGIL_ASSIGN_OR_RETURN(range.to, ParseAnyTime(flags.to));
  }
  return range;
}

// The --data files, or the catalogue's file sources inside the workspace,
// as `vigil ingest` would read them.
Result<std::vector<InputSpec>> DataFiles(const BacktestFlags& flags, const std::string& dir,
                                         const Catalogue& catalogue) {
  if (flags.data.empty()) {
    return CatalogueInputs(dir, catalogue, std::nullopt);
  }
  std::vector<InputSpec> files;
  for (const std::string& path : flags.data) {
    files.push_back(CommandLineInput(path, std::nullopt));
  }
  return files;
}

Result<backtest::Run> RunOnce(const Catalogue& catalogue, const std::vector<InputSpec>& files,
                              const std::vector<backtest::Label>& labels,
                              const backtest::Range& range, Duration tick, std::string name) {
  VIGIL_ASSIGN_OR_RETURN(const std::vector<backtest::ReplayRow> rows,
                         backtest::ReadReplayRows(catalogue, files, range.to));
  const SystemClock wall;  // the progress bar runs in real time
  ProgressBar bar(wall);
  Result<backtest::ReplayResult> replay = backtest::Replay(
      catalogue, rows, {.tick = tick, .progress = [&](std::int64_t done, std::int64_t total) {
                          bar.Update(done, total);
                        }});
  bar.Finish();
  VIGIL_RETURN_IF_ERROR(replay.status());
  return backtest::Run{.name = std::move(name),
                       .evaluation = backtest::Evaluate(catalogue, *replay, labels, range),
                       .batches = replay->batches,
                       .records = replay->records,
                       .ticks = replay->ticks};
}

Status Output(const BacktestFlags& flags, std::span<const backtest::Run> runs,
              const backtest::Range& range) {
  const std::string json = backtest::JsonText(runs, range);
  std::fputs(flags.format == "json" ? json.c_str() : backtest::TableText(runs).c_str(), stdout);
  if (!flags.json.empty()) {
    VIGIL_RETURN_IF_ERROR(WriteFile(flags.json, json));
  }
  if (!flags.html.empty()) {
    VIGIL_RETURN_IF_ERROR(WriteFile(flags.html, backtest::HtmlText(runs, range, flags.max_plots)));
  }
  return Status::Ok();
}

int RunBacktest(const GlobalOptions& global, const BacktestFlags& flags) {
  const std::string dir = flags.workspace.empty() ? global.workspace : flags.workspace;
  Result<Duration> tick = ParseDuration(flags.tick);
  Result<backtest::Range> range = RangeOf(flags);
  for (const Status& s : {tick.status(), range.status()}) {
    if (!s.ok()) {
      Fail(s);
      return kExitUsage;
    }
  }
  Result<Catalogue> catalogue = LoadWorkspaceCatalogue(dir);
  if (!catalogue.ok()) {
    return Fail(catalogue.status());
  }
  const std::string labels_path =
      flags.labels.empty() ? (std::filesystem::path(dir) / "labels.csv").string() : flags.labels;
  Result<std::vector<backtest::Label>> labels = backtest::ReadLabels(*catalogue, labels_path);
  if (!labels.ok()) {
    return Fail(labels.status());
  }
  // Every policy file is checked before the first replay.
  std::vector<std::pair<std::string, Catalogue>> variants;
  for (const std::string& policies : flags.compare) {
    Result<Catalogue> changed = LoadWorkspaceCatalogueWithOverrides(dir, policies);
    if (!changed.ok()) {
      return Fail(changed.status());
    }
    variants.emplace_back(std::filesystem::path(policies).filename().string(),
                          std::move(changed).value());
  }
  std::vector<std::pair<std::string, const Catalogue*>> plan = {{"workspace", &*catalogue}};
  for (const auto& [name, changed] : variants) {
    plan.emplace_back(name, &changed);
  }
  const Result<std::vector<InputSpec>> files = DataFiles(flags, dir, *catalogue);
  if (!files.ok()) {
    return Fail(files.status());
  }
  std::vector<backtest::Run> runs;
  for (const auto& [name, policies] : plan) {
    Result<backtest::Run> run = RunOnce(*policies, *files, *labels, *range, *tick, name);
    if (!run.ok()) {
      return Fail(run.status());
    }
    runs.push_back(std::move(run).value());
  }
  const Status written = Output(flags, runs, *range);
  return written.ok() ? kExitOk : Fail(written);
}

}  // namespace

Command RegisterBacktest(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<BacktestFlags>();
  Command command;
  command.app = app.add_subcommand("backtest", kDescription);
  command.app->footer(kFooter);
  command.app->add_option("WORKSPACE", flags->workspace,
                          "The workspace whose catalogue to replay (default: --workspace)");
  command.app->add_option("--data", flags->data,
                          "Observation files, in order (default: the catalogue's file sources)");
  command.app->add_option("--labels", flags->labels,
                          "Labelled events: indicator,region,start,end,kind,detail (default: "
                          "WORKSPACE/labels.csv)");
  command.app->add_option("--from", flags->from, "Score periods from this time (inclusive)");
  command.app->add_option("--to", flags->to,
                          "Score periods up to this time (inclusive); later data is not replayed");
  command.app->add_option("--format", flags->format, "Standard output: table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  command.app->add_option("--json", flags->json, "Also write the metrics as JSON to this file");
  command.app->add_option("--html", flags->html, "Also write a self-contained HTML report");
  command.app
      ->add_option("--max-plots", flags->max_plots,
                   "Series plotted in the HTML report (those with events or alarms)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command.app
      ->add_option("--tick", flags->tick,
                   "Also tick the warnings this often between batches while one is active, as "
                   "`vigil deliver --follow --interval` would (0s: at each batch only)")
      ->capture_default_str();
  command.app->add_option("--compare", flags->compare,
                          "Also replay with each file's policies and indicators in place of the "
                          "workspace's (a fragment of workspace.yaml), side by side");
  command.run = [&global, flags] { return RunBacktest(global, *flags); };
  return command;
}

}  // namespace vigil::cli
