#include "sqlite/migrations.h"

#include <fmt/format.h>

namespace vigil::sqlite {
namespace {

// Version 1: series, sources, batches and observations with their revisions.
// Times are integer nanoseconds since the Unix epoch (UTC). Observations are
// clustered on (series_id, time) without a rowid, so a read of one series is
// one range scan and an upsert is one B-tree probe. `version` counts the
// versions of a key from 0 and keys its superseded versions, so a revision
// writes two B-trees, not three (a rowid table needs an index). The trigger
// copies the version an upsert replaces, so no writer can forget to keep it.
constexpr const char* kObservationsSchema = R"sql(
CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  indicator TEXT NOT NULL,
  region TEXT NOT NULL,
  UNIQUE (indicator, region)
);
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  origin TEXT NOT NULL,
  arrived INTEGER NOT NULL,
  inserted INTEGER NOT NULL DEFAULT 0,
  revised INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE observations (
  series_id INTEGER NOT NULL,
  time INTEGER NOT NULL,
  value REAL NOT NULL,
  denominator REAL,
  source_id INTEGER NOT NULL,
  arrived INTEGER NOT NULL,
  batch_id INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (series_id, time)
) WITHOUT ROWID;
CREATE TABLE observation_revisions (
  series_id INTEGER NOT NULL,
  time INTEGER NOT NULL,
  version INTEGER NOT NULL,
  value REAL NOT NULL,
  denominator REAL,
  source_id INTEGER NOT NULL,
  arrived INTEGER NOT NULL,
  batch_id INTEGER NOT NULL,
  superseded INTEGER NOT NULL,
  superseded_by_batch INTEGER NOT NULL,
  PRIMARY KEY (series_id, time, version)
) WITHOUT ROWID;
CREATE TRIGGER observations_keep_revision BEFORE UPDATE ON observations
BEGIN
  INSERT INTO observation_revisions
    (series_id, time, version, value, denominator, source_id, arrived, batch_id,
     superseded, superseded_by_batch)
  VALUES (OLD.series_id, OLD.time, OLD.version, OLD.value, OLD.denominator, OLD.source_id,
          OLD.arrived, OLD.batch_id, NEW.arrived, NEW.batch_id);
END;
)sql";

// Version 2: what detection produces during ingest. A signal is keyed by
// (series, detector, time) without a rowid: re-judging a period after late
// data updates its row (and counts the revision), never adds one. Numbers a
// detector could not compute are NULL. The partial index serves "the latest
// alarms" without reading every signal. Checkpoints hold the detection state
// that the observations cannot rebuild: one row per series (streaming
// detector states as one blob) and one per indicator (watermark, periods
// judged, and a fingerprint of the detector configuration).
constexpr const char* kDetectionSchema = R"sql(
CREATE TABLE signals (
  series_id INTEGER NOT NULL,
  detector INTEGER NOT NULL,
  time INTEGER NOT NULL,
  method TEXT NOT NULL,
  params TEXT NOT NULL,
  observed REAL,
  expected REAL,
  upperbound REAL,
  score REAL,
  alarm INTEGER NOT NULL,
  level INTEGER NOT NULL,
  baseline_from INTEGER,
  baseline_to INTEGER,
  note TEXT NOT NULL,
  batch_id INTEGER NOT NULL,
  revisions INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (series_id, detector, time)
) WITHOUT ROWID;
CREATE INDEX signals_by_time ON signals (time);
CREATE INDEX signals_alarms_by_time ON signals (time) WHERE alarm;
CREATE TABLE engine_series (
  series_id INTEGER PRIMARY KEY,
  last_time INTEGER NOT NULL,
  first_period INTEGER NOT NULL,
  states BLOB NOT NULL
);
CREATE TABLE engine_indicators (
  indicator TEXT PRIMARY KEY,
  fingerprint INTEGER NOT NULL,
  newest_period INTEGER NOT NULL,
  closed_through INTEGER NOT NULL,
  started INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Version 3: the warning event log and the notification outbox, written with
// the batch whose step produced them. Events are append-only and keyed by the
// warn stage's sequence number, so replaying a step cannot store it twice;
// `body` is the whole event (JSON) and the other columns copy the fields that
// reads filter on (empty text when the event has none). The indexes on key
// and warning_id hold the seq (the rowid) too, so a filtered read comes out in
// seq order. The outbox holds one row per notification and channel, updated in
// place by each delivery attempt; its partial index lists only pending rows in
// id order with their next attempt, so the "pending and due" read touches
// neither delivered rows nor the table for rows not yet due.
constexpr const char* kWarningsSchema = R"sql(
CREATE TABLE warning_events (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  warning_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX warning_events_by_key ON warning_events (key);
CREATE INDEX warning_events_by_warning ON warning_events (warning_id);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  notification_id TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  warning_id TEXT NOT NULL,
  agency TEXT NOT NULL,
  channel TEXT NOT NULL,
  target TEXT NOT NULL,
  payload TEXT NOT NULL,
  created INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'abandoned')),
  attempts INTEGER NOT NULL,
  next_attempt INTEGER NOT NULL,
  delivered_at INTEGER,
  last_error TEXT NOT NULL
);
CREATE INDEX outbox_pending_due ON outbox (id, next_attempt) WHERE state = 'pending';
)sql";

