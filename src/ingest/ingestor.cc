#include "ingest/ingestor.h"

#include <fmt/format.h>

#include <functional>
#include <memory>

#include "core/metrics.h"
#include "ingest/validate.h"

namespace vigil {
namespace {

// What every ingest adds to the process's metrics, whoever drives it (the
// command line, or the API's POST of observations in `vigil serve`).
struct IngestMetrics {
  metrics::Counter& accepted;
  metrics::Counter& rejected;
};

const IngestMetrics& Metrics() {
  static const IngestMetrics m{
      metrics::DefaultRegistry()
          .AddCounter("vigil_ingest_observations_accepted_total",
                      "Observations committed by ingest: inserted, revised or unchanged.")
          .With({}),
      metrics::DefaultRegistry()
          .AddCounter("vigil_ingest_observations_rejected_total",
                      "Records that failed validation, whether written to a reject file or "
                      "failing their batch.")
          .With({})};
  return m;
}

// Registered at start-up, so that a scrape before the first ingest reads 0.
[[maybe_unused]] const IngestMetrics& registered_metrics = Metrics();

// One call to Ingest(): the open transaction, the batch being built and the
// running totals.
class IngestRun {
 public:
  IngestRun(const Catalogue& catalogue, Store& store, const Clock& clock, IngestObserver* observer,
            const IngestInput& input, const IngestOptions& options, IngestListener& listener)
      : store_(store),
        clock_(clock),
        observer_(observer),
        input_(input),
        options_(options),
        listener_(listener),
        validator_(catalogue),
        catalogue_(catalogue),
        series_(catalogue.indicators().size()) {}

  // Reads, validates and writes every record of `reader`; when checking,
  // writes nothing and keeps the valid records in `keep` if given.
  Result<IngestSummary> Run(RecordReader& reader, bool checking, CheckedRecords* keep);
  // Writes records a check kept.
  Result<IngestSummary> Run(const CheckedRecords& records);

 private:
  // Counts the record at `line` into the open batch and handles it with
  // `handle`, ending the batch when it is full.
  Status Take(std::int64_t line, const std::function<Status()>& handle);
  Status HandleRecord(const RawRecord& record);
  Status Reject(const RawRecord& record, const std::string& reason);
  Status Append(const ValidRecord& valid);
  Result<SeriesId> Series(const ValidRecord& valid);
  Status EndBatch();
  Result<BatchRecord> Commit();
  void Abandon();
  std::string CommittedNote() const;

  Store& store_;
  const Clock& clock_;
  IngestObserver* observer_;
  RecordReader* reader_ = nullptr;  // while Run reads one
  bool checking_ = false;           // validate and admit, write nothing
  CheckedRecords* keep_ = nullptr;  // where checking keeps valid records, if set
  const IngestInput& input_;
  const IngestOptions& options_;
  IngestListener& listener_;
  Validator validator_;

  std::unique_ptr<StoreTransaction> transaction_;
  // Series ids known to the store, by catalogue position: [indicator][region],
  // kNoSeries where not looked up yet. A plain array because, with 100,000
  // series, a hash look-up per record is a cache miss that costs more than
  // the parsing. A rolled-back transaction ends the run, so an id in here is
  // never one that was rolled back.
  static constexpr SeriesId kNoSeries = -1;
  const Catalogue& catalogue_;
  std::vector<std::vector<SeriesId>> series_;
  Observation observation_;  // reused: its source string keeps its capacity
  std::string reject_text_;
  bool reject_header_written_ = false;

