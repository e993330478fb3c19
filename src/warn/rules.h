// The catalogue compiled for the warning state machine: per indicator its
// policy and how its detectors' evaluations map to levels; per (domain,
// hazard) the governing policy and the indicators that feed it; the region
// tree and agency routing.
//
// Built once from a validated catalogue, which must outlive it. Immutable, so
// it may be shared between threads.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "detect/detector.h"
#include "model/catalogue.h"

namespace vigil::warn {

// The warnings of one hazard in one domain. When several policies name the
// same hazard, the first declared governs, so a key has one set of rules.
struct HazardRules {
  std::string domain;
  std::string hazard;
  const WarningPolicy* policy = nullptr;
  std::vector<std::string> indicators;  // the n of k-of-n, in catalogue order
};

struct IndicatorRules {
  IndicatorRules(const Indicator* indicator, const WarningPolicy* policy, const HazardRules* hazard,
                 std::vector<std::uint8_t> reports_level);

  const Indicator* indicator = nullptr;
  const WarningPolicy* policy = nullptr;
  const HazardRules* hazard = nullptr;
  // Per detector: nonzero when it reports a level itself (threshold).
  std::vector<std::uint8_t> reports_level;
  // The policy's score cut points, +infinity for a level without one, and
  // whether it has any: compiled once, as every signal is mapped through them.
  std::array<double, kWarningLevels> score_cuts{};
  bool any_cut = false;
};

class Rules {
 public:
  explicit Rules(const Catalogue& catalogue);
  Rules(const Rules&) = delete;
  Rules& operator=(const Rules&) = delete;

  const Catalogue& catalogue() const { return catalogue_; }
  // nullptr when the indicator is unknown or has no policy.
  const IndicatorRules* FindIndicator(std::string_view id) const;
  // nullptr when no indicator of `domain` has a policy for `hazard`.
  const HazardRules* FindHazard(std::string_view domain, std::string_view hazard) const;

  // The level an evaluation reaches under the indicator's policy: threshold
  // detectors' own level, others the highest level whose score cut point the
  // score reaches (a policy without cut points turns an alarm into blue).
  // -1 when the detector could not judge the period: the signal says nothing.
  static int LevelFor(const IndicatorRules& rules, int detector, const Evaluation& evaluation) {
    if (!evaluation.evaluated) {
      return -1;
    }
    if (detector >= 0 && static_cast<size_t>(detector) < rules.reports_level.size() &&
        rules.reports_level[static_cast<size_t>(detector)] != 0) {
      return std::clamp(evaluation.level, 0, kWarningLevels);
    }
    if (!rules.any_cut) {
      return evaluation.alarm ? 1 : 0;
    }
    // A NaN score reaches no cut point.
    int level = 0;
    for (int i = 0; i < kWarningLevels; ++i) {
      level = evaluation.score >= rules.score_cuts[static_cast<size_t>(i)] ? i + 1 : level;
    }
    return level;
  }

  // The agency responsible for `region` in `domain`: the one whose
  // jurisdiction holds the nearest region at or above it, preferring one
  // that names the domain, then the first declared. nullptr when none.
  const Agency* Responsible(std::string_view domain, std::string_view region) const;
  // The agency `tier` escalations above `agency` (following escalate_to; the
  // last one stays). nullptr when `agency` is.
  const Agency* EscalationTier(const Agency* agency, int tier) const;

 private:
  const Catalogue& catalogue_;
  std::vector<HazardRules> hazards_;
  std::vector<IndicatorRules> indicators_;
  std::unordered_map<std::string_view, size_t> indicator_index_;
};

}  // namespace vigil::warn
