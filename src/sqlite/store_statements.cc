#include "sqlite/store_statements.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

namespace vigil::sqlite {
namespace {

// The columns a write binds, in order, from ?1: one list per table, shared
// by its clustered and its recent table.
constexpr const char* kObservationColumns =
    "series_id, time, value, denominator, source_id, arrived, batch_id";
constexpr const char* kSignalColumns =
    "series_id, detector, time, method_id, observed, expected, upperbound, score, alarm, level,"
    " baseline_from, baseline_to, note, batch_id";

// "INSERT INTO table (columns) VALUES (?1, ..., ?n)", one parameter a column.
std::string Insert(std::string_view table, std::string_view columns) {
  const auto count = std::ranges::count(columns, ',') + 1;
  std::string values = "?1";
  for (int i = 2; i <= count; ++i) {
    fmt::format_to(std::back_inserter(values), ", ?{}", i);
  }
  return fmt::format("INSERT INTO {} ({}) VALUES ({})", table, columns, values);
}

// The recent rows of a table, as rows of its columns (row_blocks.h); `alias`
// names them in a query.
std::string RecentRows(std::string_view kind, std::string_view alias) {
  return fmt::format("recent_{0}_blocks b, {0}_block(b.seq) {1}", kind, alias);
}

// Appended to the observations' Insert.
constexpr const char* kUpsertConflict = R"sql(
ON CONFLICT (series_id, time) DO UPDATE SET
  value = excluded.value, denominator = excluded.denominator, source_id = excluded.source_id,
  arrived = excluded.arrived, batch_id = excluded.batch_id, version = version + 1
WHERE value IS NOT excluded.value OR denominator IS NOT excluded.denominator
   OR source_id IS NOT excluded.source_id)sql";

// One arm of the observation queries: the versions in {0} (`observations`,
// the recent observations or `observation_revisions`, which share these
// columns, as o) of series ?1 that meet {1}.
constexpr const char* kObservationsArm = R"sql(
SELECT o.time, o.value, o.denominator, s.name, o.arrived, o.version
FROM {0} JOIN sources s ON s.id = o.source_id
WHERE o.series_id = ?1 AND {1})sql";

// The current versions of a key are in one place: `observations`, the
// recent observations or a block of its series (migrations.cc, versions 9
// and 10). A recent block is opened only if its series range holds the
// series, and a block of the series only if its times meet `blocks`.
std::string CurrentObservations(std::string_view condition, std::string_view blocks) {
  return fmt::format(
      "{} UNION ALL {} UNION ALL {}", fmt::format(kObservationsArm, "observations o", condition),
      fmt::format(kObservationsArm, RecentRows("observation", "o"),
                  fmt::format("b.first_series <= ?1 AND b.last_series >= ?1 AND {}", condition)),
      fmt::format(kObservationsArm,
                  "observation_series_blocks b, observation_series_block(b.seq) o",
                  fmt::format("b.series_id = ?1 AND {} AND {}", blocks, condition)));
}

// Blocks of a series that may hold times in [?2, ?3).
constexpr std::string_view kBlocksInRange = "b.last_time >= ?2 AND b.first_time < ?3";

// The current versions in [?2, ?3), in time order.
std::string ReadCurrent() {
  return CurrentObservations("o.time >= ?2 AND o.time < ?3", kBlocksInRange) + " ORDER BY 1";
}

// Every version that had arrived by ?4, ordered so that the last row of each
// time is the newest by arrival, then by version (write order).
std::string ReadAsOf() {
  constexpr std::string_view kCondition = "o.time >= ?2 AND o.time < ?3 AND o.arrived <= ?4";
  return fmt::format("{} UNION ALL {} ORDER BY 1, 5, 6",
                     CurrentObservations(kCondition, kBlocksInRange),
                     fmt::format(kObservationsArm, "observation_revisions o", kCondition));
}

// Every version of the key at ?2, oldest first.
std::string History() {
  return fmt::format("{} UNION ALL {} ORDER BY 6",
                     CurrentObservations("o.time = ?2", "b.first_time <= ?2 AND b.last_time >= ?2"),
                     fmt::format(kObservationsArm, "observation_revisions o", "o.time = ?2"));
}

// Appended to the signals' Insert.
constexpr const char* kUpsertSignalConflict = R"sql(
ON CONFLICT (series_id, detector, time) DO UPDATE SET
  method_id = excluded.method_id, observed = excluded.observed,
  expected = excluded.expected, upperbound = excluded.upperbound, score = excluded.score,
  alarm = excluded.alarm, level = excluded.level, baseline_from = excluded.baseline_from,
  baseline_to = excluded.baseline_to, note = excluded.note, batch_id = excluded.batch_id,
  revisions = revisions + 1)sql";