// Version 4: the bearer tokens of the HTTP API and the audit log. A token row
// holds the SHA-256 of its secret, never the secret; the unique index on the
// hash is how a request finds its token. Region and domain lists are
// comma-separated (codes and ids hold no commas); empty means every one. The
// audit log is append-only and hash-chained: each row holds the previous
// row's hash and its own (store/audit.h). The triggers refuse updates and
// deletes through SQL, so no writer changes a record by mistake; the chain is
// what detects a deliberate change made around them.
constexpr const char* kSecuritySchema = R"sql(
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  regions TEXT NOT NULL,
  domains TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created INTEGER NOT NULL,
  expires INTEGER,
  revoked INTEGER
) WITHOUT ROWID;
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  payload_digest TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
)sql";

// Version 5: the stream journal. Between checkpoints of the streaming
// detector states, each batch appends the stream samples detection judged,
// one row per batch with the samples packed in a blob (store/store.h,
// StreamSample; 32 bytes each, see sqlite_store.cc), and a checkpoint of the
// states empties it. A batch of 1,000 sensor readings then writes 32 KB here
// instead of 4 KB of state per sensor.
constexpr const char* kStreamJournalSchema = R"sql(
CREATE TABLE stream_journal (
  seq INTEGER PRIMARY KEY,
  samples BLOB NOT NULL
);
)sql";

// Version 6: recent signals. A new signal is appended here rather than
// inserted into `signals`, whose rows are clustered by series: a batch of
// 1,000 readings from 1,000 sensors wrote a page of `signals` per sensor
// (4 KB for a row of about 150 bytes). Once the table holds enough rows, a
// batch moves them all into `signals` in key order, a page per sensor for
// all of them. A key is in one of the two tables, never both, so reads take
// their union (sqlite_store.cc).
constexpr const char* kRecentSignalsSchema = R"sql(
CREATE TABLE signals_recent (
  series_id INTEGER NOT NULL,
  detector INTEGER NOT NULL,
  time INTEGER NOT NULL,
  method TEXT NOT NULL,
  params TEXT NOT NULL,
  observed REAL,
  expected REAL,
  upperbound REAL,
  score REAL,
  alarm INTEGER NOT NULL,
  level INTEGER NOT NULL,
  baseline_from INTEGER,
  baseline_to INTEGER,
  note TEXT NOT NULL,
  batch_id INTEGER NOT NULL,
  revisions INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX signals_recent_by_time ON signals_recent (time);
)sql";

