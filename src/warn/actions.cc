// Operator actions: checked in full before anything is recorded, so a
// rejected action leaves the state as it was.
#include <fmt/format.h>

#include "warn/stepper.h"

namespace vigil::warn::internal {
namespace {

std::string_view ActionName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kIssue:
      return "issue";
    case ActionKind::kUpdate:
      return "update";
    case ActionKind::kCancel:
      return "cancel";
    case ActionKind::kAcknowledge:
      return "acknowledge";
    case ActionKind::kSilence:
      return "silence";
    case ActionKind::kExpireSilence:
      return "expire silence";
  }
  return "unknown";
}

Status CheckWho(const OperatorAction& a) {
  if (a.actor.empty()) {
    return InvalidArgument(fmt::format("{}: who is acting? (actor is empty)", ActionName(a.kind)));
  }
  if (a.reason.empty() && a.kind != ActionKind::kAcknowledge) {
    return InvalidArgument(fmt::format("{}: a reason is required", ActionName(a.kind)));
  }
  return Status::Ok();
}

Status CheckLevel(const OperatorAction& a) {
  if (a.level < 1 || a.level > kWarningLevels) {
    return InvalidArgument(
        fmt::format("{}: level {} is not 1 (blue) to 4 (red)", ActionName(a.kind), a.level));
  }
  return Status::Ok();
}

Status CheckKey(const Rules& rules, const WarningKey& key) {
  if (rules.catalogue().FindRegion(key.region) == nullptr) {
    return InvalidArgument(fmt::format("unknown region '{}'", key.region));
  }
  if (rules.FindHazard(key.domain, key.hazard) == nullptr) {
    return InvalidArgument(
        fmt::format("no policy for hazard '{}' in domain '{}' (no indicator of the domain has one)",
                    key.hazard, key.domain));
  }
  return Status::Ok();
}

Status CheckSilence(const Catalogue& catalogue, const OperatorAction& a, Timestamp now) {
  const Silence& s = a.silence;
  if (s.domain.empty() && s.region.empty() && s.hazard.empty()) {
    return InvalidArgument("silence: give at least one matcher (domain, region or hazard)");
  }
  if (!s.domain.empty() && catalogue.FindDomain(s.domain) == nullptr) {
    return InvalidArgument(fmt::format("silence: unknown domain '{}'", s.domain));
  }
  if (!s.region.empty() && catalogue.FindRegion(s.region) == nullptr) {
    return InvalidArgument(fmt::format("silence: unknown region '{}'", s.region));
  }
  if (!a.until || *a.until <= now) {
    return InvalidArgument("silence: 'until' must be given and later than now");
  }
  return Status::Ok();
}

}  // namespace

Status Stepper::OnAction(const OperatorAction& a) {
  VIGIL_RETURN_IF_ERROR(CheckWho(a));
  if (a.kind == ActionKind::kSilence) {
    VIGIL_RETURN_IF_ERROR(CheckSilence(rules_.catalogue(), a, now_));
    Silence s = a.silence;
    s.id = fmt::format("silence-{}", state_.silences_created + 1);
    s.owner = a.actor;
    s.reason = a.reason;
    s.starts_at = now_;
    s.ends_at = *a.until;
    Emit({.kind = EventKind::kSilenceCreated,
          .actor = a.actor,
          .reason = a.reason,
          .silence = std::move(s)});
    return Status::Ok();
  }
  if (a.kind == ActionKind::kExpireSilence) {
    auto it = state_.silences.find(a.silence.id);
    if (it == state_.silences.end()) {
      return FailedPrecondition(fmt::format("no active silence '{}'", a.silence.id));
    }
    Emit({.kind = EventKind::kSilenceExpired,
          .actor = a.actor,
          .reason = a.reason,
          .silence = it->second});
    return Status::Ok();
  }
  VIGIL_RETURN_IF_ERROR(CheckKey(rules_, a.key));
  const Warning* latest = state_.Latest(WarningKeyEqual::View(a.key));
  const Warning* active = latest != nullptr && latest->active() ? latest : nullptr;
  if (a.kind == ActionKind::kIssue && active != nullptr) {
    return FailedPrecondition(fmt::format("{} is already active at {}; update it instead",
                                          active->id, LevelColour(active->level)));
  }
  if (a.kind != ActionKind::kIssue && active == nullptr) {
    return FailedPrecondition(
        fmt::format("{}: no active warning for {}", ActionName(a.kind), a.key.ToString()));
  }
  if (a.kind == ActionKind::kIssue || a.kind == ActionKind::kUpdate) {
    VIGIL_RETURN_IF_ERROR(CheckLevel(a));
    // An update of a manual warning keeps its end unless given a new one.
    const Timestamp until = a.until.value_or(active != nullptr && active->manual
                                                 ? active->manual_until
                                                 : now_ + HazardOf(a.key).policy->expire_after);
    if (until <= now_) {
      return InvalidArgument(fmt::format("{}: 'until' must be later than now", ActionName(a.kind)));
    }
    if (a.kind == ActionKind::kIssue) {
      Issue(a.key, a.level, a.actor, a.reason, true, until);
    } else {
      ChangeLevel(*active, a.level, a.actor, a.reason, true, until);
    }
    return Status::Ok();
  }
  if (a.kind == ActionKind::kCancel) {
    End(*active, EventKind::kCancelled, a.actor, a.reason, true);
    return Status::Ok();
  }
  if (active->acknowledged) {
    return FailedPrecondition(
        fmt::format("{} was already acknowledged by {}", active->id, active->acknowledged_by));
  }
  Acknowledge(*active, a.actor, a.reason);
  return Status::Ok();
}

}  // namespace vigil::warn::internal
