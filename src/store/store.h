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
//   for Append and WriteSignal one neither committed nor interned by the
//   transaction;
// - signals are keyed by (series, detector, time): writing a key that exists
//   replaces its row and counts one revision, never adds a second row; each
//   row names the batch that last wrote it;
// - checkpoints are keyed by series and by indicator: writing one replaces it.
// - warning events are append-only, keyed by a sequence number that only
//   grows; outbox items are enqueued with a batch, while delivery attempts are
//   recorded each on its own, outside any batch.
// - the audit log is append-only and hash-chained (store/audit.h): the store
//   numbers each record and chains it to the one before; a record is written
//   with the write it describes, in the same transaction (a batch's through
//   AppendAudit, a token change's inside CreateToken or RevokeToken).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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

// Adds one to the counter of `counts` that `outcome` names: a BatchRecord, or
// any struct with `inserted`, `revised` and `unchanged` counters.
template <typename Counts>
void CountOutcome(AppendOutcome outcome, Counts& counts) {
  switch (outcome) {
    case AppendOutcome::kInserted:
      ++counts.inserted;
      break;
    case AppendOutcome::kRevised:
      ++counts.revised;
      break;
    case AppendOutcome::kUnchanged:
      ++counts.unchanged;
      break;
  }
}

struct StoreStats {
  std::int64_t series = 0;
  std::int64_t observations = 0;  // current versions
  std::int64_t revisions = 0;     // superseded versions kept for audit
  std::int64_t batches = 0;
};

// One detector's verdict on one period (or sample) of one series, with the
// evidence that explains it. Absent numbers are those the detector could not
// compute (no expected value for a threshold, nothing when not evaluated).
struct SignalRecord {
  SeriesId series = 0;
  int detector = 0;  // index into the indicator's `detectors` list
  Timestamp time;    // the period start (or sample time) judged
  std::string method;
  std::string params;  // every parameter the detector ran with: "b=5,w=3,..."
  std::optional<double> observed;
  std::optional<double> expected;
  std::optional<double> upperbound;  // the alarm threshold on the observed scale
  std::optional<double> score;
  bool alarm = false;
  int level = 0;  // threshold detectors: 1 blue .. 4 red
  // The baseline window: period indexes (periodic) or observation counts
  // (streaming), absent when the method has none.
  std::optional<std::int64_t> baseline_from;
  std::optional<std::int64_t> baseline_to;
  std::string note;  // why it was not evaluated; empty when it was
};

struct StoredSignal {
  SignalRecord signal;
  SeriesKey key;
  std::int64_t batch = 0;      // the batch that wrote the current row
  std::int64_t revisions = 0;  // times the row was rewritten after late data
};

// Which signals to read. Empty fields do not filter.
struct SignalFilter {
  std::optional<SeriesId> series;
  std::string indicator;
  std::string region;
  std::optional<Timestamp> from;  // from <= time
  std::optional<Timestamp> to;    // time < to
  bool alarms_only = false;
  // When set, only signals of the series it admits are read, and the limit
  // counts those (an API token's jurisdiction: a page must not come back short
  // because signals it may not see filled it).
  std::function<bool(const SeriesKey&)> admit;
  std::int64_t limit = 0;  // at most this many rows; 0: no limit
  // Rows come in (time, series, detector) order; newest_first reverses it, so
  // that a limit keeps the most recent.
  bool newest_first = false;
};

// Detection state that cannot be rebuilt from the observations, written with
// the batch that changed it so that detection resumes where it stopped.
struct SeriesCheckpoint {
  SeriesId series = 0;
  std::int64_t last_time_ns = 0;  // newest judged sample (streams)
  std::int64_t first_period = 0;  // first period with data (periodic)
  std::vector<std::byte> states;  // streaming detector states, concatenated
};

struct IndicatorCheckpoint {
  std::string indicator;
  std::uint64_t fingerprint = 0;  // of the detector configuration; a change resets states
  std::int64_t newest_period = 0;
  std::int64_t closed_through = 0;  // periods up to this index have been judged
  bool started = false;             // false until the first period closed
};

// A stream sample that detection judged after the last checkpoint of its
// series' streaming states. Most batches write these instead of the states
// themselves (a few bytes against kilobytes per series); replayed in order
// onto the checkpoints, they rebuild the states (src/engine/engine.h).
struct StreamSample {
  SeriesId series = 0;
  std::int64_t time_ns = 0;
  double value = 0;
  std::optional<double> denominator;
  friend bool operator==(const StreamSample&, const StreamSample&) = default;
};

