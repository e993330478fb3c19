// The SQL of the store and the statements prepared from it, once per
// connection and reused for every call. Internal to the sqlite adapter.
#pragma once

#include "core/status.h"
#include "sqlite/sqlite_db.h"

namespace vigil::sqlite {

// Statements of the writer connection.
struct WriteStatements {
  Statement begin, commit, rollback;
  Statement insert_batch, update_batch;
  Statement find_series, insert_series, series_exists;
  Statement find_source, insert_source;
  // Binds: series_id, time, value, denominator, source_id, arrived, batch_id.
  Statement upsert;
  // Binds the columns of `signals` in order, from series_id to batch_id.
  Statement upsert_signal;
  Statement put_series_checkpoint, put_indicator_checkpoint;
};

// Statements of the reader connection. Observation queries return time,
// value, denominator, source name and arrived as columns 0-4.
struct ReadStatements {
  Statement find_series, list_series, series_exists;
  Statement read_current, read_as_of, history;
  Statement batches, stats, stats_by_indicator;
  // Binds: series (NULL: any), indicator ('' any), region ('' any), from, to,
  // alarms only (0/1), limit (-1: none). Columns: those of `signals` from
  // series_id to batch_id, then revisions, indicator and region.
  Statement signals_oldest_first, signals_newest_first;
  Statement series_checkpoints, indicator_checkpoints;
};

Status PrepareWrites(Database& db, WriteStatements& statements);
Status PrepareReads(Database& db, ReadStatements& statements);

}  // namespace vigil::sqlite