// One arm of the signal queries, over `signals`, the recent signals or the
// series blocks' signals ({0}, as g), with the filter ({1}) and a condition
// of the arm's own ({2}).
constexpr const char* kReadSignalsArm = R"sql(
SELECT g.series_id, g.detector, g.time, m.method, m.params, g.observed, g.expected, g.upperbound,
       g.score, g.alarm, g.level, g.baseline_from, g.baseline_to, g.note, g.batch_id,
       g.revisions, s.indicator, s.region
FROM {0} JOIN series s ON s.id = g.series_id JOIN signal_methods m ON m.id = g.method_id
WHERE {1} AND {2})sql";

// The conditions of the signal queries on an arm's rows (g) and their series (s).
constexpr const char* kSignalFilter = R"sql((?1 IS NULL OR g.series_id = ?1)
  AND (?2 = '' OR s.indicator = ?2) AND (?3 = '' OR s.region = ?3)
  AND g.time >= ?4 AND g.time < ?5 AND (?6 = 0 OR g.alarm))sql";

// The condition of the recent arm on its blocks.
constexpr const char* kRecentSignalBlocks =
    "(?1 IS NULL OR (b.first_series <= ?1 AND b.last_series >= ?1))";

// Every place, merged in (time, series, detector) order ({0}: the direction):
// each arm is read in that order and the limit stops them all.
constexpr const char* kReadSignals = R"sql({0} UNION ALL {1} UNION ALL {2}
ORDER BY 3 {3}, 1 {3}, 2 {3} LIMIT ?7)sql";

// The blocks of `signal_series_blocks` (b) that may hold rows the filter
// reads.
constexpr const char* kSignalSeriesBlocksOfFilter =
    "(?1 IS NULL OR b.series_id = ?1) AND b.last_time >= ?4 AND b.first_time < ?5"
    " AND (?6 = 0 OR b.alarms > 0)";

// Those blocks, of the series the filter names, in the order of the
// direction of a read ({1}: the column, {2}: the direction).
constexpr const char* kSignalSeriesBlocks = R"sql(
SELECT b.first_time, b.last_time, b.rows, b.alarms
FROM signal_series_blocks b JOIN series s ON s.id = b.series_id
WHERE {0} AND (?2 = '' OR s.indicator = ?2) AND (?3 = '' OR s.region = ?3)
ORDER BY b.{1} {2})sql";

constexpr const char* kStatsByIndicator = R"sql(
SELECT s.indicator, count(*), coalesce(sum(o.n), 0), min(o.first), max(o.last),
       coalesce(sum(g.n), 0), coalesce(sum(g.alarms), 0)
FROM series s
LEFT JOIN (SELECT series_id, sum(rows) AS n, min(first) AS first, max(last) AS last
           FROM (SELECT series_id, 1 AS rows, time AS first, time AS last FROM observations
                 UNION ALL SELECT series_id, rows, first_time, last_time
                           FROM observation_series_blocks
                 UNION ALL SELECT o.series_id, 1, o.time, o.time FROM {0})
           GROUP BY series_id) o ON o.series_id = s.id
LEFT JOIN (SELECT series_id, sum(rows) AS n, sum(alarm) AS alarms
           FROM (SELECT series_id, 1 AS rows, alarm FROM signals
                 UNION ALL SELECT series_id, rows, alarms FROM signal_series_blocks
                 UNION ALL SELECT g.series_id, 1, g.alarm FROM {1})
           GROUP BY series_id) g ON g.series_id = s.id
GROUP BY s.indicator ORDER BY s.indicator)sql";

// The newest time of a series (and detector) in its clustered table ({0})
// and in its blocks ({1}), each one index search; no row when neither holds
// one. (Two scalar subqueries: a UNION ALL of the two was a subquery and a
// sort, and cost bulk ingest 10%, once per series.)
constexpr const char* kStoredNewest = R"sql(
SELECT coalesce(max(a, b), a, b)
FROM (SELECT (SELECT max(time) FROM {0}) AS a, (SELECT max(last_time) FROM {1}) AS b)
WHERE a IS NOT NULL OR b IS NOT NULL)sql";

constexpr const char* kLastEventSeq = "SELECT coalesce(max(seq), 0) FROM warning_events";

constexpr const char* kInsertOutbox = R"sql(
INSERT INTO outbox (notification_id, event_seq, warning_id, agency, channel, target, payload,
                    created, state, attempts, next_attempt, delivered_at, last_error)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13))sql";

