// The warning stage's data: warnings, the evidence behind them, silences, the
// events of the append-only log and the notifications a step asks to send.
//
// Everything here is plain data. The state is a fold of the events
// (Apply in machine.h), so an event carries every field needed to rebuild it:
// a warning event carries the whole warning after the change, an evidence
// event the signal and the combined level it led to.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "model/catalogue.h"

namespace vigil::warn {

// A warning is kept per (domain, region, hazard); at most one is active.
struct WarningKey {
  std::string domain;
  std::string region;
  std::string hazard;
  bool operator==(const WarningKey&) const = default;
  std::string ToString() const;  // "health/XA-01/infectious-disease"
};

// The same key without owning its text, for lookups that must not allocate.
struct WarningKeyView {
  std::string_view domain;
  std::string_view region;
  std::string_view hazard;
};

struct WarningKeyHash {
  using is_transparent = void;
  size_t operator()(const WarningKeyView& k) const;
  size_t operator()(const WarningKey& k) const {
    return (*this)(WarningKeyView{k.domain, k.region, k.hazard});
  }
};

struct WarningKeyEqual {
  using is_transparent = void;
  static WarningKeyView View(const WarningKey& k) { return {k.domain, k.region, k.hazard}; }
  static WarningKeyView View(const WarningKeyView& k) { return k; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    const WarningKeyView x = View(a);
    const WarningKeyView y = View(b);
    return x.domain == y.domain && x.region == y.region && x.hazard == y.hazard;
  }
};

// The evidence source that stands for child regions in grouping. Indicator
// ids cannot contain parentheses, so it never collides with one.
inline constexpr std::string_view kChildRegionsSource = "(child-regions)";

// One source's latest word on a key: an indicator's detector, or the child
// regions (grouping). Sources at level 0 are not kept.
struct Evidence {
  std::string source;  // an indicator id, or kChildRegionsSource
  int detector = 0;    // index into the indicator's detectors
  int level = 0;       // 0 none, 1 blue .. 4 red
  Timestamp at;        // when it was recorded (step time)
  Timestamp period;    // the period (or sample) the detector judged
  double score = 0;    // the detector's evaluation, for explaining the warning
  double observed = 0;
  double expected = 0;
  double threshold = 0;
  bool revised = false;  // the signal re-judged a period after late data
  // Compares NaN equal to NaN: a missing value replays as a missing value.
  bool operator==(const Evidence& other) const;
};

enum class WarningStatus { kActive, kCancelled, kExpired };
std::string_view WarningStatusName(WarningStatus s);  // "active", "cancelled", "expired"

struct Warning {
  std::string id;  // "<domain>/<region>/<hazard>/<n>": the n-th warning for the key
  WarningKey key;
  std::string policy;
  int level = 0;  // 1 blue .. 4 red
  WarningStatus status = WarningStatus::kActive;
  Timestamp issued_at;
  Timestamp changed_at;
  int changes = 0;  // events that changed it so far; the CAP message sequence
  // Set by an operator: evidence does not change the level until manual_until.
  bool manual = false;
  Timestamp manual_until;
  std::string agency;     // the agency responsible for the region and domain; "" none
  int tier = 0;           // escalations since the last raise
  std::string escalated;  // the agency escalated to at `tier`; "" when tier is 0
  bool acknowledged = false;
  std::string acknowledged_by;
  std::optional<Timestamp> ack_deadline;  // none: acknowledged, held or no deadline for the level
  bool held = false;  // a notification about it was held (silenced or inhibited)
  bool operator==(const Warning&) const = default;
  bool active() const { return status == WarningStatus::kActive; }
};

// Everything known about one key: the evidence, the combined evidence level
// and the latest warning (active or ended). A key is kept while it has
// evidence or once it was warned (its warnings are counted for their ids).
struct Cell {
  std::vector<Evidence> evidence;
  int level = 0;  // the policy's combination of `evidence`
  // When the combined level last crossed each level i + 1, up or down.
  std::array<Timestamp, kWarningLevels> crossed_at{};
  int issued = 0;  // warnings issued for the key so far
  // The latest signal recorded from any indicator, whatever its level: a
  // warning expires when there is none within expire_after.
  Timestamp last_signal;
  std::optional<Warning> warning;
  bool operator==(const Cell&) const = default;
};

// Holds notifications of matching warnings until `ends_at` or until expired by
// hand. An empty matcher matches anything; `region` matches that region and
// every region beneath it.
struct Silence {
  std::string id;  // "silence-<n>"
  std::string domain;
  std::string region;
  std::string hazard;
  std::string owner;
  std::string reason;
  Timestamp starts_at;
  Timestamp ends_at;
  bool operator==(const Silence&) const = default;
};

struct State {
  std::unordered_map<WarningKey, Cell, WarningKeyHash, WarningKeyEqual> cells;
  std::map<std::string, Silence, std::less<>> silences;  // active silences by id
  int silences_created = 0;
  int held = 0;               // active warnings with a held notification
  std::int64_t next_seq = 1;  // sequence number of the next event
  // Counts the events that took evidence away other than through its own
  // source's signals (an age-out, a cancel by hand): what a SignalGate
  // remembers of a source holds only while this is unchanged.
  std::int64_t evidence_epoch = 0;
  bool operator==(const State&) const = default;

