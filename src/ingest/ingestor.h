// The Ingestor: reads records, validates them against the catalogue and writes
// them to a Store through transactions, in all-or-nothing batches.
//
// - By default the whole input is one batch: any invalid record rolls it back
//   and nothing is committed (every invalid record is still reported).
// - With a batch size N, a batch is committed after every N records; an
//   invalid record rolls back its own batch and ingestion stops at that
//   batch's end; the batches committed before it stay committed.
// - With a reject sink, invalid records are written there with their reason
//   and the valid ones are committed.
// - An IngestObserver sees every accepted observation and may add writes of
//   its own to each batch (detection does: src/engine/ingest_detection.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "ingest/input.h"
#include "ingest/record_reader.h"
#include "ingest/validate.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace vigil {

struct IngestOptions {
  std::int64_t batch_size = 0;  // records per committed batch; 0: the whole input is one
  // When set, invalid records are written here (see RecordReader::AppendReject)
  // instead of failing their batch. Borrowed.
  ByteSink* rejects = nullptr;
  // When set, decides whether a valid record may be written (an API token's
  // jurisdiction does): a refusal, InvalidArgument "FIELD: why", makes the
  // record invalid like a validation error.
  std::function<Status(const ValidRecord&)> admit;
};

// Names one input: `name` appears in messages ("cases.csv:17: ...") and as
// the batch origin; `default_source` fills the source of records without one.
struct IngestInput {
  std::string name;
  std::string default_source;
};

struct BatchReport {
  std::int64_t number = 0;  // 1, 2, ... within this ingest
  std::int64_t first_line = 0;
  std::int64_t last_line = 0;
  std::int64_t inserted = 0;
  std::int64_t revised = 0;
  std::int64_t unchanged = 0;
};

struct IngestSummary {
  std::int64_t records = 0;  // records read (lines, for single-line records)
  std::int64_t inserted = 0;
  std::int64_t revised = 0;
  std::int64_t unchanged = 0;
  std::int64_t rejected = 0;  // written to the reject sink
  std::int64_t invalid = 0;   // invalid records without a reject sink
  std::int64_t batches = 0;   // committed
};

// A record that failed validation or admission.
struct InvalidRecord {
  std::int64_t line = 0;
  std::string_view reason;   // "FIELD: what is wrong"
  std::string_view message;  // "cases.csv:17: FIELD: what is wrong"
};

// Told what happens as it happens, on the ingesting thread. The base class
// itself ignores everything, for callers that want no reports.
class IngestListener {
 public:
  virtual ~IngestListener() = default;
  // After a batch is durable.
  virtual void OnCommitted(const BatchReport& /*batch*/) {}
  // For every invalid record.
  virtual void OnInvalid(const InvalidRecord& /*record*/) {}
  // Every kProgressInterval records.
  virtual void OnProgress(std::int64_t /*records*/) {}
};

// Follows what an Ingestor writes, on the ingesting thread, so that a later
// stage can work on each observation and write into the same transaction:
// what it writes is committed, or rolled back, with the batch. An error it
// returns fails the batch as a store error would.
class IngestObserver {
 public:
  virtual ~IngestObserver() = default;
  // A series the open transaction interned, before its first observation of
  // this Ingest() call.
  virtual Status OnSeries(SeriesId id, const SeriesKey& key) = 0;
  // After the store accepted one observation with `outcome`.
  virtual Status OnAppended(StoreTransaction& transaction, const Observation& observation,
                            AppendOutcome outcome) = 0;
  // Just before the batch commits.
  virtual Status BeforeCommit(StoreTransaction& transaction) = 0;
  // After the batch is durable.
  virtual void OnCommitted(const BatchRecord& batch) = 0;
  // After the open batch was rolled back (or its commit failed): everything
  // seen since the last commit is void.
  virtual void OnRolledBack() = 0;
};

// The records a Check found valid and admitted, kept so that an Ingest of
// the same input need not read and validate it again. Owns the sources.
class CheckedRecords {
 public:
  void Add(std::int64_t line, const ValidRecord& record);
  std::size_t size() const { return records_.size(); }

  // Calls `take(line, record)` for each record in input order, stopping at
  // the first error.
  Status ForEach(const std::function<Status(std::int64_t, const ValidRecord&)>& take) const;

 private:
  struct Entry {
    std::int64_t line;
    ValidRecord record;  // its source is empty: see source_at
    std::size_t source_at;
    std::size_t source_size;
  };
  std::vector<Entry> records_;
  std::string sources_;
};

class Ingestor {
 public:
  static constexpr std::int64_t kProgressInterval = 1 << 16;

  // Borrows all of them; they must outlive the Ingestor. The clock gives each
  // batch its arrival time. `observer` may be null.
  Ingestor(const Catalogue& catalogue, Store& store, const Clock& clock,
           IngestObserver* observer = nullptr)
      : catalogue_(catalogue), store_(store), clock_(clock), observer_(observer) {}

  // Ingests every record of `reader`. Returns the summary when every batch was
  // committed (with a reject sink, possibly after rejecting records).
  // InvalidArgument when records were invalid and no reject sink was given:
  // the failing batch was rolled back, and the message says what stays
  // committed. I/O and store errors roll back the open batch.
  Result<IngestSummary> Ingest(RecordReader& reader, const IngestInput& input,
                               const IngestOptions& options, IngestListener& listener);

  // Reads, validates and admits every record as Ingest does, but writes
  // nothing: the store, the observer and the reject sink hear nothing, and
  // invalid records fail the check as they would fail an ingest without a
  // reject sink (the listener hears each; the rejected-records metric counts
  // them). The summary counts records and invalid ones. Lets a caller refuse
  // an all-or-nothing input before any of it is written. With `keep`, the
  // valid records are added to it, for Ingest.
  Result<IngestSummary> Check(RecordReader& reader, const IngestInput& input,
                              const IngestOptions& options, IngestListener& listener,
                              CheckedRecords* keep = nullptr);

  // Ingests records a Check of `input` kept, as Ingest would have ingested
  // them from the reader (the options' reject sink and admission are not
  // consulted: the check already did). Errors: store errors, as Ingest.
  Result<IngestSummary> Ingest(const CheckedRecords& records, const IngestInput& input,
                               const IngestOptions& options, IngestListener& listener);

 private:
  const Catalogue& catalogue_;
  Store& store_;
  const Clock& clock_;
  IngestObserver* observer_;
};

}  // namespace vigil
