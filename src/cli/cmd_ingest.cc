// `vigil ingest`: validates observation files against the workspace catalogue
// and commits them to the workspace store.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/publication.h"
#include "cli/workspace.h"
#include "core/clock.h"
#include "engine/ingest_pipeline.h"
#include "engine/warning_stage.h"
#include "ingest/sources.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Validate observations and commit them to the workspace store.

FILE is a CSV file with a header row (columns indicator, region, time, value
and optionally denominator and source, in any order) or a JSON Lines file (one
object per line with the same fields). '-' reads standard input. The format
comes from --format, else the file name (.csv, .jsonl, .ndjson), else the
first byte ('{' means JSON Lines). Without FILE, every source of kind 'file'
in the workspace catalogue is ingested, in catalogue order.

Every record is checked against the catalogue: the indicator and region must
exist, the time must be in the indicator's frequency form (2024-03-01T10:00:00Z
for stream and hourly, 2024-03-01 daily, 2024-W09 weekly, 2024-03 monthly), the
value a finite number (a whole non-negative one for counts), the denominator a
positive number. Each error names the file, line and field.

Batches are all or nothing. By default the whole input is one batch: one
invalid record and nothing is committed. With --batch-size N a batch is
committed every N records and reported on standard output as soon as it is
durable ('committed batch 3: lines 20002-30001, ...'); an invalid record rolls
back its batch and stops the ingest, the batches reported before it stay.
With --reject FILE invalid records are written to FILE with a reject_reason
(CSV: an extra column; JSON Lines: an extra field) and the valid ones are
committed. Re-ingesting the same data changes nothing; a changed value for an
existing (indicator, region, time) is stored as a revision.

Ingest also runs detection: each indicator's detectors judge its series as
the data arrives, and the signals they produce are committed with the batch
(a stream sample at once; a period once the newest data is the indicator's
allowed_lateness past its start). A late value or revision for a period
already judged re-judges it and updates its signal. A summary line per input
counts the signals and alarms; 'vigil signals' lists them.

Examples:
  vigil ingest -w demo                       # the catalogue's file sources
  vigil ingest -w demo new-cases.csv         # FILE is relative to the current directory
  vigil ingest --batch-size 50000 --reject rejected.csv big.csv
  zcat cases.jsonl.gz | vigil ingest --format jsonl -)";

constexpr const char* kFooter = R"(Exit codes:
  0  every record committed
  1  internal error
  2  bad command line
  3  input rejected: an invalid record (nothing of its batch was committed;
     earlier batches reported as committed stay), or an invalid catalogue
  4  file or store unavailable
  5  with --reject: some records rejected, the valid ones committed
)";

constexpr int kMaxInvalidShown = 50;

struct IngestFlags {
  std::string file;
  std::string format;
  std::int64_t batch_size = 0;
  std::string reject;
};

// Prints commits on stdout as they become durable, invalid records on stderr
// (up to kMaxInvalidShown), and progress when stderr is a terminal.
class ConsoleListener final : public IngestListener {
 public:
  ConsoleListener(const Clock& clock, std::string name)
      : clock_(clock),
        name_(std::move(name)),
        start_(clock.Now()),
        progress_(::isatty(STDERR_FILENO) == 1) {}

  void OnCommitted(const BatchReport& b) override {
    std::fputs(
        fmt::format("committed batch {}: lines {}-{}, {} inserted, {} revised, {} unchanged\n",
                    b.number, b.first_line, b.last_line, b.inserted, b.revised, b.unchanged)
            .c_str(),
        stdout);
    std::fflush(stdout);
  }
  void OnInvalid(const InvalidRecord& record) override {
    if (++invalid_ <= kMaxInvalidShown) {
      ClearProgress();
      std::fprintf(stderr, "%.*s\n", static_cast<int>(record.message.size()),
                   record.message.data());
    }
  }
  void OnProgress(std::int64_t records) override {
    if (progress_) {
      std::fprintf(stderr, "\r%s: %lld records, %.0f records/s", name_.c_str(),
                   static_cast<long long>(records), records / Elapsed());
      progress_shown_ = true;
    }
  }
  void Finish() {
    ClearProgress();
    if (invalid_ > kMaxInvalidShown) {
      std::fprintf(stderr, "... and %lld more invalid records\n",
                   static_cast<long long>(invalid_ - kMaxInvalidShown));
    }
  }
  double Elapsed() const {
    return std::max(std::chrono::duration<double>(clock_.Now() - start_).count(), 1e-9);
  }

 private:
  void ClearProgress() {
    if (progress_shown_) {
      std::fputs("\r\033[K", stderr);
      progress_shown_ = false;
    }
  }

  const Clock& clock_;
  std::string name_;
  Timestamp start_;
  bool progress_;
  bool progress_shown_ = false;
  std::int64_t invalid_ = 0;
};

Result<std::vector<InputSpec>> InputsOf(const IngestFlags& flags, const Workspace& workspace) {
  std::optional<InputFormat> forced;
  if (!flags.format.empty()) {
    VIGIL_ASSIGN_OR_RETURN(forced, ParseInputFormat(flags.format));
  }
  if (!flags.file.empty()) {
    return std::vector<InputSpec>{CommandLineInput(flags.file, forced)};
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<InputSpec> inputs,
                         CatalogueInputs(workspace.dir, workspace.catalogue, forced));
  if (inputs.empty()) {
    return InvalidArgument(
        "the workspace catalogue declares no file sources; name a FILE, or '-' for stdin");
  }
  return inputs;
}

