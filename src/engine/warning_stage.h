// The warning stage of the pipeline: feeds detector signals, clock ticks and
// operator actions to the warning state machine (warn/machine.h) and keeps
// its event log and the notifications it asks for (the outbox) in the store,
// written in the same transaction as whatever caused them.
//
// - The state is the replay of the stored log, so a restart, or a rollback,
//   resumes exactly where the committed log ends.
// - Only fresh signals feed warnings: a signal counts when the period it
//   judged ended (a sample: was taken) no longer before the batch's first
//   signal than the indicator's allowed lateness plus its policy's
//   expire_after, the time a warning lives without support. Older history, arriving in bulk (a
//   backfill) or as a late revision, updates the stored signals but raises nothing; with
//   --now, a replay sees the history as fresh as it was then. Fresh signals
//   are held until the batch ends and fed in period order, so the warnings
//   do not depend on how the input was cut into batches.
// - Every step runs at the clock's time: ingest batches, actions and ticks.
//
// Not thread-safe: it runs on the ingesting (or acting) thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "engine/signal.h"
#include "model/catalogue.h"
#include "store/store.h"
#include "warn/gate.h"
#include "warn/machine.h"
#include "warn/rules.h"

namespace vigil {

struct WarningCounts {
  std::int64_t events = 0;
  std::int64_t warning_changes = 0;  // events of a warning, not evidence or silences: CAP changes
  std::int64_t notifications = 0;    // outbox items enqueued
};

// A stored event decoded; Internal naming its sequence number when it does not decode.
Result<warn::Event> DecodeStoredEvent(const WarningEventRecord& record);

class WarningStage {
 public:
  // Compiles the catalogue's warning rules and replays the stored log.
  // Borrows all three. Errors: the store's, or a stored event that does not decode.
  static Result<std::unique_ptr<WarningStage>> Open(const Catalogue& catalogue, Store& store,
                                                    const Clock& clock);
  ~WarningStage();

  // A signal from detection for a series with `key`, which must stay valid
  // until Write or OnRolledBack. Cheap: kept for the end of the batch if it
  // is fresh and may change a warning (warn::SignalGate::Inert), dropped
  // otherwise.
  void Offer(const SeriesKey& key, const Signal& signal);

  // One step at the clock's time (an operator action, or a tick); its events
  // wait for Write. Errors: the state machine's refusal of an action.
  Result<warn::StepResult> Step(const warn::Input& input);

  // Feeds the fresh signals offered since the last write, ticks, and writes
  // every event and notification of this batch into `transaction`.
  Status Write(StoreTransaction& transaction);
  // After the transaction Write used committed, or rolled back (which
  // replays the committed log again).
  void OnCommitted();
  Status OnRolledBack();

  // Catches up with events another process committed since this stage read
  // the log (a long-running process beside `vigil ingest`). Call between
  // batches. Two writers that step at once conflict on sequence numbers: the
  // later transaction fails with AlreadyExists and nothing is lost.
  Status Refresh();

  const warn::State& state() const { return state_; }
  const warn::Rules& rules() const { return *rules_; }
  // Events and notifications of the batch being written, then committed.
  const warn::StepResult& pending() const { return pending_; }
  const WarningCounts& committed() const { return committed_; }

 private:
  struct Held;
  struct Feed;  // per indicator with a policy: the freshness horizon

  WarningStage(const Catalogue& catalogue, Store& store, const Clock& clock);
  // The feeds' newest periods and the state, from what the store has committed.
  Status Reload();
  Status Replay();
  // Adds a step's events and notifications to the batch, with the outbox
  // items that deliver the notifications.
  Status Keep(warn::StepResult&& result);
  Status FeedFresh();

  const Catalogue& catalogue_;
  Store& store_;
  const Clock& clock_;
  std::unique_ptr<warn::Rules> rules_;
  warn::SignalGate gate_;  // by SeriesId
  warn::State state_;
  std::vector<Feed> feeds_;  // by catalogue indicator position
  std::vector<Held> held_;   // fresh signals offered since the last write
  static constexpr std::int32_t kUnresolved = -2;
  static constexpr std::int32_t kNoFeed = -1;
  // Per series: its indicator's position in feeds_, resolved at its first
  // signal so that offering one costs no lookup by name, and the batch in
  // which it last had a signal held.
  struct SeriesFeed {
    std::int32_t feed = kUnresolved;
    std::uint32_t held_in = 0;
  };
  std::vector<SeriesFeed> series_;       // by SeriesId
  std::uint32_t batch_number_ = 1;       // counts the batches fed
  std::optional<Timestamp> offered_at_;  // the clock at the batch's first offer
  warn::StepResult pending_;
  std::vector<OutboxItem> outbox_;
  WarningCounts batch_;
  WarningCounts committed_;
};

}  // namespace vigil
