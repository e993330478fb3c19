// Internal to warn/: one Step() call. Decides what happens and records each
// decision as an event applied at once, so later decisions in the same step
// see it.
#pragma once

#include <string>
#include <vector>

#include "warn/machine.h"

namespace vigil::warn::internal {

class Stepper {
 public:
  Stepper(const Rules& rules, State& state, Timestamp now)
      : rules_(rules), state_(state), now_(now) {}

  void OnSignal(const SignalInput& signal);
  void OnTick();
  Status OnAction(const OperatorAction& action);  // actions.cc
  StepResult Take();

 private:
  // Assigns the sequence number and time, applies the event and keeps it.
  void Emit(Event event);
  Event WarningEvent(EventKind kind, const Warning& warning, std::string_view actor,
                     std::string reason, int previous_level) const;

  const HazardRules& HazardOf(const WarningKey& key) const;
  // Records `evidence` (level 0: drops the source) with the combined level it gives.
  void SetEvidence(const WarningKey& key, Evidence evidence, std::string reason);
  int Combine(const WarningKey& key, const std::vector<Evidence>& evidence) const;
  void Age(const WarningKey& key);

  // Issues, raises, lowers, cancels or expires the key's warning as its
  // evidence and the time require.
  void Evaluate(const WarningKey& key);
  int PromoteTarget(const Cell& cell, const WarningPolicy& policy) const;
  bool Live(const Cell& cell, const WarningPolicy& policy) const;

  void Issue(const WarningKey& key, int level, std::string_view actor, std::string reason,
             bool manual, Timestamp manual_until);
  void ChangeLevel(const Warning& current, int level, std::string_view actor, std::string reason,
                   bool manual, Timestamp manual_until);
  // A warning unchanged for half its expiry time whose evidence goes on:
  // an update at the same level, so that what was sent about it does not
  // expire while it stands.
  void Renew(const Warning& current);
  void End(const Warning& current, EventKind kind, std::string_view actor, std::string reason,
           bool clears_evidence);
  void Acknowledge(const Warning& current, const std::string& actor, std::string reason);
  void Escalate(const WarningKey& key);
  // After a warning changed: the parent region's grouping evidence.
  void AfterChange(const WarningKey& key);

  std::optional<Timestamp> AckDeadline(const Warning& warning) const;
  // Why notifications about `warning` are held now; "" when they are not.
  std::string MuteReason(const Warning& warning) const;
  // Sends the notification, or records that it is held.
  void Announce(NotifyKind kind, const Warning& warning, std::string reason);
  void Notify(NotifyKind kind, const Warning& warning, const std::string& agency,
              std::string reason);
  void ReleaseHeld();
  // Keys of cells with evidence or an active warning, in key order.
  std::vector<WarningKey> LiveKeys() const;

  const Rules& rules_;
  State& state_;
  const Timestamp now_;
  StepResult result_;
  bool mutes_may_have_ended_ = false;
};

}  // namespace vigil::warn::internal
