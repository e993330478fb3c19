// The SQL of the store and the statements prepared from it, once per
// connection and reused for every call. Internal to the sqlite adapter.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "core/time.h"
#include "sqlite/sqlite_db.h"

namespace vigil::sqlite {

// Every time is stored as integer nanoseconds since the Unix epoch (UTC).
inline std::int64_t Nanos(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromNanos(std::int64_t ns) { return Timestamp{Duration{ns}}; }

// Statements of the writer connection.
struct WriteStatements {
  Statement begin, commit, rollback;
  Statement insert_batch, update_batch;
  Statement find_series, insert_series, series_exists;
  Statement find_source, insert_source;
  // signal_methods: both bind method and params; find_method returns the id.
  Statement find_method, insert_method;
  // Binds: series_id, time, value, denominator, source_id, arrived, batch_id.
  // insert_observation binds version too (8), and insert_revision then
  // superseded and superseded_by_batch (9, 10) into `observation_revisions`.
  Statement upsert, insert_observation, insert_revision;
  // Binds series_id; returns its newest time in `observations` and
  // `observation_series_blocks` (no row: none).
  Statement stored_observation_newest;
  // Binds the columns of `signals` in order, from series_id to batch_id;
  // insert_signal binds revisions too (15).
  Statement upsert_signal, insert_signal;
  // Binds series_id and detector; returns the newest time in `signals` and
  // `signal_series_blocks` (no row: none).
  Statement stored_signal_newest;
  // The recent blocks of one table (migrations.cc, version 9): read returns
  // seq and block of each in seq order; insert binds rows, first_series,
  // last_series and block; update binds seq, then as insert; clear deletes
  // them all.
  struct Blocks {
    Statement read, insert, update, clear;
  };
  Blocks observation_blocks, signal_blocks;
  // The blocks of one series and detector (migrations.cc, version 10):
  // insert binds series_id, detector, first_time, last_time, rows, alarms
  // and block; find binds series_id, detector and a time and returns seq,
  // last_time and block of the one block that may hold the time (the last to
  // start at or before it); update binds seq, alarms and block. The
  // statements of observations, which have neither detector nor alarms,
  // take the same parameters and ignore those two.
  struct SeriesBlocks {
    Statement insert, find, update;
  };
  SeriesBlocks observation_series, signal_series;
  Statement put_series_checkpoint, put_indicator_checkpoint;
  // The stream journal: append_journal binds the packed samples.
  Statement append_journal, clear_journal;
  // The warning log: last_event_seq returns 0 when empty; event_exists binds
  // seq; insert_event binds the columns of `warning_events` in order.
  Statement last_event_seq, event_exists, insert_event;
  // The outbox: insert_outbox binds the columns of `outbox` in order from
  // notification_id. record_delivery binds id, state name, next_attempt,
  // delivered_at (NULL: keep) and error ('': keep the last) and changes only
  // a pending row; outbox_state binds id and returns the state name.
  Statement insert_outbox, record_delivery, outbox_state;
  // The audit log: last_audit returns seq and hash of the newest record (no
  // row when empty); insert_audit binds the columns of `audit_log` in order.
  Statement last_audit, insert_audit;
  // Tokens: insert_token binds the columns of `tokens` in order; token_by_id
  // binds id and returns them; token_by_hash binds hash and returns 1;
  // revoke_token binds id and the time.
  Statement insert_token, token_by_id, token_by_hash, revoke_token;
};

// Statements of the reader connection. Observation queries return time,
// value, denominator, source name and arrived as columns 0-4.
struct ReadStatements {
  Statement find_series, list_series, series_exists;
  Statement read_current, read_as_of, history;
  Statement batches, stats, stats_by_indicator;
  // Binds: series (NULL: any), indicator ('' any), region ('' any), from, to,
  // alarms only (0/1), limit (-1: none), then the first and last time read
  // from `signal_series_blocks` (a bound that the limit makes safe, so that
  // the blocks below it are not decoded). Columns: those of `signals` from
  // series_id to batch_id, then revisions, indicator and region.
  Statement signals_oldest_first, signals_newest_first;
  // Bind as the signal queries, ?1-?6. Columns: first_time, last_time, rows
  // and alarms of each block of `signal_series_blocks` in the window, in the
  // order its rows are read: newest last_time first, or oldest first_time.
  Statement signal_series_newest_first, signal_series_oldest_first;
  // Binds as the signal queries, ?1-?6. One row: the number of recent
  // signals the filter reads, and their oldest and newest time.
  Statement recent_signals;
  Statement series_checkpoints, indicator_checkpoints, journal;
  // Bind: after_seq, key ('' any), warning_id ('' any), limit (-1: none).
  // Columns: those of `warning_events`. Each variant searches by the index
  // of the field it is named after; `events` by seq.
  Statement last_event_seq, events, events_by_key, events_by_warning;
  // Bind: state name ('' any), due_by (outbox_due only: pending items with
  // next_attempt <= due_by), warning_id ('' any), limit (-1: none). Columns:
  // those of `outbox`, in id order.
  Statement outbox, outbox_due;
  // No binding; one column: the number of pending items.
  Statement outbox_pending_count;
  // Bind: after_seq, limit (-1: none). Columns: those of `audit_log`.
  Statement audit_oldest_first, audit_newest_first;
  // Columns: those of `tokens`; tokens in creation order, token_by_hash binds the hash.
  Statement tokens, token_by_hash;
};

Status PrepareWrites(Database& db, WriteStatements& statements);
Status PrepareReads(Database& db, ReadStatements& statements);

}  // namespace vigil::sqlite
