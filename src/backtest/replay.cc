#include "backtest/replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "core/clock.h"
#include "engine/ingest_pipeline.h"
#include "engine/warning_ops.h"
#include "engine/warning_stage.h"
#include "ingest/csv.h"
#include "ingest/input.h"
#include "ingest/record_reader.h"
#include "ingest/validate.h"
#include "store/memory_store.h"

namespace vigil::backtest {
namespace {

constexpr std::string_view kHeader = "indicator,region,time,value,denominator,source\n";
constexpr std::string_view kActor = "vigil backtest";

std::string ValueText(const RawValue& value) {
  switch (value.kind) {
    case RawValue::Kind::kAbsent:
      return "";
    case RawValue::Kind::kText:
      return std::string(value.text);
    case RawValue::Kind::kNumber:
      return fmt::format("{}", value.number);
  }
  return "";
}

Status Invalid(const std::string& file, std::int64_t line, std::string_view what) {
  return InvalidArgument(fmt::format("{}:{}: {}", file, line, what));
}

// One record validated as ingest validates it, here where the file and line
// are known (the replay's batches name neither), and normalised.
Result<ReplayRow> RowOf(Validator& validator, const std::string& file,
                        const std::string& default_source, const RawRecord& r) {
  Result<ValidRecord> valid = validator.Validate(r);
  if (!valid.ok()) {
    return Invalid(file, r.line, valid.status().message());
  }
  ReplayRow row{.available = AvailableAt(valid->time, valid->indicator->frequency),
                .time = valid->time,
                .line = r.line};
  for (std::string_view field : {r.indicator, r.region, r.time}) {
    AppendCsvField(field, row.csv);
    row.csv += ',';
  }
  AppendCsvField(ValueText(r.value), row.csv);
  row.csv += ',';
  AppendCsvField(ValueText(r.denominator), row.csv);
  row.csv += ',';
  AppendCsvField(r.source.empty() ? std::string_view(default_source) : r.source, row.csv);
  row.csv += '\n';
  return row;
}

Status ReadFile(const Catalogue& catalogue, const InputSpec& file, std::int32_t index,
                std::optional<Timestamp> to, std::vector<ReplayRow>& rows) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<FdSource> source, FdSource::Open(file.path));
  InputBuffer buffer(*source);
  std::optional<InputFormat> format = file.format;
  if (!format) {
    VIGIL_ASSIGN_OR_RETURN(format, SniffFormat(buffer));
  }
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<RecordReader> reader,
                         OpenRecordReader(*format, buffer, file.name));
  Validator validator(catalogue);
  RawRecord record;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(const bool more, reader->Next(record));
    if (!more) {
      return Status::Ok();
    }
    VIGIL_ASSIGN_OR_RETURN(ReplayRow row, RowOf(validator, file.name, file.default_source, record));
    if (!to || row.time <= *to) {
      row.file = index;
      rows.push_back(std::move(row));
    }
  }
}

// Ticks the warnings from `from` (exclusive) up to `until` (exclusive) every
// `every`, as a `vigil deliver --follow` would, while a warning is active:
// with none, a tick changes nothing and is skipped.
Result<std::int64_t> TickBetween(WarningStage& stage, Store& store, FakeClock& clock,
                                 Timestamp from, Timestamp until, Duration every) {
  std::int64_t ticks = 0;
  for (Timestamp t = from + every; t < until; t += every) {
    const bool active = std::any_of(
        stage.state().cells.begin(), stage.state().cells.end(),
        [](const auto& kv) { return kv.second.warning && kv.second.warning->active(); });
    if (!active) {
      break;
    }
    clock.Set(t);
    VIGIL_RETURN_IF_ERROR(CommitWarningStep(stage, store, warn::Tick{},
                                            {.origin = std::string(kActor), .arrived = t},
                                            {.at = t,
                                             .actor = std::string(kActor),
                                             .action = "warnings.tick",
                                             .payload_digest = ""})
                              .status());
    ++ticks;
  }
  return ticks;
}

