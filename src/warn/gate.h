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
  // so the caller need not build its input. Cheap (two array reads), and
  // inline, as it runs on every signal.
  bool Quiet(const State& state, size_t slot, int detector, const Evaluation& evaluation,
             Timestamp now) const {
    return Judge(state, slot, detector, evaluation, now) != Verdict::kStep;
  }
  // True when the signal says nothing (unjudged, or no policy) or says 0 of a
  // source that holds no evidence. Unlike Quiet, this stays true whatever
  // other sources' signals are stepped first: only a source's own signals
  // give it evidence, and nothing else adds any. So a caller that holds
  // signals to step them later may drop these at once, unless it already
  // holds one of the same source.
  bool Inert(const State& state, size_t slot, int detector, const Evaluation& evaluation) const {
    const Verdict v = Judge(state, slot, detector, evaluation, Timestamp{});
    return v == Verdict::kNothing || v == Verdict::kNoEvidence;
  }

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
    std::uint16_t detectors = 0;            // how many; 0 without rules
    bool bound = false;
  };
  // What the state held for a source, valid while the state's
  // evidence_epoch is the one recorded. Eight bytes, and its time apart: a
  // quiet stream reads one of these per signal, so its size is the gate's
  // memory traffic. The epoch is kept modulo 2^32; epoch_high_ holds the rest,
  // and every record is forgotten when that changes.
  struct Source {
    std::uint32_t epoch = 0;
    int level = -1;  // the source's evidence level in the state; 0 none; -1 nothing known
  };
  enum class Verdict {
    kStep,        // may change the state (or nothing known): step it
    kNothing,     // says nothing: no policy, or not judged
    kNoEvidence,  // says 0, and the source holds no evidence
    kUnchanged,   // repeats the source's level within refresh_every
  };
  Verdict Judge(const State& state, size_t slot, int detector, const Evaluation& evaluation,
                Timestamp now) const {
    if (slot >= slots_.size() || !slots_[slot].bound) {
      return Verdict::kStep;
    }
    const Slot& s = slots_[slot];
    if (static_cast<unsigned>(detector) >= s.detectors) {
      return Verdict::kNothing;
    }
    const int level = Rules::LevelFor(*s.rules, detector, evaluation);
    if (level < 0) {
      return Verdict::kNothing;
    }
    if (!Unchanged(state, s, detector, level, now)) {
      return Verdict::kStep;
    }
    return level == 0 ? Verdict::kNoEvidence : Verdict::kUnchanged;
  }
  // True when the source is known to hold `level` already and needs no refresh.
  bool Unchanged(const State& state, const Slot& slot, int detector, int level,
                 Timestamp now) const {
    const std::uint32_t at = slot.first + static_cast<std::uint32_t>(detector);
    const Source& source = sources_[at];
    return source.level == level &&
           source.epoch == static_cast<std::uint32_t>(state.evidence_epoch) &&
           (state.evidence_epoch >> 32) == epoch_high_ &&
           (level == 0 || now.time_since_epoch().count() - at_ns_[at] <
                              slot.rules->policy->refresh_every.count());
  }

  const Rules& rules_;
  std::vector<Slot> slots_;
  std::vector<Source> sources_;
  std::vector<std::int64_t> at_ns_;  // beside sources_: when the evidence was recorded
  std::int64_t epoch_high_ = 0;      // evidence_epoch >> 32 of every record in sources_
};

}  // namespace vigil::warn
