// Changes to warnings: issue, level changes, ends, acknowledgement and
// escalation, grouping up the region tree, and holding notifications that a
// silence or a higher warning mutes.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "warn/stepper.h"

namespace vigil::warn::internal {
namespace {

bool SilenceMatches(const Catalogue& catalogue, const Silence& s, const WarningKey& key) {
  return (s.domain.empty() || s.domain == key.domain) &&
         (s.hazard.empty() || s.hazard == key.hazard) &&
         (s.region.empty() || catalogue.IsWithin(key.region, s.region));
}

NotifyKind LevelChangeKind(int from, int to) {
  return to > from ? NotifyKind::kRaised : NotifyKind::kLowered;
}

}  // namespace

std::optional<Timestamp> Stepper::AckDeadline(const Warning& warning) const {
  const WarningPolicy& policy = *HazardOf(warning.key).policy;
  const std::optional<Duration> within = policy.acknowledge_within[warning.level - 1];
  return within ? std::optional<Timestamp>(now_ + *within) : std::nullopt;
}

std::string Stepper::MuteReason(const Warning& warning) const {
  const Catalogue& catalogue = rules_.catalogue();
  for (const auto& [id, silence] : state_.silences) {
    if (SilenceMatches(catalogue, silence, warning.key)) {
      return fmt::format("silenced by {} ({}: {})", id, silence.owner, silence.reason);
    }
  }
  for (const Region* above : catalogue.Ancestors(warning.key.region)) {
    const Warning* higher = state_.Latest({warning.key.domain, above->code, warning.key.hazard});
    if (higher != nullptr && higher->active() && higher->level > warning.level) {
      return fmt::format("inhibited by {} at {}", higher->id, LevelColour(higher->level));
    }
  }
  return "";
}

void Stepper::Notify(NotifyKind kind, const Warning& warning, const std::string& agency,
                     std::string reason) {
  result_.notifications.push_back({.kind = kind,
                                   .warning_id = warning.id,
                                   .key = warning.key,
                                   .level = warning.level,
                                   .agency = agency,
                                   .tier = warning.tier,
                                   .at = now_,
                                   .reason = std::move(reason)});
}

void Stepper::Announce(NotifyKind kind, const Warning& warning, std::string reason) {
  std::string muted = MuteReason(warning);
  if (muted.empty()) {
    // An agency the warning was escalated to hears how it goes on and ends, too.
    if (!warning.escalated.empty() && warning.escalated != warning.agency) {
      Notify(kind, warning, warning.escalated, reason);
    }
    Notify(kind, warning, warning.agency, std::move(reason));
  } else if (warning.active() && !warning.held) {
    Warning held = warning;
    held.held = true;
    held.ack_deadline.reset();
    Emit(WarningEvent(EventKind::kHeld, held, kSystemActor, std::move(muted), warning.level));
  }
}

void Stepper::Issue(const WarningKey& key, int level, std::string_view actor, std::string reason,
                    bool manual, Timestamp manual_until) {
  const Cell* cell = state_.Find(WarningKeyEqual::View(key));
  const Agency* agency = rules_.Responsible(key.domain, key.region);
  Warning w{.id = fmt::format("{}/{}", key.ToString(), (cell != nullptr ? cell->issued : 0) + 1),
            .key = key,
            .policy = HazardOf(key).policy->id,
            .level = level,
            .issued_at = now_,
            .changed_at = now_,
            .changes = 1,
            .manual = manual,
            .manual_until = manual_until,
            .agency = agency != nullptr ? agency->id : ""};
  if (MuteReason(w).empty()) {
    w.ack_deadline = AckDeadline(w);
  }
  Emit(WarningEvent(EventKind::kIssued, w, actor, reason, 0));
  Announce(NotifyKind::kIssued, w, std::move(reason));
  AfterChange(key);
}

void Stepper::ChangeLevel(const Warning& current, int level, std::string_view actor,
                          std::string reason, bool manual, Timestamp manual_until) {
  Warning w = current;
  const int previous = w.level;
  w.level = level;
  w.changed_at = now_;
  ++w.changes;
  w.manual = manual;
  w.manual_until = manual_until;
  if (level > previous) {
    // A higher level must be acknowledged again, starting with the responsible agency.
    w.acknowledged = false;
    w.acknowledged_by.clear();
    w.tier = 0;
    w.escalated.clear();
    w.ack_deadline = w.held || !MuteReason(w).empty() ? std::nullopt : AckDeadline(w);
  }
  Emit(WarningEvent(EventKind::kUpdated, w, actor, reason, previous));
  if (level != previous) {
    Announce(LevelChangeKind(previous, level), w, std::move(reason));
    AfterChange(w.key);
  }
}

void Stepper::Renew(const Warning& current) {
  Warning w = current;
  w.changed_at = now_;
  ++w.changes;
  std::string reason = fmt::format("renewed: evidence still supports {} after {}",
                                   LevelColour(w.level), FormatDuration(now_ - current.changed_at));
  Emit(WarningEvent(EventKind::kUpdated, w, kSystemActor, reason, w.level));
  Announce(NotifyKind::kRenewed, w, std::move(reason));
}

void Stepper::End(const Warning& current, EventKind kind, std::string_view actor,
                  std::string reason, bool clears_evidence) {
  Warning w = current;
  w.status = kind == EventKind::kCancelled ? WarningStatus::kCancelled : WarningStatus::kExpired;
  w.changed_at = now_;
  ++w.changes;
  w.ack_deadline.reset();
  Event e = WarningEvent(kind, w, actor, reason, current.level);
  e.clears_evidence = clears_evidence;
  Emit(std::move(e));
  Announce(kind == EventKind::kCancelled ? NotifyKind::kCancelled : NotifyKind::kExpired, w,
           std::move(reason));
  AfterChange(w.key);
}

void Stepper::Acknowledge(const Warning& current, const std::string& actor, std::string reason) {
  Warning w = current;
  w.acknowledged = true;
  w.acknowledged_by = actor;
  w.ack_deadline.reset();
  Emit(WarningEvent(EventKind::kAcknowledged, w, actor, std::move(reason), w.level));
}

// One escalation per tick at or after the deadline; the next deadline is a
// full acknowledgement period later.
void Stepper::Escalate(const WarningKey& key) {
  const Warning* current = state_.Latest(WarningKeyEqual::View(key));
  if (current == nullptr || !current->active() || current->acknowledged || !current->ack_deadline ||
      *current->ack_deadline > now_ || !MuteReason(*current).empty()) {
    return;
  }
  Warning w = *current;
  ++w.tier;
  const Agency* tier = rules_.EscalationTier(rules_.catalogue().FindAgency(w.agency), w.tier);
  w.escalated = tier != nullptr ? tier->id : "";
  w.ack_deadline = AckDeadline(w);
  const WarningPolicy& policy = *HazardOf(key).policy;
  std::string reason = fmt::format("not acknowledged within {}",
                                   FormatDuration(*policy.acknowledge_within[w.level - 1]));
  Emit(WarningEvent(EventKind::kEscalated, w, kSystemActor, reason, w.level));
  Notify(NotifyKind::kEscalation, w, w.escalated, std::move(reason));
}

// Grouping: at least min_children child regions warned at the policy's level
// or above raise the parent to the level that many of them reach.
void Stepper::AfterChange(const WarningKey& key) {
  const Catalogue& catalogue = rules_.catalogue();
  const Region* region = catalogue.FindRegion(key.region);
  const WarningPolicy& policy = *HazardOf(key).policy;
  if (region == nullptr || region->parent.empty() || policy.group_min_children <= 0) {
    return;
  }
  const std::vector<const Region*> children = catalogue.Children(region->parent);
  std::vector<int> levels;
  for (const Region* child : children) {
    const Warning* w = state_.Latest({key.domain, child->code, key.hazard});
    if (w != nullptr && w->active() && w->level >= policy.group_level) {
      levels.push_back(w->level);
    }
  }
  std::sort(levels.begin(), levels.end(), std::greater<>());
  const size_t k = static_cast<size_t>(policy.group_min_children);
  const int group = levels.size() >= k ? levels[k - 1] : 0;
  const WarningKey parent{key.domain, region->parent, key.hazard};
  int current = 0;
  if (const Cell* cell = state_.Find(WarningKeyEqual::View(parent))) {
    for (const Evidence& e : cell->evidence) {
      current = e.source == kChildRegionsSource ? e.level : current;
    }
  }
  if (group == current) {
    return;
  }
  SetEvidence(
      parent,
      {.source = std::string(kChildRegionsSource), .level = group, .at = now_, .period = now_},
      fmt::format("{} of {} child regions at {} or above (grouping needs {})", levels.size(),
                  children.size(), LevelColour(policy.group_level), k));
  Evaluate(parent);
}

void Stepper::ReleaseHeld() {
  if (state_.held == 0) {
    return;
  }
  for (const WarningKey& key : LiveKeys()) {
    const Warning* current = state_.Latest(WarningKeyEqual::View(key));
    if (current == nullptr || !current->active() || !current->held ||
        !MuteReason(*current).empty()) {
      continue;
    }
    Warning w = *current;
    w.held = false;
    w.ack_deadline = w.acknowledged ? std::nullopt : AckDeadline(w);
    Emit(WarningEvent(EventKind::kReleased, w, kSystemActor, "no longer muted", w.level));
    Notify(NotifyKind::kReleased, w, w.agency, "held while muted; still active");
  }
}

}  // namespace vigil::warn::internal
