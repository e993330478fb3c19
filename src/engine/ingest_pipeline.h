// The ingest pipeline that `vigil ingest` and `vigil serve` share: bytes read
// as CSV or JSON Lines, validated against the catalogue, written to the store
// with detection's signals and the warning stage's events, and audited, all
// in one transaction per batch.
//
// The detection engine lives as long as the pipeline: it is restored from the
// store once, when the pipeline opens, and then follows every batch in
// memory, so a long-running server does not rebuild it per request.
//
// Not thread-safe: one ingest at a time, on one thread, and the warning stage
// it borrows is not used elsewhere meanwhile.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "engine/ingest_detection.h"
#include "engine/warning_stage.h"
#include "ingest/ingestor.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace vigil {

// Who ingests, for the audit record of each batch: the actor, and the digest
// of the payload when it is known up front (an API request's body; without
// it, the digest of the observations each batch wrote).
struct IngestAudit {
  std::string actor;
  std::optional<std::string> payload_digest;
};

class IngestPipeline {
 public:
  // Restores detection from the store. Borrows everything; `warnings` gets
  // every signal detection makes. Errors: detector parameters a method
  // refuses, store errors.
  static Result<std::unique_ptr<IngestPipeline>> Open(const Catalogue& catalogue, Store& store,
                                                      WarningStage& warnings, const Clock& clock);

  // Reads `source` as `format` (by its first byte when not given) and ingests
  // it as Ingestor::Ingest does, auditing every batch with `audit` and the
  // input's name as target. Errors: Ingestor::Ingest's, and a CSV header
  // that does not read (InvalidArgument, before anything is written).
  Result<IngestSummary> Ingest(ByteSource& source, std::optional<InputFormat> format,
                               const IngestInput& input, const IngestOptions& options,
                               IngestListener& listener, const IngestAudit& audit);

  // Ingests the records a Check of `input` kept, as Ingest would have from
  // the source, without reading or validating them again.
  Result<IngestSummary> Ingest(const CheckedRecords& records, const IngestInput& input,
                               const IngestOptions& options, IngestListener& listener,
                               const IngestAudit& audit);

  // Reads `source` as Ingest would and checks every record
  // (Ingestor::Check): nothing is written and detection hears nothing; with
  // `keep`, the valid records are kept there. Needs no lock against Ingest:
  // it reads only the catalogue.
  Result<IngestSummary> Check(ByteSource& source, std::optional<InputFormat> format,
                              const IngestInput& input, const IngestOptions& options,
                              IngestListener& listener, CheckedRecords* keep = nullptr) const;

  // What the committed batches of this pipeline's lifetime produced.
  const DetectionCounts& detection() const { return detection_->committed(); }
  const WarningStage& warnings() const { return warnings_; }

 private:
  IngestPipeline(const Catalogue& catalogue, Store& store, WarningStage& warnings,
                 const Clock& clock, std::unique_ptr<IngestDetection> detection)
      : catalogue_(catalogue),
        store_(store),
        warnings_(warnings),
        clock_(clock),
        detection_(std::move(detection)) {}

  // Runs `ingest` on an Ingestor that audits every batch with `audit`.
  Result<IngestSummary> Audited(const IngestInput& input, const IngestAudit& audit,
                                const std::function<Result<IngestSummary>(Ingestor&)>& ingest);

  const Catalogue& catalogue_;
  Store& store_;
  WarningStage& warnings_;
  const Clock& clock_;
  std::unique_ptr<IngestDetection> detection_;
};

}  // namespace vigil
