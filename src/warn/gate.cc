#include "warn/gate.h"

#include <algorithm>
#include <iterator>

namespace vigil::warn {

bool SignalGate::Unchanged(const State& state, const Slot& slot, int detector, int level,
                           Timestamp now) const {
  const Source& source = sources_[slot.first + static_cast<std::uint32_t>(detector)];
  return source.epoch == state.evidence_epoch && source.level == level &&
         (level == 0 || now.time_since_epoch().count() - source.at_ns <
                            slot.rules->policy->refresh_every.count());
}

bool SignalGate::Quiet(const State& state, size_t slot, int detector, const Evaluation& evaluation,
                       Timestamp now) const {
  if (slot >= slots_.size() || !slots_[slot].bound) {
    return false;
  }
  const Slot& s = slots_[slot];
  if (s.rules == nullptr || detector < 0 ||
      detector >= static_cast<int>(s.rules->reports_level.size())) {
    return true;
  }
  const int level = Rules::LevelFor(*s.rules, detector, evaluation);
  return level < 0 || Unchanged(state, s, detector, level, now);
}

Status SignalGate::Step(State& state, size_t slot, const SignalInput& input, Timestamp now,
                        StepResult& out) {
  if (slot >= slots_.size()) {
    slots_.resize(std::max(slot + 1, 2 * slots_.size()));
  }
  Slot& s = slots_[slot];
  if (!s.bound) {
    s.bound = true;
    s.rules = rules_.FindIndicator(input.indicator);
    s.first = static_cast<std::uint32_t>(sources_.size());
    if (s.rules != nullptr) {
      sources_.resize(sources_.size() + s.rules->reports_level.size());
    }
  }
  if (s.rules == nullptr || input.detector < 0 ||
      input.detector >= static_cast<int>(s.rules->reports_level.size())) {
    return Status::Ok();
  }
  const int level = Rules::LevelFor(*s.rules, input.detector, input.evaluation);
  if (level < 0 || Unchanged(state, s, input.detector, level, now)) {
    return Status::Ok();
  }
  VIGIL_ASSIGN_OR_RETURN(StepResult result, warn::Step(rules_, state, input, now));
  std::move(result.events.begin(), result.events.end(), std::back_inserter(out.events));
  std::move(result.notifications.begin(), result.notifications.end(),
            std::back_inserter(out.notifications));
  // What the state now holds for this source.
  Source& source = sources_[s.first + static_cast<std::uint32_t>(input.detector)];
  source = Source{.epoch = state.evidence_epoch};
  const WarningKeyView key{s.rules->indicator->domain, input.region, s.rules->hazard->hazard};
  if (const Cell* cell = state.Find(key)) {
    for (const Evidence& e : cell->evidence) {
      if (e.source == input.indicator && e.detector == input.detector) {
        source.level = e.level;
        source.at_ns = e.at.time_since_epoch().count();
      }
    }
  }
  return Status::Ok();
}

void SignalGate::Reset() {
  slots_.clear();
  sources_.clear();
}

}  // namespace vigil::warn
