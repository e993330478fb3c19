// SignalGate: drops, before anything is looked up by name, the signals that
// would change nothing — a source (one detector of one series) repeating the
// level it last recorded within its policy's refresh_every, or saying 0 while
// it holds no evidence — and steps the others. Most signals of a quiet stream
// are such repeats, so this is what keeps warning evaluation cheap beside
// detection (docs/PERFORMANCE.md, "Warnings").
//
// The caller numbers its series (slots); the gate resolves each slot's
// indicator rules once and keeps what it knows of every source in one flat
// array. What it remembers of a source is what the state recorded, and holds
// while State::evidence_epoch is unchanged; Reset() after the state is
// replaced. The events are exactly those of calling Step() on every signal
// (gate_test.cc).
//
// Not thread-safe; one gate per State.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "warn/machine.h"

namespace vigil::warn {

class SignalGate {
 public:
  explicit SignalGate(const Rules& rules) : rules_(rules) {}

  // True when the signal of `slot`'s `detector` certainly changes nothing,
  // so the caller need not build its input. Cheap: two array reads.
  bool Quiet(const State& state, size_t slot, int detector, const Evaluation& evaluation,
             Timestamp now) const;

  // Steps `input`, the signal of series `slot`, unless it changes nothing,
  // and appends what the step did to `out`. The slot's indicator is
  // input.indicator the first time it is seen, and must stay the same.
  // Errors: Step's.
  Status Step(State& state, size_t slot, const SignalInput& input, Timestamp now, StepResult& out);

  // Forgets every source: the state was rebuilt.
  void Reset();

 private:
  struct Slot {
    const IndicatorRules* rules = nullptr;  // nullptr: no policy, nothing to warn
    std::uint32_t first = 0;                // its sources in sources_, one per detector
    bool bound = false;
  };
  struct Source {
    std::int64_t at_ns = 0;   // when the source's evidence was recorded
    std::int64_t epoch = -1;  // State::evidence_epoch then; -1: nothing known
    int level = 0;            // the source's evidence level in the state; 0: none
  };

  // True when the source is known to hold `level` already and needs no refresh.
  bool Unchanged(const State& state, const Slot& slot, int detector, int level,
                 Timestamp now) const;

  const Rules& rules_;
  std::vector<Slot> slots_;
  std::vector<Source> sources_;
};

}  // namespace vigil::warn
