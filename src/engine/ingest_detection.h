// Detection during ingest: an IngestObserver that runs the DetectionEngine over
// every observation an Ingestor writes, and stores what it finds (signals and
// checkpoints) in the same transaction as the observations, so both are
// committed, or rolled back, together.
//
// - Stream samples are judged as they are appended. Periods close just before
//   a batch commits, as far as the watermarks then allow: a batch is the unit
//   of arrival, and a value for a period closed by an earlier batch is late
//   and re-judges that period (a revised signal: its stored row is updated).
//   A batch holding more than kMaxPendingValues open periodic values closes
//   the periods before the newest as it goes, so memory stays bounded.
// - Evaluated signals are stored; one the detector could not evaluate (no
//   baseline yet, missing data) only when it re-judges a period, so that a
//   stored verdict never goes stale.
// - Indicators without detectors are not followed.
// - Signals are offered to the warning stage, if there is one; it writes its
//   events and notifications in the same transaction.
// - The streaming states of stream series are checkpointed whole only once
//   the journal (store.h, StreamSample) holds as many samples as the journal
//   limit; until then each batch appends the stream samples it judged. A
//   batch of 1,000 readings from 1,000 sensors so writes 32 KB of journal
//   rather than 1,000 states of up to 4 KB each; a restart replays at most
//   the limit's samples.
// - After a rollback the engine is rebuilt from the store's committed series,
//   checkpoints and journal, exactly as after a restart.
//
// Not thread-safe: it runs on the ingesting thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "engine/engine.h"
#include "engine/warning_stage.h"
#include "ingest/ingestor.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace vigil {

struct DetectionCounts {
  std::int64_t signals = 0;  // rows written, revised ones included
  std::int64_t alarms = 0;
  std::int64_t revised = 0;  // re-judged periods
};

class IngestDetection final : public IngestObserver {
 public:
  static constexpr std::int64_t kMaxPendingValues = 1 << 20;
  // The default journal limit: 64 samples per stream series followed (a
  // state of up to 4 KB against 32 bytes a sample), within these bounds.
  static constexpr std::int64_t kJournalPerSeries = 64;
  static constexpr std::int64_t kMinJournal = 1 << 16;
  static constexpr std::int64_t kMaxJournal = 1 << 22;

  // Builds the engine for the catalogue's detectors and restores it from the
  // store's committed series, checkpoints and journal. Borrows all three.
  // With `warnings`, every signal is offered to that stage, which writes its
  // events in the batch's transaction. `journal_limit` > 0 replaces the
  // default limit. Errors: detector parameters a method refuses, store
  // errors.
  static Result<std::unique_ptr<IngestDetection>> Open(const Catalogue& catalogue, Store& store,
                                                       WarningStage* warnings = nullptr,
                                                       std::int64_t journal_limit = 0);

  Status OnSeries(SeriesId id, const SeriesKey& key) override;
  Status OnAppended(StoreTransaction& transaction, const Observation& observation,
                    AppendOutcome outcome) override;
  Status BeforeCommit(StoreTransaction& transaction) override;
  void OnCommitted(const BatchRecord& batch) override;
  void OnRolledBack() override;

  // What the committed batches of this object's lifetime produced.
  const DetectionCounts& committed() const { return committed_; }

 private:
  class TransactionSink;

  IngestDetection(const Catalogue& catalogue, Store& store, WarningStage* warnings,
                  std::int64_t journal_limit)
      : catalogue_(catalogue), store_(store), warnings_(warnings), journal_limit_(journal_limit) {}
  // A new engine, restored from what the store has committed.
  Status Rebuild();
  Status AddSeries(SeriesId id, const SeriesKey& key);
  // "name=value name=value ..." of `detector`, formatted once.
  const std::string& ParamsOf(const Detector& detector);
  // Journal samples at which the next batch checkpoints stream states whole.
  std::int64_t JournalLimit() const;

  const Catalogue& catalogue_;
  Store& store_;
  WarningStage* warnings_;
  std::unique_ptr<DetectionEngine> engine_;
  // The keys of followed series, for the warning stage (node-based: the
  // stage holds pointers to them until the batch ends).
  std::unordered_map<SeriesId, SeriesKey> keys_;
  Status failed_;  // a rebuild that failed: every later call returns it
  DetectionCounts batch_;
  DetectionCounts committed_;
  // Open values at which OnAppended next closes periods: kMaxPendingValues
  // above what the last close left, so a newest period that alone holds that
  // many values is not re-scanned on every observation.
  std::int64_t close_at_ = kMaxPendingValues;
  std::unordered_map<const Detector*, std::string> params_;
  // Journalling: the limit given to Open (0: the default), the stream series
  // followed, the samples in the committed journal and those of the open batch.
  const std::int64_t journal_limit_;
  std::int64_t stream_series_ = 0;
  std::int64_t journaled_ = 0;
  std::vector<StreamSample> samples_;
  SignalRecord record_;      // reused for every signal: its strings keep their capacity
  Checkpoints checkpoints_;  // reused for every batch: its state buffers keep their capacity
};

}  // namespace vigil
