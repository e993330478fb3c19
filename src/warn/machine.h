// The warning state machine: Step(rules, state, input, now) turns a signal, a
// clock tick or an operator action into events and notifications.
//
// Pure: no I/O, no clock reads, no randomness; ids are derived from the keys
// and counters in the state, so the same inputs give the same events. The
// state is changed only by Apply()ing the events Step returns, so folding the
// log with Replay() rebuilds it exactly. Step updates `state` in place rather
// than returning a copy, so a signal that changes nothing costs a few hash
// lookups and no allocation.
//
// Thread safety: none; one State belongs to one caller. Rules may be shared.
// Lifecycle and rules in docs/WARNINGS.md.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "detect/detector.h"
#include "warn/rules.h"
#include "warn/warning.h"

namespace vigil::warn {

// A detector's verdict on one period of one series (indicator in region).
// The views must stay valid for the Step call only.
struct SignalInput {
  std::string_view indicator;
  std::string_view region;
  int detector = 0;  // index into the indicator's detectors
  Timestamp period;  // the period (or sample) judged
  bool revised = false;
  Evaluation evaluation;
};

// Time has advanced to `now`: hysteresis, expiry, promotion delays,
// acknowledgement deadlines and silence ends are checked.
struct Tick {};

enum class ActionKind { kIssue, kUpdate, kCancel, kAcknowledge, kSilence, kExpireSilence };

// What an operator does by hand. Every action needs an actor; issue, update,
// cancel, silence and expire-silence need a reason.
struct OperatorAction {
  ActionKind kind = ActionKind::kIssue;
  std::string actor;
  std::string reason;
  WarningKey key;                  // issue, update, cancel, acknowledge
  int level = 0;                   // issue, update: 1..4
  std::optional<Timestamp> until;  // issue, update: hand control back to the evidence then
                                   // (default now + expire_after); silence: its end (required)
  Silence silence;                 // silence: the matchers; expire-silence: the id
};

using Input = std::variant<SignalInput, Tick, OperatorAction>;

struct StepResult {
  std::vector<Event> events;
  std::vector<Notification> notifications;
};

// Errors (state unchanged): InvalidArgument for an action with a bad level,
// missing actor or reason, unknown region or hazard; FailedPrecondition for an
// action that does not fit the state (issuing over an active warning,
// updating, cancelling or acknowledging none, an unknown silence).
Result<StepResult> Step(const Rules& rules, State& state, const Input& input, Timestamp now);

// Folds one event into the state.
void Apply(State& state, const Event& event);
// The state the events lead to from an empty one.
State Replay(std::span<const Event> events);

}  // namespace vigil::warn