  const Cell* Find(const WarningKeyView& key) const;
  // The latest warning for `key`, active or ended; nullptr when none was issued.
  const Warning* Latest(const WarningKeyView& key) const;
};

enum class EventKind {
  kEvidence,      // a source's level for a key changed or was refreshed
  kIssued,        // a new warning
  kUpdated,       // level or manual control changed, or renewed
  kCancelled,     // evidence gone, or cancelled by hand
  kExpired,       // no supporting signal within expire_after, or a manual warning's end
  kAcknowledged,  // by an operator
  kEscalated,     // the acknowledgement deadline passed
  kHeld,          // a notification was held by a silence or a higher warning
  kReleased,      // what was held was sent when the mute ended
  kSilenceCreated,
  kSilenceExpired,
};
std::string_view EventKindName(EventKind k);  // "evidence", "issued", ... "silence-expired"
Result<EventKind> ParseEventKind(std::string_view text);

// One entry of the append-only log: who did what, why, when, and the data
// to rebuild the state.
struct Event {
  std::int64_t seq = 0;
  Timestamp at;
  EventKind kind = EventKind::kEvidence;
  std::string actor;   // kSystemActor for automatic changes, else the operator
  std::string reason;  // why, in words
  WarningKey key;      // empty for silence events
  // kEvidence: the source's evidence (level 0: the source is dropped) and the
  // key's combined level after it.
  Evidence evidence;
  int combined_level = 0;
  // Warning events: the warning after the change and the evidence behind it.
  Warning warning;
  int previous_level = 0;
  std::vector<Evidence> signals;
  bool clears_evidence = false;  // a cancel by hand: the evidence so far is set aside
  Silence silence;               // silence events
};

inline constexpr std::string_view kSystemActor = "vigil";

// kRenewed: still active and still supported after half its expiry time; the
// receiver should extend it (an Alertmanager alert's endsAt, a CAP expiry).
enum class NotifyKind {
  kIssued,
  kRaised,
  kLowered,
  kCancelled,
  kExpired,
  kEscalation,
  kReleased,
  kRenewed
};
std::string_view NotifyKindName(NotifyKind k);  // "issued", ..., "released", "renewed"
Result<NotifyKind> ParseNotifyKind(std::string_view text);

// A message the dissemination side should send to an agency's channels.
struct Notification {
  NotifyKind kind = NotifyKind::kIssued;
  std::string warning_id;
  WarningKey key;
  int level = 0;
  std::string agency;  // "" when no agency is responsible
  int tier = 0;
  Timestamp at;
  std::string reason;
};

}  // namespace vigil::warn