constexpr const char* kRecordDelivery = R"sql(
UPDATE outbox SET state = ?2, attempts = attempts + 1, next_attempt = ?3,
  delivered_at = coalesce(?4, delivered_at),
  last_error = CASE WHEN ?5 = '' THEN last_error ELSE ?5 END
WHERE id = ?1 AND state = 'pending')sql";

// The WHERE clause starts with the variant's condition, which picks the index
// SQLite searches; the rest of it serves every variant.
constexpr const char* kReadEvents = R"sql(
SELECT seq, at, kind, key, warning_id, actor, body FROM warning_events
WHERE {} AND seq > ?1 AND (?2 = '' OR key = ?2) AND (?3 = '' OR warning_id = ?3)
ORDER BY seq LIMIT ?4)sql";

// The due variant names state 'pending' as a literal: only then can SQLite
// use the partial index of pending items (outbox_pending_due).
constexpr const char* kReadOutbox = R"sql(
SELECT id, notification_id, event_seq, warning_id, agency, channel, target, payload, created,
       state, attempts, next_attempt, delivered_at, last_error
FROM outbox
WHERE {} AND (?1 = '' OR state = ?1) AND (?3 = '' OR warning_id = ?3)
ORDER BY id LIMIT ?4)sql";

constexpr const char* kTokenColumns =
    "id, name, role, regions, domains, hash, created, expires, revoked";

// ORDER BY is filled in with the direction.
constexpr const char* kReadAudit = R"sql(
SELECT seq, at, actor, action, target, payload_digest, prev_hash, hash FROM audit_log
WHERE seq > ?1 ORDER BY seq {} LIMIT ?2)sql";

}  // namespace

