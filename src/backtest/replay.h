// Replaying history through the live pipeline: observation files are read,
// ordered by the time each observation would have become available, and fed
// batch by batch through IngestPipeline (ingest, detection, the warning
// stage) into a fresh in-memory store, with a FakeClock at each batch's time.
// Between batches the warnings are ticked as `vigil deliver --follow` would,
// so acknowledgement deadlines and escalations happen at simulated time.
// Nothing here judges data or warnings itself: what the replay returns is
// what the pipeline stored.
//
// Not thread-safe; borrows the catalogue for the call only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "ingest/sources.h"
#include "model/catalogue.h"
#include "model/observation.h"
#include "store/store.h"
#include "warn/warning.h"

namespace vigil::backtest {

// One observation row read from a data file, normalised to the columns
// indicator,region,time,value,denominator,source.
struct ReplayRow {
  Timestamp available;  // when the replay delivers it: see AvailableAt
  Timestamp time;       // its event time (period start or sample time)
  std::int32_t file = 0;
  std::int64_t line = 0;
  std::string csv;  // the normalised CSV line, with its line end
};

// When an observation of `time` arrives in a replay: a period's value once
// the period has ended (a week's count on the following Monday), a stream
// sample at once.
Timestamp AvailableAt(Timestamp time, Frequency frequency);

// Reads observation files, CSV or JSON Lines as `vigil ingest` reads them,
// into rows ordered by availability, then file order, then line. Rows with an
// event time after `to` are left out. Each record is validated as ingest
// validates it; errors name the input, line and field (an unknown indicator
// or region, a time not in the indicator's form, a value that is not a
// number, a missing column).
Result<std::vector<ReplayRow>> ReadReplayRows(const Catalogue& catalogue,
                                              std::span<const InputSpec> files,
                                              std::optional<Timestamp> to);

struct ReplayOptions {
  // Tick the warnings every `tick` between batches while a warning is active
  // (0: only at each batch, where the stage ticks anyway).
  Duration tick{0};
  // Called after each batch with the batches done and the total.
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

// The signals of one series, in time order.
struct SeriesSignals {
  SeriesKey key;
  std::vector<SignalRecord> signals;
};

struct ReplayResult {
  std::vector<SeriesSignals> series;  // in series id order
  std::vector<warn::Event> events;    // the warning log, in sequence order
  std::int64_t batches = 0;
  std::int64_t records = 0;
  std::int64_t ticks = 0;  // ticks between batches
  Timestamp end;           // the clock after the last batch
};

// Replays `rows` (as ReadReplayRows orders them) into a new in-memory store.
// Errors: a record the ingest validation rejects (naming the batch), the
// pipeline's.
Result<ReplayResult> Replay(const Catalogue& catalogue, std::span<const ReplayRow> rows,
                            const ReplayOptions& options);

}  // namespace vigil::backtest
