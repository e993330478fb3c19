#include "warn/rules.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

namespace vigil::warn {

IndicatorRules::IndicatorRules(const Indicator* indicator, const WarningPolicy* policy,
                               const HazardRules* hazard, std::vector<std::uint8_t> reports_level)
    : indicator(indicator),
      policy(policy),
      hazard(hazard),
      reports_level(std::move(reports_level)) {
  for (size_t i = 0; i < score_cuts.size(); ++i) {
    const std::optional<double>& cut = policy->score_cut_points[i];
    score_cuts[i] = cut ? *cut : std::numeric_limits<double>::infinity();
    any_cut = any_cut || cut.has_value();
  }
}

Rules::Rules(const Catalogue& catalogue) : catalogue_(catalogue) {
  // Reserved up front: IndicatorRules point into hazards_.
  hazards_.reserve(catalogue.indicators().size());
  indicators_.reserve(catalogue.indicators().size());
  for (const Indicator& ind : catalogue.indicators()) {
    const WarningPolicy* policy = catalogue.FindPolicy(ind.policy);
    if (policy == nullptr) {
      continue;
    }
    auto hazard = std::find_if(hazards_.begin(), hazards_.end(), [&](const HazardRules& h) {
      return h.domain == ind.domain && h.hazard == policy->hazard;
    });
    if (hazard == hazards_.end()) {
      hazards_.push_back({.domain = ind.domain, .hazard = policy->hazard, .policy = policy});
      hazard = hazards_.end() - 1;
    }
    hazard->indicators.push_back(ind.id);
    std::vector<std::uint8_t> reports_level;
    for (const DetectorSpec& d : ind.detectors) {
      reports_level.push_back(d.method == "threshold" ? 1 : 0);
    }
    indicators_.emplace_back(&ind, policy, &*hazard, std::move(reports_level));
  }
  for (size_t i = 0; i < indicators_.size(); ++i) {
    indicator_index_.emplace(indicators_[i].indicator->id, i);
  }
}

const IndicatorRules* Rules::FindIndicator(std::string_view id) const {
  auto it = indicator_index_.find(id);
  return it == indicator_index_.end() ? nullptr : &indicators_[it->second];
}

const HazardRules* Rules::FindHazard(std::string_view domain, std::string_view hazard) const {
  for (const HazardRules& h : hazards_) {
    if (h.domain == domain && h.hazard == hazard) {
      return &h;
    }
  }
  return nullptr;
}

const Agency* Rules::Responsible(std::string_view domain, std::string_view region) const {
  const Agency* best = nullptr;
  std::pair<size_t, bool> best_rank{0, false};
  for (const Agency& agency : catalogue_.agencies()) {
    const bool names_domain =
        std::find(agency.domains.begin(), agency.domains.end(), domain) != agency.domains.end();
    if (!agency.domains.empty() && !names_domain) {
      continue;
    }
    for (const std::string& held : agency.regions) {
      if (!catalogue_.IsWithin(region, held)) {
        continue;
      }
      // Deeper jurisdictions are more specific: rank by depth, then by domain.
      const std::pair<size_t, bool> rank{catalogue_.Ancestors(held).size() + 1, names_domain};
      if (rank > best_rank) {
        best = &agency;
        best_rank = rank;
      }
    }
  }
  return best;
}

const Agency* Rules::EscalationTier(const Agency* agency, int tier) const {
  for (int i = 0; i < tier && agency != nullptr && !agency->escalate_to.empty(); ++i) {
    agency = catalogue_.FindAgency(agency->escalate_to);
  }
  return agency;
}

}  // namespace vigil::warn
