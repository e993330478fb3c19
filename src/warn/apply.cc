// Folding events into the state. Step() changes the state only through here,
// which is what makes Replay() of the log reproduce it.
#include <algorithm>

#include "warn/machine.h"

namespace vigil::warn {
namespace {

void SetCombinedLevel(Cell& cell, int level, Timestamp at) {
  for (int l = 1; l <= kWarningLevels; ++l) {
    if ((cell.level >= l) != (level >= l)) {
      cell.crossed_at[l - 1] = at;
    }
  }
  cell.level = level;
}

void ApplyEvidence(Cell& cell, const Event& e) {
  auto it = std::find_if(cell.evidence.begin(), cell.evidence.end(), [&](const Evidence& x) {
    return x.source == e.evidence.source && x.detector == e.evidence.detector;
  });
  if (e.evidence.level == 0) {
    if (it != cell.evidence.end()) {
      cell.evidence.erase(it);
    }
  } else if (it != cell.evidence.end()) {
    *it = e.evidence;
  } else {
    cell.evidence.push_back(e.evidence);
  }
  SetCombinedLevel(cell, e.combined_level, e.at);
  if (e.evidence.source != kChildRegionsSource) {
    // Evidence aged out keeps its old time, so only signals move this on.
    cell.last_signal = std::max(cell.last_signal, e.evidence.at);
  }
}

void ApplyWarning(State& state, Cell& cell, const Event& e) {
  if (e.kind == EventKind::kIssued) {
    ++cell.issued;
  }
  const bool held_before = cell.warning && cell.warning->active() && cell.warning->held;
  const bool held_after = e.warning.active() && e.warning.held;
  state.held += static_cast<int>(held_after) - static_cast<int>(held_before);
  cell.warning = e.warning;
  if (e.clears_evidence) {
    ++state.evidence_epoch;
    cell.evidence.clear();
    SetCombinedLevel(cell, 0, e.at);
  }
}

}  // namespace

void Apply(State& state, const Event& e) {
  state.next_seq = e.seq + 1;
  switch (e.kind) {
    case EventKind::kEvidence: {
      auto cell = state.cells.try_emplace(e.key).first;
      ApplyEvidence(cell->second, e);
      // Evidence aged out keeps its old time; a source's own signal is stamped now.
      if (e.evidence.level == 0 && e.evidence.at != e.at) {
        ++state.evidence_epoch;
      }
      // A key without evidence that was never warned is as good as unseen:
      // dropping it keeps the state, and what a quiet signal looks up, small.
      if (cell->second.evidence.empty() && !cell->second.warning) {
        state.cells.erase(cell);
      }
      return;
    }
    case EventKind::kSilenceCreated:
      state.silences[e.silence.id] = e.silence;
      ++state.silences_created;
      return;
    case EventKind::kSilenceExpired:
      state.silences.erase(e.silence.id);
      return;
    default:
      ApplyWarning(state, state.cells[e.key], e);
      return;
  }
}

State Replay(std::span<const Event> events) {
  State state;
  for (const Event& e : events) {
    Apply(state, e);
  }
  return state;
}

}  // namespace vigil::warn
