// An IngestObserver that writes an audit record into every batch before it
// commits, and passes every call on to another observer (detection). The
// record is action "ingest.batch" on the input's name, with the digest of
// what the batch wrote: SHA-256 over one canonical line per observation,
// "indicator TAB region TAB time TAB value TAB denominator TAB source LF"
// (time in nanoseconds since the epoch, numbers in their shortest exact
// decimal form, an absent denominator empty), or a digest given up front (an
// API request's body). docs/SERVER.md explains it.
//
// Not thread-safe: it runs on the ingesting thread, like the Ingestor.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/digest.h"
#include "ingest/ingestor.h"

namespace vigil {

class AuditingObserver final : public IngestObserver {
 public:
  // `next` may be null; it and `clock` are borrowed. `actor` is who ingests
  // ("cli:alice"), `target` what (the input's name). With `payload_digest`,
  // every batch's record carries it instead of the digest of its observations.
  AuditingObserver(IngestObserver* next, const Clock& clock, std::string actor, std::string target,
                   std::optional<std::string> payload_digest = std::nullopt);

  Status OnSeries(SeriesId id, const SeriesKey& key) override;
  Status OnAppended(StoreTransaction& transaction, const Observation& observation,
                    AppendOutcome outcome) override;
  Status BeforeCommit(StoreTransaction& transaction) override;
  void OnCommitted(const BatchRecord& batch) override;
  void OnRolledBack() override;

 private:
  void AddToDigest(const Observation& observation);

  IngestObserver* next_;
  const Clock& clock_;
  std::string actor_;
  std::string target_;
  std::optional<std::string> payload_digest_;
  std::unordered_map<SeriesId, std::string> prefixes_;  // "indicator\tregion\t" per series
  std::string line_;                                    // reused for every observation
  Sha256 digest_;                                       // of the open batch
};

}  // namespace vigil