struct Checkpoints {
  std::vector<SeriesCheckpoint> series;
  std::vector<IndicatorCheckpoint> indicators;
  std::vector<StreamSample> journal;  // in the order they were appended
};

// What the store holds for one indicator.
struct IndicatorStats {
  std::string indicator;
  std::int64_t series = 0;
  std::int64_t observations = 0;   // current versions
  std::optional<Timestamp> first;  // oldest and newest event time; absent without observations
  std::optional<Timestamp> last;
  std::int64_t signals = 0;
  std::int64_t alarms = 0;
};

// One event of the warning log (src/warn), as the warn stage encodes it. The
// store keeps `body` opaque and indexes the other fields. Events are
// append-only: a sequence number is written once and never changed.
struct WarningEventRecord {
  std::int64_t seq = 0;  // the warn stage's sequence number: unique, increasing
  Timestamp at;
  std::string kind;        // "evidence", "issued", ... (warn::EventKindName)
  std::string key;         // "domain/region/hazard"; empty for silence events
  std::string warning_id;  // the warning the event is about; empty for evidence and silences
  std::string actor;
  std::string body;  // the whole event, JSON
};

// Which warning events to read, in sequence order. Empty fields do not filter.
struct WarningEventFilter {
  std::int64_t after_seq = 0;  // seq > after_seq
  std::string key;
  std::string warning_id;
  std::int64_t limit = 0;  // 0: no limit
};

enum class OutboxState { kPending, kDelivered, kAbandoned };
std::string_view OutboxStateName(OutboxState state);  // "pending", "delivered", "abandoned"

// A notification to deliver through one channel. It is enqueued in the same
// transaction as the events that asked for it, so a crash loses neither; once
// recorded as delivered it is never handed out again.
struct OutboxItem {
  std::int64_t id = 0;          // assigned by the store on enqueue, increasing
  std::string notification_id;  // stable over retries: receivers deduplicate on it
  std::int64_t event_seq = 0;   // the last warning event of the step that asked for it
  std::string warning_id;
  std::string agency;
  std::string channel;  // "webhook", "alertmanager"
  std::string target;   // the URL
  std::string payload;  // the body to send, JSON
  Timestamp created;
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  Timestamp next_attempt;  // pending: not before then
  std::optional<Timestamp> delivered_at;
  std::string last_error;  // the last failed attempt's error; empty when none
};

// The outcome of one delivery attempt, recorded at once and durably.
struct DeliveryAttempt {
  std::int64_t id = 0;                        // the outbox item
  OutboxState state = OutboxState::kPending;  // kPending: retry at next_attempt
  Timestamp at;                               // when the attempt ended
  Timestamp next_attempt;
  std::string error;  // empty on success
};

// Which outbox items to list, in id order. Empty fields do not filter; they
// combine with "and", so `due_by` with a state other than kPending lists none.
struct OutboxFilter {
  std::optional<OutboxState> state;
  std::optional<Timestamp> due_by;  // pending items with next_attempt <= due_by
  std::string warning_id;
  std::int64_t limit = 0;  // 0: no limit
};

// One write as the audit log records it; the store numbers and chains it.
struct AuditEntry {
  Timestamp at;
  std::string actor;           // who: "cli:<user>", "token:<id>"
  std::string action;          // what: "ingest.batch", "warning.ack", "token.create", ...
  std::string target;          // on what: a batch origin, a warning id, a token id
  std::string payload_digest;  // SHA-256 hex of the payload the write carried
};

// An audit record as stored: its entry, numbered 1, 2, ... without gaps, and
// chained: `hash` is AuditHash(prev_hash, seq, entry) (store/audit.h).
struct AuditRecord {
  std::int64_t seq = 0;
  AuditEntry entry;
  std::string prev_hash;  // the previous record's hash; kAuditGenesisHash for the first
  std::string hash;
};

// Which audit records to read, in sequence order (newest_first reverses it,
// so that a limit keeps the most recent).
struct AuditFilter {
  std::int64_t after_seq = 0;  // seq > after_seq
  std::int64_t limit = 0;      // 0: no limit
  bool newest_first = false;
};

