// Checks that need every section read: references to undeclared entries and
// cycles in the region hierarchy.
#include <fmt/format.h>

#include <map>
#include <set>

#include "config/sections.h"
#include "core/suggest.h"

namespace vigil::config_internal {
namespace {

template <typename T, typename Key>
std::vector<std::string> Ids(const std::vector<T>& entries, Key key) {
  std::vector<std::string> ids;
  for (const T& e : entries) {
    ids.push_back(key(e));
  }
  return ids;
}

void CheckTargets(Problems& problems, const std::vector<Reference>& references,
                  const std::vector<std::string>& known, std::string_view what) {
  const std::set<std::string, std::less<>> known_set(known.begin(), known.end());
  for (const Reference& r : references) {
    if (known_set.count(r.target) > 0) {
      continue;
    }
    const std::string near = ClosestName(r.target, known);
    problems.Add(
        r.loc, r.field,
        fmt::format("unknown {} '{}'{}", what, r.target,
                    near.empty() ? known.empty() ? fmt::format(" (no {}s are declared)", what) : ""
                                 : fmt::format(" (did you mean '{}'?)", near)));
  }
}

// Each region has at most one parent, so following parents from any region
// either ends at a root or an unknown code, or enters a cycle.
void CheckCycles(Problems& problems, const std::vector<Reference>& parents) {
  std::map<std::string, const Reference*, std::less<>> parent_of;
  for (const Reference& r : parents) {
    parent_of.emplace(r.from, &r);
  }
  std::set<std::string, std::less<>> reported;
  for (const Reference& start : parents) {
    std::vector<std::string> chain = {start.from};
    std::string at = start.target;
    while (true) {
      auto cycle_start = std::find(chain.begin(), chain.end(), at);
      if (cycle_start != chain.end()) {
        if (cycle_start == chain.begin() && reported.count(start.from) == 0) {
          reported.insert(chain.begin(), chain.end());
          problems.Add(start.loc, start.field,
                       fmt::format("cycle in the region hierarchy: {} -> {}",
                                   fmt::join(chain, " -> "), start.from));
        }
        break;
      }
      auto next = parent_of.find(at);
      if (next == parent_of.end()) {
        break;
      }
      chain.push_back(at);
      at = next->second->target;
    }
  }
}

}  // namespace

void CheckReferences(Problems& problems, const Draft& draft) {
  const auto region_codes = Ids(draft.regions, [](const Region& r) { return r.code; });
  CheckTargets(problems, draft.region_parents, region_codes, "parent region");
  CheckCycles(problems, draft.region_parents);
  CheckTargets(problems, draft.indicator_domains,
               Ids(draft.domains, [](const Domain& d) { return d.id; }), "domain");
  CheckTargets(problems, draft.indicator_policies,
               Ids(draft.policies, [](const WarningPolicy& p) { return p.id; }), "policy");
  CheckTargets(problems, draft.agency_regions, region_codes, "region");
  CheckTargets(problems, draft.agency_domains,
               Ids(draft.domains, [](const Domain& d) { return d.id; }), "domain");
  CheckTargets(problems, draft.agency_escalations,
               Ids(draft.agencies, [](const Agency& a) { return a.id; }), "agency");
}

}  // namespace vigil::config_internal
