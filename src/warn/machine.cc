#include "warn/machine.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <tuple>

#include "warn/stepper.h"

namespace vigil::warn {
namespace internal {
namespace {

const Evidence* FindEvidence(const Cell& cell, std::string_view source, int detector) {
  for (const Evidence& e : cell.evidence) {
    if (e.detector == detector && e.source == source) {
      return &e;
    }
  }
  return nullptr;
}

Warning* ActiveWarning(State& state, const WarningKey& key) {
  auto it = state.cells.find(key);
  if (it == state.cells.end() || !it->second.warning || !it->second.warning->active()) {
    return nullptr;
  }
  return &*it->second.warning;
}

}  // namespace

StepResult Stepper::Take() {
  // Only a warning or silence that changed can end a mute.
  if (mutes_may_have_ended_) {
    ReleaseHeld();
  }
  return std::move(result_);
}

void Stepper::Emit(Event event) {
  event.seq = state_.next_seq;
  event.at = now_;
  mutes_may_have_ended_ = mutes_may_have_ended_ || event.kind != EventKind::kEvidence;
  Apply(state_, event);
  result_.events.push_back(std::move(event));
}

Event Stepper::WarningEvent(EventKind kind, const Warning& warning, std::string_view actor,
                            std::string reason, int previous_level) const {
  Event e{
      .kind = kind, .actor = std::string(actor), .reason = std::move(reason), .key = warning.key};
  e.warning = warning;
  e.previous_level = previous_level;
  if (const Cell* cell = state_.Find(WarningKeyEqual::View(warning.key))) {
    e.signals = cell->evidence;
  }
  return e;
}

const HazardRules& Stepper::HazardOf(const WarningKey& key) const {
  // Keys only come from indicators with a policy or actions checked against one.
  return *rules_.FindHazard(key.domain, key.hazard);
}

// The hot path: a signal that neither changes a source's level nor is due
// for a refresh returns after two hash lookups, without allocating.
void Stepper::OnSignal(const SignalInput& s) {
  const IndicatorRules* rules = rules_.FindIndicator(s.indicator);
  if (rules == nullptr) {
    return;
  }
  const int level = Rules::LevelFor(*rules, s.detector, s.evaluation);
  if (level < 0) {
    return;
  }
  const WarningKeyView view{rules->indicator->domain, s.region, rules->hazard->hazard};
  const Cell* cell = state_.Find(view);
  const Evidence* previous =
      cell == nullptr ? nullptr : FindEvidence(*cell, s.indicator, s.detector);
  if (previous == nullptr
          ? level == 0
          : previous->level == level && now_ - previous->at < rules->policy->refresh_every) {
    return;
  }
  if (rules_.catalogue().FindRegion(s.region) == nullptr) {
    return;  // not a region of this workspace: nothing to warn
  }
  const Evaluation& ev = s.evaluation;
  Evidence evidence{.source = std::string(s.indicator),
                    .detector = s.detector,
                    .level = level,
                    .at = now_,
                    .period = s.period,
                    .score = ev.score,
                    .observed = ev.observed,
                    .expected = ev.expected,
                    .threshold = ev.upperbound,
                    .revised = s.revised};
  const std::string reason =
      previous == nullptr || previous->level != level
          ? fmt::format("{} detector {} reached {}", s.indicator, s.detector, LevelColour(level))
          : fmt::format("{} detector {} still at {}", s.indicator, s.detector, LevelColour(level));
  const WarningKey key{std::string(view.domain), std::string(view.region),
                       std::string(view.hazard)};
  SetEvidence(key, std::move(evidence), reason);
  Evaluate(key);
}

void Stepper::SetEvidence(const WarningKey& key, Evidence evidence, std::string reason) {
  std::vector<Evidence> after;
  if (const Cell* cell = state_.Find(WarningKeyEqual::View(key))) {
    after = cell->evidence;
  }
  std::erase_if(after, [&](const Evidence& e) {
    return e.source == evidence.source && e.detector == evidence.detector;
  });
  if (evidence.level > 0) {
    after.push_back(evidence);
  }
  Event e{.kind = EventKind::kEvidence,
          .actor = std::string(kSystemActor),
          .reason = std::move(reason),
          .key = key,
          .evidence = std::move(evidence)};
  e.combined_level = Combine(key, after);
  Emit(std::move(e));
}

// The k-th highest of the indicators' levels (any: k = 1, all: k = n), each
// an indicator's highest detector level within the window; the child
// regions' level counts on its own.
int Stepper::Combine(const WarningKey& key, const std::vector<Evidence>& evidence) const {
  const HazardRules& hazard = HazardOf(key);
  const WarningPolicy& policy = *hazard.policy;
  int children = 0;
  std::vector<int> levels;
  for (const std::string& indicator : hazard.indicators) {
    int level = 0;
    for (const Evidence& e : evidence) {
      if (e.source == indicator && now_ - e.at < policy.CombineWindow()) {
        level = std::max(level, e.level);
      }
    }
    levels.push_back(level);
  }
  for (const Evidence& e : evidence) {
    if (e.source == kChildRegionsSource) {
      children = e.level;
    }
  }
  std::sort(levels.begin(), levels.end(), std::greater<>());
  const size_t k = policy.combine == CombineRule::kAny   ? 1
                   : policy.combine == CombineRule::kAll ? levels.size()
                                                         : static_cast<size_t>(policy.combine_k);
  const int combined = k >= 1 && k <= levels.size() ? levels[k - 1] : 0;
  return std::max(combined, children);
}

void Stepper::Age(const WarningKey& key) {
  const Cell* cell = state_.Find(WarningKeyEqual::View(key));
  if (cell == nullptr) {
    return;  // dropped by an earlier key's grouping in this tick
  }
  const Duration window = HazardOf(key).policy->CombineWindow();
  std::vector<Evidence> stale;
  for (const Evidence& e : cell->evidence) {
    if (e.source != kChildRegionsSource && now_ - e.at >= window) {
      stale.push_back(e);
    }
  }
  for (Evidence& e : stale) {
    const std::string reason = fmt::format("{} detector {}: no signal within {}", e.source,
                                           e.detector, FormatDuration(window));
    e.level = 0;
    SetEvidence(key, std::move(e), reason);
  }
}

int Stepper::PromoteTarget(const Cell& cell, const WarningPolicy& policy) const {
  for (int level = cell.level; level >= 1; --level) {
    if (now_ - cell.crossed_at[level - 1] >= policy.promote_after[level - 1]) {
      return level;
    }
  }
  return 0;
}

bool Stepper::Live(const Cell& cell, const WarningPolicy& policy) const {
  return now_ - cell.last_signal < policy.expire_after ||
         std::any_of(cell.evidence.begin(), cell.evidence.end(),
                     [](const Evidence& e) { return e.source == kChildRegionsSource; });
}

void Stepper::Evaluate(const WarningKey& key) {
  const Cell* found = state_.Find(WarningKeyEqual::View(key));
  if (found == nullptr) {
    return;  // no evidence and never warned
  }
  const Cell& cell = *found;
  const WarningPolicy& policy = *HazardOf(key).policy;
  const Warning* warning = ActiveWarning(state_, key);
  if (warning == nullptr) {
    if (const int level = PromoteTarget(cell, policy); level > 0) {
      Issue(key, level, kSystemActor, fmt::format("evidence reached {}", LevelColour(level)), false,
            Timestamp{});
    }
    return;
  }
  if (warning->manual) {
    if (now_ < warning->manual_until) {
      return;
    }
    if (cell.level == 0) {
      End(*warning, EventKind::kExpired, kSystemActor,
          "the manual warning reached its end and no evidence supports it", false);
      return;
    }
    ChangeLevel(*warning, warning->level, kSystemActor,
                "the manual warning reached its end; the evidence decides again", false,
                Timestamp{});
  }
  if (!Live(cell, policy)) {
    End(*warning, EventKind::kExpired, kSystemActor,
        fmt::format("no supporting signal within {}", FormatDuration(policy.expire_after)), false);
    return;
  }
  if (const int up = PromoteTarget(cell, policy); up > warning->level) {
    ChangeLevel(*warning, up, kSystemActor, fmt::format("evidence reached {}", LevelColour(up)),
                false, Timestamp{});
    return;
  }
  int down = warning->level;
  while (down > cell.level && now_ - cell.crossed_at[down - 1] >= policy.DemoteAfter(down)) {
    --down;
  }
  if (down == 0) {
    End(*warning, EventKind::kCancelled, kSystemActor,
        fmt::format("no evidence for {}", FormatDuration(policy.DemoteAfter(1))), false);
  } else if (down < warning->level) {
    ChangeLevel(*warning, down, kSystemActor,
                fmt::format("evidence below {} for {}", LevelColour(warning->level),
                            FormatDuration(policy.DemoteAfter(warning->level))),
                false, Timestamp{});
  } else if (cell.last_signal > warning->changed_at &&
             now_ - warning->changed_at >= policy.expire_after / 2) {
    Renew(*warning);
  }
}

void Stepper::OnTick() {
  std::vector<Silence> ended;
  for (const auto& [id, silence] : state_.silences) {
    if (silence.ends_at <= now_) {
      ended.push_back(silence);
    }
  }
  for (Silence& silence : ended) {
    Emit({.kind = EventKind::kSilenceExpired,
          .actor = std::string(kSystemActor),
          .reason = "the silence reached its end",
          .silence = std::move(silence)});
  }
  const std::vector<WarningKey> keys = LiveKeys();
  for (const WarningKey& key : keys) {
    Age(key);
    Evaluate(key);
  }
  for (const WarningKey& key : keys) {
    Escalate(key);
  }
}

std::vector<WarningKey> Stepper::LiveKeys() const {
  std::vector<WarningKey> keys;
  for (const auto& [key, cell] : state_.cells) {
    if (!cell.evidence.empty() || (cell.warning && cell.warning->active())) {
      keys.push_back(key);
    }
  }
  std::sort(keys.begin(), keys.end(), [](const WarningKey& a, const WarningKey& b) {
    return std::tie(a.domain, a.region, a.hazard) < std::tie(b.domain, b.region, b.hazard);
  });
  return keys;
}

}  // namespace internal

Result<StepResult> Step(const Rules& rules, State& state, const Input& input, Timestamp now) {
  internal::Stepper stepper(rules, state, now);
  if (const auto* signal = std::get_if<SignalInput>(&input)) {
    stepper.OnSignal(*signal);
  } else if (std::holds_alternative<Tick>(input)) {
    stepper.OnTick();
  } else {
    VIGIL_RETURN_IF_ERROR(stepper.OnAction(std::get<OperatorAction>(input)));
  }
  return stepper.Take();
}

}  // namespace vigil::warn