// Version 7: recent observations, for the reason of version 6: a new
// observation is appended here, and once there are enough a batch moves them
// into `observations` in key order. Per-series reads need the index; it is
// small (a few hundred pages), where `observations` takes a page per series
// and batch. The trigger keeps superseded versions as the other one does.
constexpr const char* kRecentObservationsSchema = R"sql(
CREATE TABLE observations_recent (
  series_id INTEGER NOT NULL,
  time INTEGER NOT NULL,
  value REAL NOT NULL,
  denominator REAL,
  source_id INTEGER NOT NULL,
  arrived INTEGER NOT NULL,
  batch_id INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX observations_recent_by_key ON observations_recent (series_id, time);
CREATE TRIGGER observations_recent_keep_revision BEFORE UPDATE ON observations_recent
BEGIN
  INSERT INTO observation_revisions
    (series_id, time, version, value, denominator, source_id, arrived, batch_id,
     superseded, superseded_by_batch)
  VALUES (OLD.series_id, OLD.time, OLD.version, OLD.value, OLD.denominator, OLD.source_id,
          OLD.arrived, OLD.batch_id, NEW.arrived, NEW.batch_id);
END;
)sql";

// Version 8: a signal refers to its method and parameters by id. They were
// written out in every row (about 70 of a row's 125 bytes) though a detector
// keeps them from one signal to the next.
constexpr const char* kSignalMethodsSchema = R"sql(
CREATE TABLE signal_methods (
  id INTEGER PRIMARY KEY,
  method TEXT NOT NULL,
  params TEXT NOT NULL,
  UNIQUE (method, params)
);
INSERT INTO signal_methods (method, params)
  SELECT method, params FROM signals UNION SELECT method, params FROM signals_recent;
ALTER TABLE signals ADD COLUMN method_id INTEGER NOT NULL DEFAULT 0;
UPDATE signals SET method_id = (SELECT id FROM signal_methods m
                                WHERE m.method = signals.method AND m.params = signals.params);
ALTER TABLE signals DROP COLUMN method;
ALTER TABLE signals DROP COLUMN params;
ALTER TABLE signals_recent ADD COLUMN method_id INTEGER NOT NULL DEFAULT 0;
UPDATE signals_recent SET method_id = (SELECT id FROM signal_methods m
    WHERE m.method = signals_recent.method AND m.params = signals_recent.params);
ALTER TABLE signals_recent DROP COLUMN method;
ALTER TABLE signals_recent DROP COLUMN params;
)sql";

// Version 9: the recent rows of versions 6 and 7 are packed a batch to a
// row (row_blocks.h): one insert per batch, where each recent observation or
// signal was a row and an index entry. The lowest and highest series of a
// block let a read of one series skip the blocks that cannot hold it. What
// the recent tables hold moves into the clustered tables, as a fold would
// have moved it.
constexpr const char* kRecentBlocksSchema = R"sql(
CREATE TABLE recent_observation_blocks (
  seq INTEGER PRIMARY KEY,
  rows INTEGER NOT NULL,
  first_series INTEGER NOT NULL,
  last_series INTEGER NOT NULL,
  block BLOB NOT NULL
);
CREATE TABLE recent_signal_blocks (
  seq INTEGER PRIMARY KEY,
  rows INTEGER NOT NULL,
  first_series INTEGER NOT NULL,
  last_series INTEGER NOT NULL,
  block BLOB NOT NULL
);
INSERT INTO observations
    (series_id, time, value, denominator, source_id, arrived, batch_id, version)
  SELECT series_id, time, value, denominator, source_id, arrived, batch_id, version
  FROM observations_recent ORDER BY series_id, time;
DROP TABLE observations_recent;
INSERT INTO signals
    (series_id, detector, time, method_id, observed, expected, upperbound, score, alarm, level,
     baseline_from, baseline_to, note, batch_id, revisions)
  SELECT series_id, detector, time, method_id, observed, expected, upperbound, score, alarm,
         level, baseline_from, baseline_to, note, batch_id, revisions
  FROM signals_recent ORDER BY series_id, detector, time;
