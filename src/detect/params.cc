#include "detect/params.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "core/suggest.h"

namespace vigil {
namespace {

bool ParseNumber(std::string_view text, double& out) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  if (text.empty()) {
    return false;
  }
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

bool ParseBool(std::string_view text, bool& out) {
  if (text == "TRUE" || text == "true" || text == "1") {
    out = true;
    return true;
  }
  if (text == "FALSE" || text == "false" || text == "0") {
    out = false;
    return true;
  }
  return false;
}

bool IsNull(std::string_view text) { return text == "NULL" || text == "null"; }

std::string RangeText(const ParamSpec& spec, bool whole) {
  return fmt::format("{} in [{}, {}]", whole ? "a whole number" : "a number", spec.min, spec.max);
}

std::vector<std::string_view> SplitList(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const size_t end = comma == std::string_view::npos ? text.size() : comma;
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string Suggest(std::string_view name, const std::vector<std::string>& known) {
  const std::string best = ClosestName(name, known);
  return best.empty() ? "" : fmt::format("did you mean '{}'?; ", best);
}

}  // namespace

const ParamSpec* MethodSpec::FindParam(std::string_view param) const {
  for (const ParamSpec& p : params) {
    if (p.name == param) {
      return &p;
    }
  }
  return nullptr;
}

const MethodSpec* FindMethod(std::string_view name) {
  for (const MethodSpec& m : DetectorMethods()) {
    if (m.name == name) {
      return &m;
    }
  }
  return nullptr;
}

Status UnknownMethod(std::string_view name) {
  std::vector<std::string> names;
  for (const MethodSpec& m : DetectorMethods()) {
    names.push_back(m.name);
  }
  return InvalidArgument(fmt::format("unknown detector '{}' ({}known: {})", name,
                                     Suggest(name, names), fmt::join(names, ", ")));
}

Status CheckParamValue(const MethodSpec& method, const ParamSpec& spec, std::string_view value) {
  const std::string what = fmt::format("parameter '{}' of {}", spec.name, method.name);
  double number = 0;
  bool flag = false;
  switch (spec.type) {
    case ParamType::kOptionalInt:
    case ParamType::kOptionalDouble:
      if (IsNull(value)) {
        return Status::Ok();
      }
      [[fallthrough]];
    case ParamType::kInt:
    case ParamType::kDouble: {
      const bool whole = spec.type == ParamType::kInt || spec.type == ParamType::kOptionalInt;
      if (!ParseNumber(value, number) || number < spec.min || number > spec.max ||
          (whole && number != std::floor(number))) {
        return InvalidArgument(fmt::format("{} must be {}{}, got '{}'", what,
                                           RangeText(spec, whole),
                                           IsNull(spec.default_value) ? " or NULL" : "", value));
      }
      return Status::Ok();
    }
    case ParamType::kBool:
      if (!ParseBool(value, flag)) {
        return InvalidArgument(fmt::format("{} must be TRUE or FALSE, got '{}'", what, value));
      }
      return Status::Ok();
    case ParamType::kChoice:
      if (std::find(spec.choices.begin(), spec.choices.end(), value) == spec.choices.end()) {
        return InvalidArgument(fmt::format("{} must be one of {}, got '{}'", what,
                                           fmt::join(spec.choices, ", "), value));
      }
      return Status::Ok();
    case ParamType::kDoubleList: {
      const auto parts = SplitList(value);
      const bool too_many = static_cast<int>(parts.size()) > spec.max_items;
      for (std::string_view part : parts) {
        if (too_many || !ParseNumber(part, number) || number < spec.min || number > spec.max) {
          return InvalidArgument(fmt::format(
              "{} must be a comma-separated list of 1 to {} numbers in [{}, {}], got '{}'", what,
              spec.max_items, spec.min, spec.max, value));
        }
      }
      return Status::Ok();
    }
  }
  return Internal("unhandled parameter type");
}

std::vector<ParamProblem> ParamSet::Check(
    const MethodSpec& method, const std::vector<std::pair<std::string, std::string>>& given) {
  std::vector<std::string> names;
  for (const ParamSpec& p : method.params) {
    names.push_back(p.name);
  }
  std::vector<ParamProblem> problems;
  for (size_t i = 0; i < given.size(); ++i) {
    const auto& [name, value] = given[i];
    const ParamSpec* spec = method.FindParam(name);
    if (spec == nullptr) {
      problems.push_back(
          {static_cast<int>(i),
           InvalidArgument(
               fmt::format("unknown parameter '{}' of {} ({}known: {})", name, method.name,
                           Suggest(name, names),
                           names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))))});
      continue;
    }
    Status s = CheckParamValue(method, *spec, value);
    if (!s.ok()) {
      problems.push_back({static_cast<int>(i), std::move(s)});
    }
  }
  for (const ParamSpec& p : method.params) {
    const bool given_here =
        std::any_of(given.begin(), given.end(), [&](const auto& g) { return g.first == p.name; });
    if (p.default_value.empty() && !given_here) {
      problems.push_back({-1, InvalidArgument(fmt::format("parameter '{}' of {} is required ({})",
                                                          p.name, method.name, p.help))});
    }
  }
  return problems;
}

Result<ParamSet> ParamSet::Parse(const MethodSpec& method,
                                 const std::vector<std::pair<std::string, std::string>>& given) {
  std::vector<ParamProblem> problems = Check(method, given);
  if (!problems.empty()) {
    return problems.front().status;
  }
  ParamSet set;
  for (const ParamSpec& p : method.params) {
    set.values_[p.name] = p.default_value;
  }
  for (const auto& [name, value] : given) {
    set.values_[name] = value;
  }
  return set;
}

double ParamSet::GetDouble(std::string_view name) const {
  double v = std::nan("");
  ParseNumber(GetText(name), v);
  return v;
}

int ParamSet::GetInt(std::string_view name) const { return static_cast<int>(GetDouble(name)); }

bool ParamSet::GetBool(std::string_view name) const {
  bool v = false;
  ParseBool(GetText(name), v);
  return v;
}

bool ParamSet::IsSet(std::string_view name) const { return !IsNull(GetText(name)); }

const std::string& ParamSet::GetText(std::string_view name) const {
  static const std::string kEmpty;
  auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

std::vector<double> ParamSet::GetList(std::string_view name) const {
  std::vector<double> out;
  for (std::string_view part : SplitList(GetText(name))) {
    double v = 0;
    if (ParseNumber(part, v)) {
      out.push_back(v);
    }
  }
  return out;
}

}  // namespace vigil
