#include "engine/ingest_pipeline.h"

#include <functional>

#include "ingest/audit_observer.h"

namespace vigil {
namespace {

// Runs `ingest` on a record reader of `source`, whose format is sniffed from
// its first byte when not given.
Result<IngestSummary> WithReader(
    ByteSource& source, std::optional<InputFormat> format, const IngestInput& input,
    const std::function<Result<IngestSummary>(RecordReader&)>& ingest) {
  InputBuffer buffer(source);
  if (!format) {
    VIGIL_ASSIGN_OR_RETURN(format, SniffFormat(buffer));
  }
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<RecordReader> reader,
                         OpenRecordReader(*format, buffer, input.name));
  return ingest(*reader);
}

}  // namespace

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
  return WithReader(source, format, input, [&](RecordReader& reader) {
    return Audited(input, audit, [&](Ingestor& ingestor) {
      return ingestor.Ingest(reader, input, options, listener);
    });
  });
}

Result<IngestSummary> IngestPipeline::Ingest(const CheckedRecords& records,
                                             const IngestInput& input, const IngestOptions& options,
                                             IngestListener& listener, const IngestAudit& audit) {
  return Audited(input, audit, [&](Ingestor& ingestor) {
    return ingestor.Ingest(records, input, options, listener);
  });
}

Result<IngestSummary> IngestPipeline::Audited(
    const IngestInput& input, const IngestAudit& audit,
    const std::function<Result<IngestSummary>(Ingestor&)>& ingest) {
  // Every batch is audited with detection's writes, in the same transaction.
  AuditingObserver audited(detection_.get(), clock_, audit.actor, input.name, audit.payload_digest);
  Ingestor ingestor(catalogue_, store_, clock_, &audited);
  return ingest(ingestor);
}

Result<IngestSummary> IngestPipeline::Check(ByteSource& source, std::optional<InputFormat> format,
                                            const IngestInput& input, const IngestOptions& options,
                                            IngestListener& listener, CheckedRecords* keep) const {
  return WithReader(source, format, input, [&](RecordReader& reader) {
    Ingestor ingestor(catalogue_, store_, clock_);
    return ingestor.Check(reader, input, options, listener, keep);
  });
}

}  // namespace vigil
