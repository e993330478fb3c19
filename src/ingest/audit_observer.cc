#include "ingest/audit_observer.h"

#include <fmt/format.h>

#include <iterator>

namespace vigil {

AuditingObserver::AuditingObserver(IngestObserver* next, const Clock& clock, std::string actor,
                                   std::string target, std::optional<std::string> payload_digest)
    : next_(next),
      clock_(clock),
      actor_(std::move(actor)),
      target_(std::move(target)),
      payload_digest_(std::move(payload_digest)) {}

Status AuditingObserver::OnSeries(SeriesId id, const SeriesKey& key) {
  prefixes_[id] = fmt::format("{}\t{}\t", key.indicator, key.region);
  return next_ != nullptr ? next_->OnSeries(id, key) : Status::Ok();
}

void AuditingObserver::AddToDigest(const Observation& o) {
  line_ = prefixes_[o.series];
  fmt::format_to(std::back_inserter(line_), "{}\t{}\t", o.time.time_since_epoch().count(), o.value);
  if (o.denominator) {
    fmt::format_to(std::back_inserter(line_), "{}", *o.denominator);
  }
  fmt::format_to(std::back_inserter(line_), "\t{}\n", o.source);
  digest_.Update(line_);
}

Status AuditingObserver::OnAppended(StoreTransaction& transaction, const Observation& o,
                                    AppendOutcome outcome) {
  if (!payload_digest_) {
    AddToDigest(o);
  }
  return next_ != nullptr ? next_->OnAppended(transaction, o, outcome) : Status::Ok();
}

Status AuditingObserver::BeforeCommit(StoreTransaction& transaction) {
  if (next_ != nullptr) {
    VIGIL_RETURN_IF_ERROR(next_->BeforeCommit(transaction));
  }
  return transaction.AppendAudit(
      {.at = clock_.Now(),
       .actor = actor_,
       .action = "ingest.batch",
       .target = target_,
       .payload_digest = payload_digest_ ? *payload_digest_ : digest_.FinishHex()});
}

void AuditingObserver::OnCommitted(const BatchRecord& batch) {
  if (next_ != nullptr) {
    next_->OnCommitted(batch);
  }
}

void AuditingObserver::OnRolledBack() {
  (void)digest_.FinishHex();  // starts the next batch's digest afresh
  if (next_ != nullptr) {
    next_->OnRolledBack();
  }
}

}  // namespace vigil
