// Observations and signals packed many rows to a blob: the rows of one
// batch are one row of `recent_observation_blocks` or `recent_signal_blocks`
// (migrations.cc, version 9), where a row each cost two B-tree inserts; the
// rows a fold moves out of them are one row of `observation_series_blocks`
// or `signal_series_blocks` per series and detector (version 10). Internal
// to the sqlite adapter.
//
// Reads see a block's rows through the table-valued functions
// observation_block(seq), signal_block(seq), observation_series_block(seq)
// and signal_series_block(seq), one for each of those tables, registered on
// each connection, whose columns are those of `observations` and `signals`:
//   SELECT o.time FROM recent_observation_blocks b, observation_block(b.seq) o
//   WHERE o.series_id = ?1
// They read the block with incremental blob I/O; a constraint series_id =
// value searches the block's directory, and only the rows around that series
// are read and decoded.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace vigil::sqlite {

// A row of `observations` as stored (times in nanoseconds, ids).
struct ObservationRow {
  std::int64_t series = 0;
  std::int64_t time = 0;
  double value = 0;
  std::optional<double> denominator;
  std::int64_t source_id = 0;
  std::int64_t arrived = 0;
  std::int64_t batch_id = 0;
  std::int64_t version = 0;
  friend bool operator==(const ObservationRow&, const ObservationRow&) = default;
};

// A row of `signals` as stored.
struct SignalRow {
  std::int64_t series = 0;
  std::int64_t detector = 0;
  std::int64_t time = 0;
  std::int64_t method_id = 0;
  std::optional<double> observed;
  std::optional<double> expected;
  std::optional<double> upperbound;
  std::optional<double> score;
  bool alarm = false;
  std::int64_t level = 0;
  std::optional<std::int64_t> baseline_from;
  std::optional<std::int64_t> baseline_to;
  std::string note;
  std::int64_t batch_id = 0;
  std::int64_t revisions = 0;
  friend bool operator==(const SignalRow&, const SignalRow&) = default;
};

// A row's key, with time in nanoseconds; observations have detector 0.
// Blocks hold their rows in its order, and the writer finds them by it.
struct RowKey {
  std::int64_t series = 0;
  std::int64_t detector = 0;
  std::int64_t time = 0;
  friend auto operator<=>(const RowKey&, const RowKey&) = default;
};

inline RowKey KeyOf(const ObservationRow& r) { return {r.series, 0, r.time}; }
inline RowKey KeyOf(const SignalRow& r) { return {r.series, r.detector, r.time}; }

// Replaces `out` with the rows packed in key order; keys must be unique.
void PackRows(std::span<const ObservationRow> rows, std::vector<std::byte>& out);
void PackRows(std::span<const SignalRow> rows, std::vector<std::byte>& out);

// Appends the rows of a packed block to `out`: only those of `series` when
// given. Corruption when the bytes are not a block.
Status UnpackRows(std::span<const std::byte> block, std::optional<std::int64_t> series,
                  std::vector<ObservationRow>& out);
Status UnpackRows(std::span<const std::byte> block, std::optional<std::int64_t> series,
                  std::vector<SignalRow>& out);

// Registers the four functions on the connection.
Status RegisterBlockFunctions(sqlite3* db);

}  // namespace vigil::sqlite
