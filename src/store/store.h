// The Store interface: durable, idempotent storage of observations and their
// revisions. The embedded default is sqlite/; memory_store.h is the in-memory
// fake for tests; PostgreSQL follows the same contract.
//
// Contract shared by every implementation (store_conformance.h tests it):
// - observations are keyed by (series, event time); writing a key that exists
//   with a different value, denominator or source is a revision: the new
//   version becomes current and the old one is kept with its arrival time;
//   writing an identical version changes nothing;
// - a transaction is all-or-nothing: nothing is visible before Commit() and
//   nothing of it remains after Rollback(), a crash or destruction uncommitted;
// - reads "as known at" a time return, per event time, the newest version that
//   had arrived by then (on equal arrival times, the one written last);
// - a second, different write of one key within one batch is a revision too;
// - reads through the Store see committed data only, never the writes of an
//   open transaction;
// - an unknown SeriesId is NotFound: for Read and History one not committed,
//   for Append one neither committed nor interned by the transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "model/observation.h"

namespace vigil {

enum class AppendOutcome { kInserted, kRevised, kUnchanged };

struct StoredObservation {
  Timestamp time;
  double value = 0;
  std::optional<double> denominator;
  std::string source;
  Timestamp arrived;  // when this version was committed
};

struct SeriesInfo {
  SeriesId id = 0;
  SeriesKey key;
};

// What a committed batch was: recorded with the batch, in the same transaction.
struct BatchInfo {
  std::string origin;  // file name, "stdin", or an API client
  Timestamp arrived;   // arrival time given to every version the batch writes
};

struct BatchRecord {
  std::int64_t id = 0;
  BatchInfo info;
  std::int64_t inserted = 0;
  std::int64_t revised = 0;
  std::int64_t unchanged = 0;
};

struct StoreStats {
  std::int64_t series = 0;
  std::int64_t observations = 0;  // current versions
  std::int64_t revisions = 0;     // superseded versions kept for audit
  std::int64_t batches = 0;
};

// Not thread-safe: one writer uses it at a time. Destroying it uncommitted rolls back.
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;
  // The id of the series, creating it if new.
  virtual Result<SeriesId> InternSeries(const SeriesKey& key) = 0;
  virtual Result<AppendOutcome> Append(const Observation& observation) = 0;
  // Makes every write durable and visible at once; returns the batch record.
  virtual Result<BatchRecord> Commit() = 0;
  virtual void Rollback() = 0;
};

// Implementations are safe to use from one thread at a time.
class Store {
 public:
  virtual ~Store() = default;

  // At most one transaction is open at a time.
  virtual Result<std::unique_ptr<StoreTransaction>> Begin(const BatchInfo& batch) = 0;

  virtual Result<std::optional<SeriesId>> FindSeries(const SeriesKey& key) = 0;
  virtual Result<std::vector<SeriesInfo>> ListSeries() = 0;

  // Current versions with from <= time < to, in time order. With `as_of`, the
  // versions as known at that arrival time instead.
  virtual Result<std::vector<StoredObservation>> Read(SeriesId series, Timestamp from, Timestamp to,
                                                      std::optional<Timestamp> as_of) = 0;
  // Every version of one observation, oldest first.
  virtual Result<std::vector<StoredObservation>> History(SeriesId series, Timestamp time) = 0;

  virtual Result<std::vector<BatchRecord>> Batches() = 0;
  virtual Result<StoreStats> Stats() = 0;
};

}  // namespace vigil
