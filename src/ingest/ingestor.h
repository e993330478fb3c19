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
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "ingest/input.h"
#include "ingest/record_reader.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace vigil {

struct IngestOptions {
  std::int64_t batch_size = 0;  // records per committed batch; 0: the whole input is one
  // When set, invalid records are written here (see RecordReader::AppendReject)
  // instead of failing their batch. Borrowed.
  ByteSink* rejects = nullptr;
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

// Told what happens as it happens, on the ingesting thread.
class IngestListener {
 public:
  virtual ~IngestListener() = default;
  // After a batch is durable.
  virtual void OnCommitted(const BatchReport& /*batch*/) {}
  // For every invalid record: "cases.csv:17: time: ...".
  virtual void OnInvalid(const std::string& /*message*/) {}
  // Every kProgressInterval records.
  virtual void OnProgress(std::int64_t /*records*/) {}
};

class Ingestor {
 public:
  static constexpr std::int64_t kProgressInterval = 1 << 16;

  // Borrows all three; they must outlive the Ingestor. The clock gives each
  // batch its arrival time.
  Ingestor(const Catalogue& catalogue, Store& store, const Clock& clock)
      : catalogue_(catalogue), store_(store), clock_(clock) {}

  // Ingests every record of `reader`. Returns the summary when every batch was
  // committed (with a reject sink, possibly after rejecting records).
  // InvalidArgument when records were invalid and no reject sink was given:
  // the failing batch was rolled back, and the message says what stays
  // committed. I/O and store errors roll back the open batch.
  Result<IngestSummary> Ingest(RecordReader& reader, const IngestInput& input,
                               const IngestOptions& options, IngestListener& listener);

 private:
  const Catalogue& catalogue_;
  Store& store_;
  const Clock& clock_;
};

}  // namespace vigil
