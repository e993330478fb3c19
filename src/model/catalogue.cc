#include "model/catalogue.h"

#include <fmt/format.h>

namespace vigil {
namespace {

template <typename T, typename KeyFn>
void BuildIndex(const std::vector<T>& items, KeyFn key, KeyIndex& index) {
  std::vector<std::string_view> keys;
  keys.reserve(items.size());
  for (const T& item : items) {
    keys.push_back(key(item));
  }
  index.Build(keys);
}

template <typename T>
const T* Lookup(const std::vector<T>& items, const KeyIndex& index, std::string_view key) {
  const std::optional<std::size_t> position = index.Find(key);
  return position ? &items[*position] : nullptr;
}

}  // namespace

std::string_view DirectionName(Direction d) {
  switch (d) {
    case Direction::kHigherIsWorse:
      return "higher-is-worse";
    case Direction::kLowerIsWorse:
      return "lower-is-worse";
    case Direction::kBoth:
      return "both";
  }
  return "unknown";
}

Result<Direction> ParseDirection(std::string_view text) {
  for (Direction d : {Direction::kHigherIsWorse, Direction::kLowerIsWorse, Direction::kBoth}) {
    if (text == DirectionName(d)) {
      return d;
    }
  }
  return InvalidArgument(fmt::format(
      "unknown direction '{}' (expected higher-is-worse, lower-is-worse or both)", text));
}

std::string_view ValueKindName(ValueKind k) {
  switch (k) {
    case ValueKind::kCount:
      return "count";
    case ValueKind::kLevel:
      return "level";
    case ValueKind::kRate:
      return "rate";
    case ValueKind::kRatio:
      return "ratio";
  }
  return "unknown";
}

Result<ValueKind> ParseValueKind(std::string_view text) {
  for (ValueKind k : {ValueKind::kCount, ValueKind::kLevel, ValueKind::kRate, ValueKind::kRatio}) {
    if (text == ValueKindName(k)) {
      return k;
    }
  }
  return InvalidArgument(
      fmt::format("unknown value kind '{}' (expected count, level, rate or ratio)", text));
}

std::string_view LevelColour(int level) {
  constexpr std::array<std::string_view, kWarningLevels + 1> kColours = {"none", "blue", "yellow",
                                                                         "orange", "red"};
  return level >= 0 && level <= kWarningLevels ? kColours[level] : "unknown";
}

Result<int> ParseLevel(std::string_view text) {
  for (int level = 1; level <= kWarningLevels; ++level) {
    if (text == LevelColour(level) || text == std::to_string(level)) {
      return level;
    }
  }
  return InvalidArgument(
      fmt::format("unknown level '{}' (expected 1 to 4 or blue, yellow, orange, red)", text));
}

std::string_view CombineRuleName(CombineRule r) {
  switch (r) {
    case CombineRule::kAny:
      return "any";
    case CombineRule::kAll:
      return "all";
    case CombineRule::kKOfN:
      return "k-of-n";
  }
  return "unknown";
}

Result<CombineRule> ParseCombineRule(std::string_view text) {
  for (CombineRule r : {CombineRule::kAny, CombineRule::kAll, CombineRule::kKOfN}) {
    if (text == CombineRuleName(r)) {
      return r;
    }
  }
  return InvalidArgument(
      fmt::format("unknown combine rule '{}' (expected any, all or k-of-n)", text));
}

Catalogue::Catalogue(WorkspaceInfo info, std::vector<Domain> domains, std::vector<Region> regions,
                     std::vector<Indicator> indicators, std::vector<WarningPolicy> policies,
                     std::vector<DataSource> sources, std::vector<Agency> agencies)
    : info_(std::move(info)),
      domains_(std::move(domains)),
      regions_(std::move(regions)),
      indicators_(std::move(indicators)),
      policies_(std::move(policies)),
      sources_(std::move(sources)),
      agencies_(std::move(agencies)) {
  BuildIndex(
      domains_, [](const Domain& d) -> std::string_view { return d.id; }, domain_index_);
  BuildIndex(
      regions_, [](const Region& r) -> std::string_view { return r.code; }, region_index_);
  BuildIndex(
      indicators_, [](const Indicator& i) -> std::string_view { return i.id; }, indicator_index_);
  BuildIndex(
      policies_, [](const WarningPolicy& p) -> std::string_view { return p.id; }, policy_index_);
  BuildIndex(
      agencies_, [](const Agency& a) -> std::string_view { return a.id; }, agency_index_);
}

const Domain* Catalogue::FindDomain(std::string_view id) const {
  return Lookup(domains_, domain_index_, id);
}
const Region* Catalogue::FindRegion(std::string_view code) const {
  return Lookup(regions_, region_index_, code);
}
const Indicator* Catalogue::FindIndicator(std::string_view id) const {
  return Lookup(indicators_, indicator_index_, id);
}
const WarningPolicy* Catalogue::FindPolicy(std::string_view id) const {
  return Lookup(policies_, policy_index_, id);
}
const Agency* Catalogue::FindAgency(std::string_view id) const {
  return Lookup(agencies_, agency_index_, id);
}

std::vector<const Region*> Catalogue::Ancestors(std::string_view code) const {
  std::vector<const Region*> out;
  const Region* r = FindRegion(code);
  // Bounded by the region count, so a cycle (rejected by validation) cannot hang.
  while (r != nullptr && !r->parent.empty() && out.size() < regions_.size()) {
    r = FindRegion(r->parent);
    if (r != nullptr) {
      out.push_back(r);
    }
  }
  return out;
}

std::vector<const Region*> Catalogue::Children(std::string_view code) const {
  std::vector<const Region*> out;
  for (const Region& r : regions_) {
    if (r.parent == code) {
      out.push_back(&r);
    }
  }
  return out;
}

bool Catalogue::IsWithin(std::string_view code, std::string_view ancestor) const {
  if (code == ancestor) {
    return true;
  }
  for (const Region* r : Ancestors(code)) {
    if (r->code == ancestor) {
      return true;
    }
  }
  return false;
}

}  // namespace vigil