  BatchReport batch_;  // the open batch
  std::int64_t batch_records_ = 0;
  std::int64_t batch_invalid_ = 0;
  std::int64_t committed_first_line_ = 0;
  std::int64_t committed_last_line_ = 0;
  IngestSummary summary_;
};

Result<IngestSummary> IngestRun::Run(RecordReader& reader, bool checking, CheckedRecords* keep) {
  reader_ = &reader;
  checking_ = checking;
  keep_ = keep;
  RawRecord record;
  for (;;) {
    Result<bool> more = reader.Next(record);
    if (!more.ok()) {
      Abandon();
      return Status(more.status().code(), fmt::format("{}: {}; {}", input_.name,
                                                      more.status().message(), CommittedNote()));
    }
    if (!*more) {
      break;
    }
    VIGIL_RETURN_IF_ERROR(Take(record.line, [&] { return HandleRecord(record); }));
  }
  VIGIL_RETURN_IF_ERROR(EndBatch());
  return summary_;
}

Result<IngestSummary> IngestRun::Run(const CheckedRecords& records) {
  VIGIL_RETURN_IF_ERROR(records.ForEach([this](std::int64_t line, const ValidRecord& record) {
    return Take(line, [&] { return Append(record); });
  }));
  VIGIL_RETURN_IF_ERROR(EndBatch());
  return summary_;
}

Status IngestRun::Take(std::int64_t line, const std::function<Status()>& handle) {
  ++summary_.records;
  ++batch_records_;
  if (batch_.first_line == 0) {
    batch_.first_line = line;
  }
  batch_.last_line = line;
  if (Status status = handle(); !status.ok()) {
    Abandon();
    return status;
  }
  if (batch_records_ == options_.batch_size) {
    VIGIL_RETURN_IF_ERROR(EndBatch());
  }
  if (summary_.records % Ingestor::kProgressInterval == 0) {
    listener_.OnProgress(summary_.records);
  }
  return Status::Ok();
}

Status IngestRun::HandleRecord(const RawRecord& record) {
  Result<ValidRecord> valid = validator_.Validate(record);
  if (!valid.ok()) {
    return Reject(record, valid.status().message());
  }
  if (options_.admit) {
    if (const Status admitted = options_.admit(*valid); !admitted.ok()) {
      return Reject(record, admitted.message());
    }
  }
  if (checking_) {
    if (keep_ != nullptr) {
      keep_->Add(record.line, *valid);
    }
    return Status::Ok();
  }
  // A batch that already holds an invalid record is rolled back: only
  // validate the rest of it, to report every error.
  return batch_invalid_ > 0 ? Status::Ok() : Append(*valid);
}

Status IngestRun::Reject(const RawRecord& record, const std::string& reason) {
  const std::string message = fmt::format("{}:{}: {}", input_.name, record.line, reason);
  listener_.OnInvalid({.line = record.line, .reason = reason, .message = message});
  Metrics().rejected.Inc();
  if (options_.rejects == nullptr) {
    ++summary_.invalid;
    ++batch_invalid_;
    Abandon();
    return Status::Ok();
  }
  ++summary_.rejected;
  reject_text_.clear();
  if (!reject_header_written_) {
    reject_text_ = reader_->RejectHeader();
    reject_header_written_ = true;
  }
  reader_->AppendReject(message, reject_text_);
  return options_.rejects->Write(reject_text_);
}

Status IngestRun::Append(const ValidRecord& valid) {
  if (transaction_ == nullptr) {
    VIGIL_ASSIGN_OR_RETURN(transaction_, store_.Begin({input_.name, clock_.Now()}));
  }
  VIGIL_ASSIGN_OR_RETURN(observation_.series, Series(valid));
  observation_.time = valid.time;
  observation_.value = valid.value;
  observation_.denominator = valid.denominator;
  observation_.source.assign(valid.source.empty() ? input_.default_source : valid.source);
  VIGIL_ASSIGN_OR_RETURN(const AppendOutcome outcome, transaction_->Append(observation_));
  if (observer_ != nullptr) {
    VIGIL_RETURN_IF_ERROR(observer_->OnAppended(*transaction_, observation_, outcome));
  }
  CountOutcome(outcome, batch_);
  return Status::Ok();
}

Result<SeriesId> IngestRun::Series(const ValidRecord& valid) {
  std::vector<SeriesId>& by_region =
      series_[static_cast<std::size_t>(valid.indicator - catalogue_.indicators().data())];
  if (by_region.empty()) {
    by_region.assign(catalogue_.regions().size(), kNoSeries);
  }
  SeriesId& cached =
      by_region[static_cast<std::size_t>(valid.region - catalogue_.regions().data())];
  if (cached != kNoSeries) {
    return cached;
  }
  const SeriesKey key{valid.indicator->id, valid.region->code};
  VIGIL_ASSIGN_OR_RETURN(const SeriesId id, transaction_->InternSeries(key));
  if (observer_ != nullptr) {
    VIGIL_RETURN_IF_ERROR(observer_->OnSeries(id, key));
  }
  cached = id;
  return id;
}

Status IngestRun::EndBatch() {
  if (batch_invalid_ > 0) {
    const std::string where =
        options_.batch_size > 0
            ? fmt::format(" in batch {} (lines {}-{}), which was rolled back", summary_.batches + 1,
                          batch_.first_line, batch_.last_line)
            : "";
    return InvalidArgument(fmt::format("{}: {} invalid record{}{}; {}", input_.name, batch_invalid_,
                                       batch_invalid_ == 1 ? "" : "s", where, CommittedNote()));
  }
  if (options_.rejects != nullptr) {
    VIGIL_RETURN_IF_ERROR(options_.rejects->Flush());
  }
  if (transaction_ != nullptr) {
    Result<BatchRecord> committed = Commit();
    if (!committed.ok()) {
      Abandon();
      return committed.status().WithContext(fmt::format("{}: lines {}-{}: {}", input_.name,
                                                        batch_.first_line, batch_.last_line,
                                                        CommittedNote()));
    }
    transaction_.reset();
    if (observer_ != nullptr) {
      observer_->OnCommitted(*committed);
    }
    batch_.number = ++summary_.batches;
    summary_.inserted += batch_.inserted;
    summary_.revised += batch_.revised;
    summary_.unchanged += batch_.unchanged;
    Metrics().accepted.Inc(
        static_cast<double>(batch_.inserted + batch_.revised + batch_.unchanged));
    if (committed_first_line_ == 0) {
      committed_first_line_ = batch_.first_line;
    }
    committed_last_line_ = batch_.last_line;
    listener_.OnCommitted(batch_);
  }
  batch_ = BatchReport{};
  batch_records_ = 0;
  return Status::Ok();
}

Result<BatchRecord> IngestRun::Commit() {
  if (observer_ != nullptr) {
    VIGIL_RETURN_IF_ERROR(observer_->BeforeCommit(*transaction_));
  }
  return transaction_->Commit();
}

void IngestRun::Abandon() {
  if (transaction_ != nullptr) {
    transaction_->Rollback();
    transaction_.reset();
    if (observer_ != nullptr) {
      observer_->OnRolledBack();
    }
  }
}

std::string IngestRun::CommittedNote() const {
  if (summary_.batches == 0) {
    return "nothing was committed";
  }
  if (summary_.batches == 1) {
    return fmt::format("batch 1 (lines {}-{}) stays committed", committed_first_line_,
                       committed_last_line_);
  }
  return fmt::format("batches 1-{} (lines {}-{}) stay committed", summary_.batches,
                     committed_first_line_, committed_last_line_);
}

}  // namespace

void CheckedRecords::Add(std::int64_t line, const ValidRecord& record) {
  records_.push_back({line, record, sources_.size(), record.source.size()});
  records_.back().record.source = {};
  sources_.append(record.source);
}

Status CheckedRecords::ForEach(
    const std::function<Status(std::int64_t, const ValidRecord&)>& take) const {
  ValidRecord record;
  for (const Entry& entry : records_) {
    record = entry.record;
    record.source = std::string_view(sources_).substr(entry.source_at, entry.source_size);
    VIGIL_RETURN_IF_ERROR(take(entry.line, record));
  }
  return Status::Ok();
}

Result<IngestSummary> Ingestor::Ingest(RecordReader& reader, const IngestInput& input,
                                       const IngestOptions& options, IngestListener& listener) {
  return IngestRun(catalogue_, store_, clock_, observer_, input, options, listener)
      .Run(reader, /*checking=*/false, nullptr);
}

Result<IngestSummary> Ingestor::Check(RecordReader& reader, const IngestInput& input,
                                      const IngestOptions& options, IngestListener& listener,
                                      CheckedRecords* keep) {
  IngestOptions checking = options;
  checking.rejects = nullptr;
  return IngestRun(catalogue_, store_, clock_, observer_, input, checking, listener)
      .Run(reader, /*checking=*/true, keep);
}

Result<IngestSummary> Ingestor::Ingest(const CheckedRecords& records, const IngestInput& input,
                                       const IngestOptions& options, IngestListener& listener) {
  return IngestRun(catalogue_, store_, clock_, observer_, input, options, listener).Run(records);
}

}  // namespace vigil
