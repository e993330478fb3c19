#include "engine/ingest_detection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace vigil {
namespace {

std::optional<double> Present(double value) {
  return std::isnan(value) ? std::nullopt : std::optional<double>(value);
}

std::optional<std::int64_t> Index(std::int64_t index) {
  return index < 0 ? std::nullopt : std::optional<std::int64_t>(index);
}

}  // namespace

// Writes the engine's signals into the open transaction. The engine's sink
// cannot fail, so the first error is kept and returned by the caller.
class IngestDetection::TransactionSink final : public SignalSink {
 public:
  TransactionSink(IngestDetection& owner, StoreTransaction& transaction)
      : owner_(owner), transaction_(transaction) {}

  void OnSignal(const Signal& signal) override {
    const Evaluation& e = signal.evaluation;
    if (!status_.ok() || (!e.evaluated && !signal.revised)) {
      return;
    }
    const Detector& detector = owner_.engine_->DetectorOf(signal);
    SignalRecord& r = owner_.record_;
    r.series = signal.series;
    r.detector = signal.detector;
    r.time = signal.time;
    r.method = detector.method().name;
    r.params = owner_.ParamsOf(detector);
    r.observed = Present(e.observed);
    r.expected = Present(e.expected);
    r.upperbound = Present(e.upperbound);
    r.score = Present(e.score);
    r.alarm = e.alarm;
    r.level = e.level;
    r.baseline_from = Index(e.baseline_from);
    r.baseline_to = Index(e.baseline_to);
    r.note = e.evaluated ? "" : e.reason;
    status_ = transaction_.WriteSignal(r);
    if (status_.ok() && owner_.warnings_ != nullptr) {
      owner_.warnings_->Offer(owner_.keys_.at(signal.series), signal);
    }
    if (status_.ok()) {
      DetectionCounts& counts = owner_.batch_;
      ++counts.signals;
      counts.alarms += e.alarm ? 1 : 0;
      counts.revised += signal.revised ? 1 : 0;
    }
  }

  const Status& status() const { return status_; }

 private:
  IngestDetection& owner_;
  StoreTransaction& transaction_;
  Status status_;
};

Result<std::unique_ptr<IngestDetection>> IngestDetection::Open(const Catalogue& catalogue,
                                                               Store& store, WarningStage* warnings,
                                                               std::int64_t journal_limit) {
  std::unique_ptr<IngestDetection> detection(
      new IngestDetection(catalogue, store, warnings, journal_limit));
  VIGIL_RETURN_IF_ERROR(detection->Rebuild());
  return detection;
}

Status IngestDetection::Rebuild() {
  params_.clear();
  keys_.clear();
  stream_series_ = 0;
  samples_.clear();
  VIGIL_ASSIGN_OR_RETURN(engine_, DetectionEngine::Create(catalogue_));
  VIGIL_ASSIGN_OR_RETURN(const std::vector<SeriesInfo> series, store_.ListSeries());
  for (const SeriesInfo& s : series) {
    VIGIL_RETURN_IF_ERROR(AddSeries(s.id, s.key));
  }
  VIGIL_ASSIGN_OR_RETURN(const Checkpoints checkpoints, store_.LoadCheckpoints());
  VIGIL_RETURN_IF_ERROR(engine_->Restore(checkpoints, store_));
  journaled_ = static_cast<std::int64_t>(checkpoints.journal.size());
  close_at_ = engine_->pending_values() + kMaxPendingValues;
  return Status::Ok();
}

Status IngestDetection::AddSeries(SeriesId id, const SeriesKey& key) {
  const Indicator* indicator = catalogue_.FindIndicator(key.indicator);
  // A series of an indicator that left the catalogue, or has no detectors, is
  // not followed: nothing would judge its values.
  if (indicator == nullptr || indicator->detectors.empty()) {
    return Status::Ok();
  }
  if (warnings_ != nullptr) {
    keys_.try_emplace(id, key);
  }
  VIGIL_RETURN_IF_ERROR(engine_->AddSeries(id, key));
  stream_series_ += engine_->FollowsStream(id) ? 1 : 0;
  return Status::Ok();
}

std::int64_t IngestDetection::JournalLimit() const {
  return journal_limit_ > 0
             ? journal_limit_
             : std::clamp(kJournalPerSeries * stream_series_, kMinJournal, kMaxJournal);
}

const std::string& IngestDetection::ParamsOf(const Detector& detector) {
  auto [it, added] = params_.try_emplace(&detector);
  if (added) {
    for (const auto& [name, value] : detector.params().values()) {
      fmt::format_to(std::back_inserter(it->second), "{}{}={}", it->second.empty() ? "" : " ", name,
                     value);
    }
  }
  return it->second;
}

Status IngestDetection::OnSeries(SeriesId id, const SeriesKey& key) {
  VIGIL_RETURN_IF_ERROR(failed_);
  return AddSeries(id, key);
}

Status IngestDetection::OnAppended(StoreTransaction& transaction, const Observation& observation,
                                   AppendOutcome outcome) {
  VIGIL_RETURN_IF_ERROR(failed_);
  if (outcome != AppendOutcome::kUnchanged && engine_->FollowsStream(observation.series)) {
    samples_.push_back({observation.series, observation.time.time_since_epoch().count(),
                        observation.value, observation.denominator});
  }
  TransactionSink sink(*this, transaction);
  engine_->Observe(observation, outcome, sink);
  if (engine_->pending_values() >= close_at_) {
    // A batch this large would otherwise hold all its periodic values in
    // memory until it commits; close what the watermark has passed, except
    // the newest period, whose values may still be arriving.
    engine_->CloseReady(sink, 1);
    close_at_ = engine_->pending_values() + kMaxPendingValues;
  }
  return sink.status();
}

Status IngestDetection::BeforeCommit(StoreTransaction& transaction) {
  VIGIL_RETURN_IF_ERROR(failed_);
  TransactionSink sink(*this, transaction);
  engine_->CloseReady(sink);
  VIGIL_RETURN_IF_ERROR(sink.status());
  close_at_ = engine_->pending_values() + kMaxPendingValues;
  const auto batch_samples = static_cast<std::int64_t>(samples_.size());
  const bool whole = engine_->TakeCheckpoints(checkpoints_.series, checkpoints_.indicators,
                                              journaled_ + batch_samples >= JournalLimit());
  VIGIL_RETURN_IF_ERROR(transaction.WriteCheckpoints(checkpoints_.series, checkpoints_.indicators));
  VIGIL_RETURN_IF_ERROR(whole ? transaction.ClearStreamJournal()
                              : transaction.AppendStreamJournal(samples_));
  journaled_ = whole ? 0 : journaled_ + batch_samples;
  samples_.clear();
  return warnings_ != nullptr ? warnings_->Write(transaction) : Status::Ok();
}

void IngestDetection::OnCommitted(const BatchRecord& /*batch*/) {
  committed_.signals += batch_.signals;
  committed_.alarms += batch_.alarms;
  committed_.revised += batch_.revised;
  batch_ = DetectionCounts{};
  if (warnings_ != nullptr) {
    warnings_->OnCommitted();
  }
}

void IngestDetection::OnRolledBack() {
  batch_ = DetectionCounts{};
  failed_ = warnings_ != nullptr ? warnings_->OnRolledBack() : Status::Ok();
  if (failed_.ok()) {
    failed_ = Rebuild();
  }
}

}  // namespace vigil
