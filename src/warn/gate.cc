#include "warn/gate.h"

#include <algorithm>
#include <iterator>

namespace vigil::warn {

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
      s.detectors = static_cast<std::uint16_t>(s.rules->reports_level.size());
      sources_.resize(sources_.size() + s.detectors);
      at_ns_.resize(sources_.size());
    }
  }
  if (Judge(state, slot, input.detector, input.evaluation, now) != Verdict::kStep) {
    return Status::Ok();
  }
  VIGIL_ASSIGN_OR_RETURN(StepResult result, warn::Step(rules_, state, input, now));
  std::move(result.events.begin(), result.events.end(), std::back_inserter(out.events));
  std::move(result.notifications.begin(), result.notifications.end(),
            std::back_inserter(out.notifications));
  if ((state.evidence_epoch >> 32) != epoch_high_) {
    std::fill(sources_.begin(), sources_.end(), Source{});
    epoch_high_ = state.evidence_epoch >> 32;
  }
  // What the state now holds for this source.
  const std::uint32_t at = s.first + static_cast<std::uint32_t>(input.detector);
  Source& source = sources_[at];
  source = Source{.epoch = static_cast<std::uint32_t>(state.evidence_epoch), .level = 0};
  at_ns_[at] = 0;
  const WarningKeyView key{s.rules->indicator->domain, input.region, s.rules->hazard->hazard};
  if (const Cell* cell = state.Find(key)) {
    for (const Evidence& e : cell->evidence) {
      if (e.source == input.indicator && e.detector == input.detector) {
        source.level = e.level;
        at_ns_[at] = e.at.time_since_epoch().count();
      }
    }
  }
  return Status::Ok();
}

void SignalGate::Reset() {
  slots_.clear();
  sources_.clear();
  at_ns_.clear();
}

}  // namespace vigil::warn