Status PrepareWrites(Database& db, WriteStatements& w) {
  const std::string upsert = Insert("observations", kObservationColumns) + kUpsertConflict;
  const std::string insert_observation =
      Insert("observations", fmt::format("{}, version", kObservationColumns));
  const std::string insert_revision =
      Insert("observation_revisions",
             fmt::format("{}, version, superseded, superseded_by_batch", kObservationColumns));
  const std::string upsert_signal = Insert("signals", kSignalColumns) + kUpsertSignalConflict;
  const std::string insert_signal = Insert("signals", fmt::format("{}, revisions", kSignalColumns));
  const std::string stored_observation_newest =
      fmt::format(kStoredNewest, "observations WHERE series_id = ?1",
                  "observation_series_blocks WHERE series_id = ?1");
  const std::string stored_signal_newest =
      fmt::format(kStoredNewest, "signals WHERE series_id = ?1 AND detector = ?2",
                  "signal_series_blocks WHERE series_id = ?1 AND detector = ?2");
  const std::string insert_token = Insert("tokens", kTokenColumns);
  const std::string token_by_id = fmt::format("SELECT {} FROM tokens WHERE id = ?1", kTokenColumns);
  const std::pair<Statement*, const char*> all[] = {
      {&w.begin, "BEGIN IMMEDIATE"},
      {&w.commit, "COMMIT"},
      {&w.rollback, "ROLLBACK"},
      {&w.insert_batch, "INSERT INTO batches (origin, arrived) VALUES (?1, ?2)"},
      {&w.update_batch,
       "UPDATE batches SET inserted = ?2, revised = ?3, unchanged = ?4 WHERE id = ?1"},
      {&w.find_series, "SELECT id FROM series WHERE indicator = ?1 AND region = ?2"},
      {&w.insert_series, "INSERT INTO series (indicator, region) VALUES (?1, ?2)"},
      {&w.series_exists, "SELECT 1 FROM series WHERE id = ?1"},
      {&w.find_source, "SELECT id FROM sources WHERE name = ?1"},
      {&w.insert_source, "INSERT INTO sources (name) VALUES (?1)"},
      {&w.find_method, "SELECT id FROM signal_methods WHERE method = ?1 AND params = ?2"},
      {&w.insert_method, "INSERT INTO signal_methods (method, params) VALUES (?1, ?2)"},
      {&w.upsert, upsert.c_str()},
      {&w.insert_observation, insert_observation.c_str()},
      {&w.insert_revision, insert_revision.c_str()},
      {&w.stored_observation_newest, stored_observation_newest.c_str()},
      {&w.observation_series.insert,
       "INSERT INTO observation_series_blocks (series_id, first_time, last_time, rows, block)"
       " VALUES (?1, ?3, ?4, ?5, ?7)"},
      {&w.observation_series.find,
       "SELECT seq, last_time, block FROM observation_series_blocks"
       " WHERE series_id = ?1 AND first_time <= ?3 ORDER BY first_time DESC LIMIT 1"},
      {&w.observation_series.update,
       "UPDATE observation_series_blocks SET block = ?3 WHERE seq = ?1"},
      {&w.upsert_signal, upsert_signal.c_str()},
      {&w.insert_signal, insert_signal.c_str()},
      {&w.stored_signal_newest, stored_signal_newest.c_str()},
      {&w.signal_series.insert,
       "INSERT INTO signal_series_blocks"
       " (series_id, detector, first_time, last_time, rows, alarms, block)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&w.signal_series.find,
       "SELECT seq, last_time, block FROM signal_series_blocks"
       " WHERE series_id = ?1 AND detector = ?2 AND first_time <= ?3"
       " ORDER BY first_time DESC LIMIT 1"},
      {&w.signal_series.update,
       "UPDATE signal_series_blocks SET alarms = ?2, block = ?3 WHERE seq = ?1"},
      {&w.put_series_checkpoint,
       "INSERT OR REPLACE INTO engine_series (series_id, last_time, first_period, states)"
       " VALUES (?1, ?2, ?3, ?4)"},
      {&w.append_journal, "INSERT INTO stream_journal (samples) VALUES (?1)"},
      {&w.clear_journal, "DELETE FROM stream_journal"},
      {&w.put_indicator_checkpoint,
       "INSERT OR REPLACE INTO engine_indicators"
       " (indicator, fingerprint, newest_period, closed_through, started)"
       " VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&w.last_event_seq, kLastEventSeq},
      {&w.event_exists, "SELECT 1 FROM warning_events WHERE seq = ?1"},
      {&w.insert_event,
       "INSERT INTO warning_events (seq, at, kind, key, warning_id, actor, body)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&w.insert_outbox, kInsertOutbox},
      {&w.record_delivery, kRecordDelivery},
      {&w.outbox_state, "SELECT state FROM outbox WHERE id = ?1"},
      {&w.last_audit, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"},
      {&w.insert_audit,
       "INSERT INTO audit_log (seq, at, actor, action, target, payload_digest, prev_hash, hash)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&w.insert_token, insert_token.c_str()},
      {&w.token_by_id, token_by_id.c_str()},
      {&w.token_by_hash, "SELECT 1 FROM tokens WHERE hash = ?1"},
      {&w.revoke_token, "UPDATE tokens SET revoked = ?2 WHERE id = ?1"},
  };
  for (const auto& [statement, sql] : all) {
    VIGIL_ASSIGN_OR_RETURN(*statement, db.Prepare(sql));
  }
  for (const auto& [blocks, table] : {std::pair{&w.observation_blocks, "recent_observation_blocks"},
                                      std::pair{&w.signal_blocks, "recent_signal_blocks"}}) {
    VIGIL_ASSIGN_OR_RETURN(
        blocks->read, db.Prepare(fmt::format("SELECT seq, block FROM {} ORDER BY seq", table)));
    VIGIL_ASSIGN_OR_RETURN(
        blocks->insert,
        db.Prepare(fmt::format(
            "INSERT INTO {} (rows, first_series, last_series, block) VALUES (?1, ?2, ?3, ?4)",
            table)));
    VIGIL_ASSIGN_OR_RETURN(blocks->update,
                           db.Prepare(fmt::format("UPDATE {} SET rows = ?2, first_series = ?3,"
                                                  " last_series = ?4, block = ?5 WHERE seq = ?1",
                                                  table)));
    VIGIL_ASSIGN_OR_RETURN(blocks->clear, db.Prepare(fmt::format("DELETE FROM {}", table)));
  }
  return Status::Ok();
}

Status PrepareReads(Database& db, ReadStatements& r) {
  const std::string stored_arm = fmt::format(kReadSignalsArm, "signals g", kSignalFilter, "TRUE");
  const std::string recent_arm =
      fmt::format(kReadSignalsArm, RecentRows("signal", "g"), kSignalFilter, kRecentSignalBlocks);
  const std::string recent_signals = fmt::format(
      "SELECT count(*), min(g.time), max(g.time) FROM {} JOIN series s"
      " ON s.id = g.series_id WHERE {} AND {}",
      RecentRows("signal", "g"), kSignalFilter, kRecentSignalBlocks);
  const std::string series_arm = fmt::format(
      kReadSignalsArm, "signal_series_blocks b, signal_series_block(b.seq) g", kSignalFilter,
      fmt::format("{} AND b.last_time >= ?8 AND b.first_time <= ?9"
                  " AND g.time >= ?8 AND g.time <= ?9",
                  kSignalSeriesBlocksOfFilter));
  const std::string oldest_first =
      fmt::format(kReadSignals, stored_arm, recent_arm, series_arm, "ASC");
  const std::string newest_first =
      fmt::format(kReadSignals, stored_arm, recent_arm, series_arm, "DESC");
  const std::string series_newest_first =
      fmt::format(kSignalSeriesBlocks, kSignalSeriesBlocksOfFilter, "last_time", "DESC");
  const std::string series_oldest_first =
      fmt::format(kSignalSeriesBlocks, kSignalSeriesBlocksOfFilter, "first_time", "ASC");
  const std::string read_current = ReadCurrent();
  const std::string read_as_of = ReadAsOf();
  const std::string history = History();
  const std::string stats_by_indicator =
      fmt::format(kStatsByIndicator, RecentRows("observation", "o"), RecentRows("signal", "g"));
  const std::string events = fmt::format(kReadEvents, "TRUE");
  const std::string events_by_key = fmt::format(kReadEvents, "key = ?2");
  const std::string events_by_warning = fmt::format(kReadEvents, "warning_id = ?3");
  const std::string outbox = fmt::format(kReadOutbox, "TRUE");
  const std::string outbox_due =
      fmt::format(kReadOutbox, "state = 'pending' AND next_attempt <= ?2");
  const std::string audit_oldest_first = fmt::format(kReadAudit, "ASC");
  const std::string audit_newest_first = fmt::format(kReadAudit, "DESC");
  const std::string tokens =
      fmt::format("SELECT {} FROM tokens ORDER BY created, id", kTokenColumns);
  const std::string token_by_hash =
      fmt::format("SELECT {} FROM tokens WHERE hash = ?1", kTokenColumns);
  const std::pair<Statement*, const char*> all[] = {
      {&r.find_series, "SELECT id FROM series WHERE indicator = ?1 AND region = ?2"},
      {&r.list_series, "SELECT id, indicator, region FROM series ORDER BY id"},
      {&r.series_exists, "SELECT 1 FROM series WHERE id = ?1"},
      {&r.read_current, read_current.c_str()},
      {&r.read_as_of, read_as_of.c_str()},
      {&r.history, history.c_str()},
      {&r.batches,
       "SELECT id, origin, arrived, inserted, revised, unchanged FROM batches ORDER BY id"},
      {&r.stats,
       "SELECT (SELECT count(*) FROM series),"
       " (SELECT count(*) FROM observations)"
       " + (SELECT coalesce(sum(rows), 0) FROM recent_observation_blocks)"
       " + (SELECT coalesce(sum(rows), 0) FROM observation_series_blocks),"
       " (SELECT count(*) FROM observation_revisions), (SELECT count(*) FROM batches)"},
      {&r.stats_by_indicator, stats_by_indicator.c_str()},
      {&r.signals_oldest_first, oldest_first.c_str()},
      {&r.signals_newest_first, newest_first.c_str()},
      {&r.signal_series_newest_first, series_newest_first.c_str()},
      {&r.signal_series_oldest_first, series_oldest_first.c_str()},
      {&r.recent_signals, recent_signals.c_str()},
      {&r.series_checkpoints,
       "SELECT series_id, last_time, first_period, states FROM engine_series ORDER BY series_id"},
      {&r.journal, "SELECT samples FROM stream_journal ORDER BY seq"},
      {&r.indicator_checkpoints,
       "SELECT indicator, fingerprint, newest_period, closed_through, started"
       " FROM engine_indicators ORDER BY indicator"},
      {&r.last_event_seq, kLastEventSeq},
      {&r.events, events.c_str()},
      {&r.events_by_key, events_by_key.c_str()},
      {&r.events_by_warning, events_by_warning.c_str()},
      {&r.outbox, outbox.c_str()},
      {&r.outbox_due, outbox_due.c_str()},
      // The literal state lets SQLite count the partial index's entries.
      {&r.outbox_pending_count, "SELECT count(*) FROM outbox WHERE state = 'pending'"},
      {&r.audit_oldest_first, audit_oldest_first.c_str()},
      {&r.audit_newest_first, audit_newest_first.c_str()},
      {&r.tokens, tokens.c_str()},
      {&r.token_by_hash, token_by_hash.c_str()},
  };
  for (const auto& [statement, sql] : all) {
    VIGIL_ASSIGN_OR_RETURN(*statement, db.Prepare(sql));
  }
  return Status::Ok();
}

}  // namespace vigil::sqlite