// The end of each batch: rows share their availability time.
std::vector<size_t> BatchEnds(std::span<const ReplayRow> rows) {
  std::vector<size_t> ends;
  for (size_t i = 1; i <= rows.size(); ++i) {
    if (i == rows.size() || rows[i].available != rows[i - 1].available) {
      ends.push_back(i);
    }
  }
  return ends;
}

Status Collect(Store& store, ReplayResult& result) {
  VIGIL_ASSIGN_OR_RETURN(const std::vector<SeriesInfo> series, store.ListSeries());
  for (const SeriesInfo& info : series) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<StoredSignal> stored,
                           store.ReadSignals({.series = info.id}));
    SeriesSignals& out = result.series.emplace_back(SeriesSignals{.key = info.key});
    out.signals.reserve(stored.size());
    for (StoredSignal& s : stored) {
      out.signals.push_back(std::move(s.signal));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(const std::vector<WarningEventRecord> records,
                         store.ReadWarningEvents({}));
  result.events.reserve(records.size());
  for (const WarningEventRecord& record : records) {
    VIGIL_ASSIGN_OR_RETURN(warn::Event event, DecodeStoredEvent(record));
    result.events.push_back(std::move(event));
  }
  return Status::Ok();
}

}  // namespace

Timestamp AvailableAt(Timestamp time, Frequency frequency) {
  if (frequency == Frequency::kStream) {
    return time;
  }
  return PeriodStart(PeriodIndex(time, frequency) + 1, frequency);
}

Result<std::vector<ReplayRow>> ReadReplayRows(const Catalogue& catalogue,
                                              std::span<const InputSpec> files,
                                              std::optional<Timestamp> to) {
  std::vector<ReplayRow> rows;
  for (size_t i = 0; i < files.size(); ++i) {
    VIGIL_RETURN_IF_ERROR(ReadFile(catalogue, files[i], static_cast<std::int32_t>(i), to, rows));
  }
  // Stable: rows of one file and time keep their order within the file.
  std::stable_sort(rows.begin(), rows.end(), [](const ReplayRow& a, const ReplayRow& b) {
    return a.available != b.available ? a.available < b.available : a.file < b.file;
  });
  return rows;
}

Result<ReplayResult> Replay(const Catalogue& catalogue, std::span<const ReplayRow> rows,
                            const ReplayOptions& options) {
  ReplayResult result;
  if (rows.empty()) {
    return result;
  }
  FakeClock clock(rows.front().available);
  const std::unique_ptr<Store> store = NewMemoryStore();
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<WarningStage> stage,
                         WarningStage::Open(catalogue, *store, clock));
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<IngestPipeline> pipeline,
                         IngestPipeline::Open(catalogue, *store, *stage, clock));
  const std::vector<size_t> ends = BatchEnds(rows);
  IngestListener listener;
  size_t begin = 0;
  std::string csv;
  for (const size_t end : ends) {
    const Timestamp at = rows[begin].available;
    if (options.tick > Duration{0} && result.batches > 0) {
      VIGIL_ASSIGN_OR_RETURN(const std::int64_t ticks,
                             TickBetween(*stage, *store, clock, clock.Now(), at, options.tick));
      result.ticks += ticks;
    }
    clock.Set(at);
    csv.assign(kHeader);
    for (size_t i = begin; i < end; ++i) {
      csv += rows[i].csv;
    }
    StringSource source(csv);
    const std::string name = fmt::format("replay at {}", FormatRfc3339(at));
    VIGIL_ASSIGN_OR_RETURN(const IngestSummary summary,
                           pipeline->Ingest(source, InputFormat::kCsv, {name, name}, {}, listener,
                                            {.actor = std::string(kActor)}));
    result.records += summary.records;
    ++result.batches;
    if (options.progress) {
      options.progress(result.batches, static_cast<std::int64_t>(ends.size()));
    }
    begin = end;
  }
  result.end = clock.Now();
  VIGIL_RETURN_IF_ERROR(Collect(*store, result));
  return result;
}

}  // namespace vigil::backtest
