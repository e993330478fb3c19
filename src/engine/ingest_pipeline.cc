#include "engine/ingest_pipeline.h"

#include "ingest/audit_observer.h"

namespace vigil {

Result<std::unique_ptr<IngestPipeline>> IngestPipeline::Open(const Catalogue& catalogue,
                                                             Store& store, WarningStage& warnings,
                                                             const Clock& clock) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<IngestDetection> detection,
                         IngestDetection::Open(catalogue, store, &warnings));
  return std::unique_ptr<IngestPipeline>(
      new IngestPipeline(catalogue, store, warnings, clock, std::move(detection)));
}

Result<IngestSummary> IngestPipeline::Ingest(ByteSource& source, std::optional<InputFormat> format,
                                             const IngestInput& input, const IngestOptions& options,
                                             IngestListener& listener, const IngestAudit& audit) {
  InputBuffer buffer(source);
  if (!format) {
    VIGIL_ASSIGN_OR_RETURN(format, SniffFormat(buffer));
  }
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<RecordReader> reader,
                         OpenRecordReader(*format, buffer, input.name));
  // Every batch is audited with detection's writes, in the same transaction.
  AuditingObserver audited(detection_.get(), clock_, audit.actor, input.name, audit.payload_digest);
  Ingestor ingestor(catalogue_, store_, clock_, &audited);
  return ingestor.Ingest(*reader, input, options, listener);
}

}  // namespace vigil