DROP TABLE signals_recent;
)sql";

// Version 10: rows that leave the recent blocks are packed again, one block
// per series (and detector) of each move (row_blocks.h): a move of 65,536
// signals from 1,000 sensors inserts 1,000 rows, where it inserted 65,536
// rows into `signals` and as many entries into each of its indexes, and a
// move of observations appends 1,000 blobs rather than writing into a leaf
// page of `observations` per sensor. A block holds the keys of its series
// (and detector) from first_time to last_time that no other place holds;
// `observations` and `signals` keep the rows that bulk ingest and late data
// write. The indexes serve a writer looking up a key, a read of one series
// and, for signals, reads across series in time order (the first or last
// time of a block).
constexpr const char* kSeriesBlocksSchema = R"sql(
CREATE TABLE observation_series_blocks (
  seq INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL,
  first_time INTEGER NOT NULL,
  last_time INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  block BLOB NOT NULL
);
CREATE INDEX observation_series_blocks_by_key
  ON observation_series_blocks (series_id, first_time);
CREATE TABLE signal_series_blocks (
  seq INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL,
  detector INTEGER NOT NULL,
  first_time INTEGER NOT NULL,
  last_time INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  alarms INTEGER NOT NULL,
  block BLOB NOT NULL
);
CREATE INDEX signal_series_blocks_by_key ON signal_series_blocks (series_id, detector, first_time);
CREATE INDEX signal_series_blocks_by_first ON signal_series_blocks (first_time);
CREATE INDEX signal_series_blocks_by_last ON signal_series_blocks (last_time);
)sql";

constexpr Migration kStoreMigrations[] = {
    {1, "series, sources, batches, observations and revisions", kObservationsSchema},
    {2, "signals and detection checkpoints", kDetectionSchema},
    {3, "warning events and the notification outbox", kWarningsSchema},
    {4, "API tokens and the audit log", kSecuritySchema},
    {5, "the stream journal", kStreamJournalSchema},
    {6, "recent signals", kRecentSignalsSchema},
    {7, "recent observations", kRecentObservationsSchema},
    {8, "signal methods", kSignalMethodsSchema},
    {9, "recent rows in blocks", kRecentBlocksSchema},
    {10, "rows in blocks per series", kSeriesBlocksSchema},
};

Status ApplyPending(Database& db, std::span<const Migration> migrations, std::int64_t from,
                    int& applied) {
  for (const Migration& migration : migrations) {
    if (migration.version <= from) {
      continue;
    }
    Status status = db.Exec(migration.sql);
    if (!status.ok()) {
      return status.WithContext(
          fmt::format("applying migration {} ({})", migration.version, migration.name));
    }
    ++applied;
  }
  return db.Exec(fmt::format("PRAGMA user_version = {}", migrations.back().version));
}

}  // namespace

std::span<const Migration> StoreMigrations() { return kStoreMigrations; }

Result<int> Migrate(Database& db, std::span<const Migration> migrations,
                    const std::string& file_name) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  // IMMEDIATE takes the write lock before reading the version, so two
  // processes opening a new file cannot both apply the same migration.
  VIGIL_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  auto version = db.QueryInt64("PRAGMA user_version");
  Status status = version.status();
  if (status.ok() && *version > latest) {
    status = FailedPrecondition(
        fmt::format("{} has schema version {} but this vigil understands up to {}; upgrade vigil",
                    file_name, *version, latest));
  }
  int applied = 0;
  if (status.ok() && *version < latest) {
    status = ApplyPending(db, migrations, *version, applied);
  }
  if (!status.ok()) {
    (void)db.Exec("ROLLBACK");
    return status;
  }
  VIGIL_RETURN_IF_ERROR(db.Exec("COMMIT"));
  return applied;
}

}  // namespace vigil::sqlite