Result<IngestSummary> IngestOne(const InputSpec& spec, IngestPipeline& pipeline,
                                const IngestOptions& options, ConsoleListener& listener) {
  std::unique_ptr<ByteSource> source;
  if (spec.path == "-") {
    source = std::make_unique<FdSource>(STDIN_FILENO, false, "stdin");
  } else {
    VIGIL_ASSIGN_OR_RETURN(source, FdSource::Open(spec.path));
  }
  return pipeline.Ingest(*source, spec.format, {spec.name, spec.default_source}, options, listener,
                         {.actor = CliActor()});
}

void PrintSummary(const std::string& name, const IngestSummary& s, double seconds,
                  const DetectionCounts& before, const DetectionCounts& after) {
  std::fputs(fmt::format("{}: {} records read, {} inserted, {} revised, {} unchanged, {} rejected "
                         "in {:.2f} s ({:.0f} records/s)\n"
                         "{}: detection: {} signals, {} alarms, {} revised signals\n",
                         name, s.records, s.inserted, s.revised, s.unchanged, s.rejected, seconds,
                         s.records / seconds, name, after.signals - before.signals,
                         after.alarms - before.alarms, after.revised - before.revised)
                 .c_str(),
             stdout);
  std::fflush(stdout);
}

// Says what the warning stage committed and publishes the warnings' CAP files.
int PublishWarnings(const Workspace& workspace, const WarningStage& warnings, Timestamp now) {
  const WarningCounts& counts = warnings.committed();
  if (counts.events == 0) {
    return kExitOk;
  }
  std::int64_t active = 0;
  for (const auto& [key, cell] : warnings.state().cells) {
    active += cell.warning && cell.warning->active() ? 1 : 0;
  }
  Result<publish::PublishReport> report = PublishWorkspace(workspace, now);
  if (!report.ok()) {
    return Fail(report.status());
  }
  std::fputs(fmt::format("warnings: {} active, {} events logged, {} notifications queued, {} new "
                         "CAP message(s) in {}\n",
                         active, counts.events, counts.notifications, report->written,
                         workspace.Resolve(kCapDirName))
                 .c_str(),
             stdout);
  return kExitOk;
}

int RunIngest(const GlobalOptions& global, const IngestFlags& flags) {
  Result<Workspace> workspace = OpenWorkspace(global.workspace);
  if (!workspace.ok()) {
    return Fail(workspace.status());
  }
  Result<IngestLock> lock = LockIngest(*workspace, "vigil ingest");
  if (!lock.ok()) {
    return Fail(lock.status());
  }
  Result<std::vector<InputSpec>> inputs = InputsOf(flags, *workspace);
  if (!inputs.ok()) {
    Fail(inputs.status());
    return kExitUsage;
  }
  std::unique_ptr<FileSink> rejects;
  if (!flags.reject.empty()) {
    Result<std::unique_ptr<FileSink>> created = FileSink::Create(flags.reject);
    if (!created.ok()) {
      return Fail(created.status());
    }
    rejects = std::move(created).value();
  }
  Result<std::unique_ptr<Clock>> clock = ClockOf(global);
  if (!clock.ok()) {
    Fail(clock.status());
    return kExitUsage;
  }
  Result<std::unique_ptr<WarningStage>> warnings =
      WarningStage::Open(workspace->catalogue, *workspace->store, **clock);
  if (!warnings.ok()) {
    return Fail(warnings.status());
  }
  Result<std::unique_ptr<IngestPipeline>> pipeline =
      IngestPipeline::Open(workspace->catalogue, *workspace->store, **warnings, **clock);
  if (!pipeline.ok()) {
    return Fail(pipeline.status());
  }
  const SystemClock wall;  // progress rates are in real time, also under --now
  const IngestOptions options{.batch_size = flags.batch_size, .rejects = rejects.get()};
  std::int64_t rejected = 0;
  int code = kExitOk;
  for (const InputSpec& spec : *inputs) {
    ConsoleListener listener(wall, spec.name);
    const DetectionCounts before = (*pipeline)->detection();
    Result<IngestSummary> summary = IngestOne(spec, **pipeline, options, listener);
    listener.Finish();
    if (!summary.ok()) {
      code = Fail(summary.status());
      break;
    }
    PrintSummary(spec.name, *summary, listener.Elapsed(), before, (*pipeline)->detection());
    rejected += summary->rejected;
  }
  // What earlier inputs committed is published even when a later one failed.
  const int published = PublishWarnings(*workspace, **warnings, (*clock)->Now());
  if (code == kExitOk) {
    code = published != kExitOk ? published : rejected > 0 ? kExitPartial : kExitOk;
  }
  return code;
}

}  // namespace

Command RegisterIngest(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<IngestFlags>();
  Command command;
  command.app = app.add_subcommand("ingest", kDescription);
  command.app->footer(kFooter);
  command.app->add_option("FILE", flags->file,
                          "CSV or JSON Lines file, '-' for stdin; default: the catalogue's file "
                          "sources");
  command.app->add_option("--format", flags->format, "csv or jsonl (default: by name or content)");
  command.app
      ->add_option("--batch-size", flags->batch_size,
                   "Commit every N records (default 0: the whole input is one batch)")
      ->check(CLI::NonNegativeNumber);
  command.app->add_option("--reject", flags->reject,
                          "Write invalid records to this file with their reason and commit the "
                          "valid ones (exit 5 if any)");
  command.run = [&global, flags] { return RunIngest(global, *flags); };
  return command;
}

}  // namespace vigil::cli