// A bearer token of the HTTP API (src/server/auth.h). Only the SHA-256 of the
// secret is stored; the secret is shown once, when it is made.
struct TokenRecord {
  std::string id;    // public: names the token in lists, revocation and the audit log
  std::string name;  // who it is for
  std::string role;  // "viewer", "operator", "admin" or "ingest"
  std::vector<std::string> regions;  // codes; each covers its descendants; empty: every region
  std::vector<std::string> domains;  // ids; empty: every domain
  std::string hash;                  // SHA-256 hex of the secret
  Timestamp created;
  std::optional<Timestamp> expires;  // absent: never
  std::optional<Timestamp> revoked;  // absent: not revoked
};

// Not thread-safe: one writer uses it at a time. Destroying it uncommitted rolls back.
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;
  // The id of the series, creating it if new.
  virtual Result<SeriesId> InternSeries(const SeriesKey& key) = 0;
  virtual Result<AppendOutcome> Append(const Observation& observation) = 0;
  // Writes a signal, stamped with this batch (see the contract above).
  virtual Status WriteSignal(const SignalRecord& signal) = 0;
  // Writes checkpoints, replacing those with the same series or indicator.
  virtual Status WriteCheckpoints(const std::vector<SeriesCheckpoint>& series,
                                  const std::vector<IndicatorCheckpoint>& indicators) = 0;
  // Appends stream samples to the journal, after every committed one and
  // those this transaction appended before.
  virtual Status AppendStreamJournal(std::span<const StreamSample> samples) = 0;
  // Empties the journal, samples this transaction appended included.
  virtual Status ClearStreamJournal() = 0;
  // Appends warning events; AlreadyExists for a sequence number already
  // stored or written by this transaction, InvalidArgument for one not above
  // every earlier one (the first must be above 0). A call rejected for its
  // sequence numbers writes none of its events.
  virtual Status AppendWarningEvents(const std::vector<WarningEventRecord>& events) = 0;
  // Enqueues notifications as pending with no attempt yet, assigning their
  // ids; `id`, `state`, `attempts`, `delivered_at` and `last_error` are
  // written back to `items`, whatever they held.
  virtual Status EnqueueOutbox(std::vector<OutboxItem>& items) = 0;
  // Appends an audit record of this batch, chained after every committed
  // record and those this transaction appended before.
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
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
  // Per indicator that has series, in indicator order.
  virtual Result<std::vector<IndicatorStats>> StatsByIndicator() = 0;

  virtual Result<std::vector<StoredSignal>> ReadSignals(const SignalFilter& filter) = 0;
  // Every checkpoint, series in id order and indicators in id order, and the
  // committed stream journal.
  virtual Result<Checkpoints> LoadCheckpoints() = 0;

  virtual Result<std::vector<WarningEventRecord>> ReadWarningEvents(
      const WarningEventFilter& filter) = 0;
  // The highest stored event sequence number; 0 when there is none.
  virtual Result<std::int64_t> LastWarningEventSeq() = 0;

  virtual Result<std::vector<OutboxItem>> ReadOutbox(const OutboxFilter& filter) = 0;
  // How many committed items are pending: the notification queue's depth,
  // without reading the items.
  virtual Result<std::int64_t> CountPendingOutbox() = 0;
  // Records one attempt on a pending item durably, outside any batch: counts
  // it, and sets the state, next attempt, delivery time (on kDelivered) and,
  // when the attempt failed, the last error (a success keeps the error of the
  // last failure). NotFound for an unknown or uncommitted id;
  // FailedPrecondition for an item no longer pending, or while a transaction
  // is open.
  virtual Status RecordDelivery(const DeliveryAttempt& attempt) = 0;

  // Audit records, each with the hash the store chained it with.
  virtual Result<std::vector<AuditRecord>> ReadAudit(const AuditFilter& filter) = 0;

  // Token changes: each is one durable transaction of its own that also
  // appends `audit`; FailedPrecondition while a transaction is open.
  // CreateToken stores `token` as given: AlreadyExists when its id or hash is
  // taken, InvalidArgument for an empty id or hash.
  virtual Status CreateToken(const TokenRecord& token, const AuditEntry& audit) = 0;
  // Marks the token revoked at `at`. NotFound for an unknown id;
  // FailedPrecondition when it is revoked already.
  virtual Status RevokeToken(std::string_view id, Timestamp at, const AuditEntry& audit) = 0;
  // Every token, revoked ones too, in creation order (then by id).
  virtual Result<std::vector<TokenRecord>> ListTokens() = 0;
  // The token whose hash is `hash`; absent when there is none.
  virtual Result<std::optional<TokenRecord>> FindTokenByHash(std::string_view hash) = 0;
};

}  // namespace vigil
