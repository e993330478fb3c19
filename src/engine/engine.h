// The detection engine: runs every indicator's detectors over every series as
// observations arrive, and keeps the per-series state that makes that O(1).
//
// - Stream indicators: streaming detectors judge each sample at once, in event
//   time order; a sample older than the series' newest is stored but not judged.
// - Periodic indicators (hourly, daily, weekly, monthly): values wait until their
//   period closes. The watermark is the newest event time of the indicator minus
//   its allowed lateness; CloseReady() judges every period whose start it has
//   reached, for every series of the indicator (a series with no value for a
//   closed period is judged as missing, never zero). A value that arrives for a
//   period already closed (late, or a revision) updates the history and the
//   periodic detectors re-judge that period, emitting a revised signal.
//
// Checkpoints (store.h) hold what cannot be rebuilt from the store (streaming
// detector state, watermarks, the fingerprint of the detector configuration:
// a change resets the streaming states once); histories are re-read from the
// store on Restore(). Streaming states may be checkpointed less often than
// they change, with the samples judged since written to a journal and
// replayed by Restore(). With checkpoints and journal written in the same
// transaction as the observations, detection resumes after a restart exactly
// where it stopped.
//
// Not thread-safe: one thread drives an engine (partition series for more).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "detect/detector.h"
#include "engine/signal.h"
#include "model/catalogue.h"
#include "model/observation.h"
#include "store/store.h"

namespace vigil {

struct EngineStats {
  std::int64_t observations = 0;  // observations seen (inserted or revised)
  std::int64_t evaluations = 0;   // detector evaluations made
  std::int64_t periods_closed = 0;
  std::int64_t late = 0;          // values for periods already closed (re-judged)
  std::int64_t out_of_order = 0;  // stream samples older than the series' newest (not judged)
};

class DetectionEngine {
 public:
  // Builds every indicator's detectors. Errors: a detector the catalogue
  // validation should have rejected (parameters a method refuses).
  static Result<std::unique_ptr<DetectionEngine>> Create(const Catalogue& catalogue);
  ~DetectionEngine();

  // Makes a series known (idempotent). Errors: unknown indicator.
  Status AddSeries(SeriesId id, const SeriesKey& key);

  // Feeds one observation the store accepted with `outcome`. The series must have
  // been added. Stream samples are judged here; periodic values wait for CloseReady.
  void Observe(const Observation& observation, AppendOutcome outcome, SignalSink& sink);

  // Judges every period the watermarks have passed.
  // With `hold_back` > 0, that many of the newest periods the watermark allows
  // stay open (to bound memory within a large batch without closing a period
  // whose values are still arriving).
  void CloseReady(SignalSink& sink, std::int64_t hold_back = 0);

  // Replaces the contents of `series` and `indicators` with checkpoints of
  // what changed since the last call, reusing their elements' storage. With
  // `streams` false, the series of stream indicators are left out (they stay
  // changed, for a later call): a caller journals the stream samples instead
  // (FollowsStream) and Restore() replays them. Returns whether the stream
  // series are in: always with `streams`, and also without it after Restore()
  // reset states for a changed configuration, which must be written whole.
  bool TakeCheckpoints(std::vector<SeriesCheckpoint>& series,
                       std::vector<IndicatorCheckpoint>& indicators, bool streams = true);
  // Restores checkpoints taken earlier (series must have been added first),
  // replays the journal onto the stream series' states (signals are not made
  // again), and re-reads periodic histories and pending values from `store`.
  Status Restore(const Checkpoints& checkpoints, Store& store);
  // Whether `series` was added and belongs to a stream indicator: its samples
  // are what a journal between stream checkpoints holds.
  bool FollowsStream(SeriesId series) const;

  // The detector that produced `signal` (a signal of this engine): its method
  // and the parameters it runs with, defaults included.
  const Detector& DetectorOf(const Signal& signal) const;

  const EngineStats& stats() const { return stats_; }
  // Values of periods not yet closed, over all series: what CloseReady frees.
  std::int64_t pending_values() const { return pending_values_; }

 private:
  struct IndicatorRuntime;
  struct SeriesRuntime;

  DetectionEngine() = default;
  void ObserveStream(SeriesRuntime& s, IndicatorRuntime& ind, const Observation& o,
                     SignalSink& sink);
  void ObservePeriodic(SeriesRuntime& s, IndicatorRuntime& ind, const Observation& o,
                       SignalSink& sink);
  void ClosePeriod(IndicatorRuntime& ind, std::int64_t period, SignalSink& sink);
  void JudgeStreaming(SeriesRuntime& s, IndicatorRuntime& ind, const Point& p, SignalSink& sink);
  void JudgePeriodic(SeriesRuntime& s, IndicatorRuntime& ind, std::int64_t period, bool revised,
                     SignalSink& sink);
  Status RestoreHistory(SeriesRuntime& s, IndicatorRuntime& ind, Store& store);
  // Restore()'s replay: the journal's samples onto the stream series' states,
  // except those of indicators `reset` (by index) for a changed configuration.
  void ReplayJournal(std::span<const StreamSample> journal, const std::vector<bool>& reset);
  void MarkDirty(SeriesRuntime& s);

  std::vector<std::unique_ptr<IndicatorRuntime>> indicators_;
  std::map<std::string, std::size_t, std::less<>> indicator_by_id_;
  std::vector<std::unique_ptr<SeriesRuntime>> series_;
  std::vector<std::int32_t> slot_by_id_;  // SeriesId -> index into series_, -1 if unknown
  std::vector<std::int32_t> dirty_;
  // Restore() reset the states of a stream indicator: the next checkpoint
  // holds them whole, so that the journal never replays onto stale states.
  bool stream_reset_pending_ = false;
  EngineStats stats_;
  std::int64_t pending_values_ = 0;
};

}  // namespace vigil
