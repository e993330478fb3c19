#include "config/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/suggest.h"

namespace vigil::config_internal {

SourceLocation Problems::Loc(const YAML::Mark& mark) const {
  // yaml-cpp counts from 0 and uses -1 for "no position".
  return {file_, mark.line >= 0 ? mark.line + 1 : 0, mark.column >= 0 ? mark.column + 1 : 0};
}

void Problems::Add(SourceLocation loc, std::string field, std::string message) {
  problems_.push_back({std::move(loc), std::move(field), std::move(message)});
}

std::vector<ConfigProblem> Problems::Take() {
  std::stable_sort(problems_.begin(), problems_.end(), [](const auto& a, const auto& b) {
    return std::pair(a.loc.line, a.loc.column) < std::pair(b.loc.line, b.loc.column);
  });
  return std::move(problems_);
}

std::string FieldPath(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string IndexPath(std::string_view parent, size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

std::string_view KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "text";
    default:
      return "nothing";
  }
}

std::optional<double> ToNumber(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

MapReader::MapReader(Problems& problems, const YAML::Node& node, std::string path,
                     std::vector<std::string> known_keys)
    : problems_(problems), node_(node), path_(std::move(path)), is_map_(node.IsMap()) {
  if (!is_map_) {
    problems_.Add(node_, path_,
                  fmt::format("expected a mapping of keys to values, got {}", KindName(node_)));
    return;
  }
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar()) {
      problems_.Add(kv.first, path_, "a key must be plain text");
      continue;
    }
    const std::string key = kv.first.Scalar();
    if (const Entry* first = Find(key)) {
      problems_.Add(kv.first, Field(key),
                    fmt::format("duplicate key '{}' (first at line {})", key,
                                problems_.Loc(first->value).line));
      continue;
    }
    if (std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end()) {
      const std::string near = ClosestName(key, known_keys);
      problems_.Add(kv.first, Field(key),
                    fmt::format("unknown key '{}' ({}expected {})", key,
                                near.empty() ? "" : fmt::format("did you mean '{}'?; ", near),
                                fmt::join(known_keys, ", ")));
      continue;
    }
    entries_.push_back({key, kv.second});
  }
}

const MapReader::Entry* MapReader::Find(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (e.key == key) {
      return &e;
    }
  }
  return nullptr;
}

std::optional<YAML::Node> MapReader::Get(std::string_view key) const {
  const Entry* e = Find(key);
  if (e == nullptr || e->value.IsNull()) {
    return std::nullopt;
  }
  return e->value;
}

SourceLocation MapReader::LocOf(std::string_view key) const {
  const Entry* e = Find(key);
  return problems_.Loc(e != nullptr ? e->value : node_);
}

void MapReader::Report(std::string_view key, std::string message) {
  problems_.Add(LocOf(key), Field(key), std::move(message));
}

std::optional<std::string> MapReader::Text(std::string_view key, Need need) {
  std::optional<YAML::Node> value = Get(key);
  if (!value) {
    if (need == Need::kRequired && is_map_) {
      Report(key, fmt::format("'{}' is required", key));
    }
    return std::nullopt;
  }
  if (!value->IsScalar()) {
    Report(key, fmt::format("expected a single value, got {}", KindName(*value)));
    return std::nullopt;
  }
  return value->Scalar();
}

std::optional<double> MapReader::Number(std::string_view key, Need need) {
  std::optional<std::string> text = Text(key, need);
  if (!text) {
    return std::nullopt;
  }
  std::optional<double> number = ToNumber(*text);
  if (!number) {
    Report(key, fmt::format("expected a number, got '{}'", *text));
  }
  return number;
}

std::optional<std::int64_t> MapReader::Integer(std::string_view key, Need need) {
  std::optional<std::string> text = Text(key, need);
  if (!text) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end) {
    Report(key, fmt::format("expected a whole number, got '{}'", *text));
    return std::nullopt;
  }
  return value;
}

std::vector<YAML::Node> Items(Problems& problems, const YAML::Node& node, std::string_view path) {
  std::vector<YAML::Node> items;
  if (node.IsNull()) {
    return items;
  }
  if (!node.IsSequence()) {
    problems.Add(node, std::string(path),
                 fmt::format("expected a list (items starting with '- '), got {}", KindName(node)));
    return items;
  }
  for (const auto& item : node) {
    items.push_back(item);
  }
  return items;
}

}  // namespace vigil::config_internal
