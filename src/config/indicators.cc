// The indicators section: each indicator and its detectors, whose methods and
// parameters are checked against the method table in detect/params.h.
#include <fmt/format.h>

#include <algorithm>

#include "config/sections.h"
#include "detect/params.h"

namespace vigil::config_internal {
namespace {

// A parameter's text as `vigil detect --param` takes it: lists joined with commas.
std::optional<std::string> ParamText(Problems& problems, const YAML::Node& value,
                                     const std::string& path) {
  if (value.IsScalar()) {
    return value.Scalar();
  }
  if (value.IsSequence() && value.size() > 0) {
    std::string joined;
    for (const auto& item : value) {
      if (!item.IsScalar()) {
        problems.Add(item, path, "a list parameter must hold plain values");
        return std::nullopt;
      }
      joined += (joined.empty() ? "" : ",") + item.Scalar();
    }
    return joined;
  }
  problems.Add(value, path,
               fmt::format("expected a value or a list of values, got {}", KindName(value)));
  return std::nullopt;
}

void ReadParams(Problems& problems, MapReader& entry, const MethodSpec* method,
                DetectorSpec& detector) {
  std::optional<YAML::Node> node = entry.Get("params");
  std::vector<std::pair<std::string, std::string>> given;
  if (node && node->IsMap()) {
    for (const auto& kv : *node) {
      const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : "";
      const std::string path = FieldPath(entry.Field("params"), name);
      const bool repeated =
          std::any_of(given.begin(), given.end(), [&](const auto& g) { return g.first == name; });
      if (repeated) {
        problems.Add(kv.first, path, fmt::format("duplicate parameter '{}'", name));
        continue;
      }
      std::optional<std::string> text = ParamText(problems, kv.second, path);
      if (text) {
        detector.params.push_back({name, *text, problems.Loc(kv.second)});
        given.emplace_back(name, *text);
      }
    }
  } else if (node) {
    entry.Report("params", fmt::format("expected a mapping of parameter names to values, got {}",
                                       KindName(*node)));
  }
  if (method == nullptr) {
    return;
  }
  for (const ParamProblem& p : ParamSet::Check(*method, given)) {
    if (p.given_index < 0) {
      entry.Report("params", p.status.message());
      continue;
    }
    const DetectorParam& param = detector.params[p.given_index];
    problems.Add(param.loc, FieldPath(entry.Field("params"), param.name), p.status.message());
  }
}

void ReadDetector(Problems& problems, const YAML::Node& node, const std::string& path,
                  Frequency frequency, Indicator& indicator) {
  MapReader entry(problems, node, path, {"method", "params"});
  if (!entry.is_map()) {
    return;
  }
  DetectorSpec detector{.loc = entry.Loc()};
  const MethodSpec* method = nullptr;
  if (std::optional<std::string> name = entry.Text("method", Need::kRequired)) {
    detector.method = *name;
    method = FindMethod(*name);
    if (method == nullptr) {
      entry.Report("method", UnknownMethod(*name).message());
    } else if (method->shape == DetectorShape::kPeriodic &&
               (frequency == Frequency::kStream || frequency == Frequency::kHourly)) {
      entry.Report("method",
                   fmt::format("{} fits a model per closed period and needs daily, weekly or "
                               "monthly data; this indicator is {}",
                               *name, FrequencyName(frequency)));
    }
  }
  ReadParams(problems, entry, method, detector);
  indicator.detectors.push_back(std::move(detector));
}

void ReadIndicator(Problems& problems, MapReader& entry, IdRegistry& ids, Draft& draft) {
  Indicator indicator{.id = ReadId(entry, "id", ids, false), .loc = entry.Loc()};
  indicator.name = entry.Text("name", Need::kOptional).value_or(indicator.id);
  if (std::optional<std::string> domain = entry.Text("domain", Need::kRequired)) {
    indicator.domain = *domain;
    draft.indicator_domains.push_back(
        {indicator.id, *domain, entry.LocOf("domain"), entry.Field("domain")});
  }
  indicator.unit = entry.Text("unit", Need::kOptional).value_or("");
  const std::optional<Frequency> frequency =
      entry.Parsed<Frequency>("frequency", Need::kRequired, ParseFrequency);
  indicator.frequency = frequency.value_or(indicator.frequency);
  indicator.direction = entry.Parsed<Direction>("direction", Need::kOptional, ParseDirection)
                            .value_or(indicator.direction);
  indicator.value_kind = entry.Parsed<ValueKind>("value_kind", Need::kOptional, ParseValueKind)
                             .value_or(indicator.value_kind);
  indicator.allowed_lateness =
      entry.Parsed<Duration>("allowed_lateness", Need::kOptional, ParseDuration)
          .value_or(indicator.allowed_lateness);
  if (std::optional<std::string> policy = entry.Text("policy", Need::kOptional)) {
    indicator.policy = *policy;
    draft.indicator_policies.push_back(
        {indicator.id, *policy, entry.LocOf("policy"), entry.Field("policy")});
  }
  if (std::optional<YAML::Node> detectors = entry.Get("detectors")) {
    const std::string path = entry.Field("detectors");
    const std::vector<YAML::Node> items = Items(problems, *detectors, path);
    for (size_t i = 0; i < items.size(); ++i) {
      // Without a known frequency the shape check would only add noise.
      ReadDetector(problems, items[i], IndexPath(path, i), frequency.value_or(Frequency::kDaily),
                   indicator);
    }
  }
  draft.indicators.push_back(std::move(indicator));
}

}  // namespace

void ReadIndicators(Problems& problems, const YAML::Node& node, Draft& draft) {
  IdRegistry ids("indicator id");
  const std::vector<YAML::Node> items = Items(problems, node, "indicators");
  for (size_t i = 0; i < items.size(); ++i) {
    MapReader entry(problems, items[i], IndexPath("indicators", i),
                    {"id", "name", "domain", "unit", "frequency", "direction", "value_kind",
                     "allowed_lateness", "policy", "detectors"});
    if (entry.is_map()) {
      ReadIndicator(problems, entry, ids, draft);
    }
  }
}

}  // namespace vigil::config_internal
