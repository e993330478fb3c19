// Internal to config/: reading yaml-cpp nodes while collecting problems, so that
// one pass over a file reports every mistake in it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace vigil::config_internal {

class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}

  SourceLocation Loc(const YAML::Mark& mark) const;
  SourceLocation Loc(const YAML::Node& node) const { return Loc(node.Mark()); }
  void Add(SourceLocation loc, std::string field, std::string message);
  void Add(const YAML::Node& node, std::string field, std::string message) {
    Add(Loc(node), std::move(field), std::move(message));
  }
  bool empty() const { return problems_.empty(); }
  // Every problem, sorted by position (stable, so one position keeps its order).
  std::vector<ConfigProblem> Take();

 private:
  std::string file_;
  std::vector<ConfigProblem> problems_;
};

// "parent.key" ("key" at the top level) and "parent[index]".
std::string FieldPath(std::string_view parent, std::string_view key);
std::string IndexPath(std::string_view parent, size_t index);

enum class Need { kOptional, kRequired };

// One YAML mapping. Construction reports a non-mapping node, unknown keys (with
// a did-you-mean hint) and repeated keys; each getter reports a bad value and
// returns nullopt. A key with an empty value counts as absent.
class MapReader {
 public:
  MapReader(Problems& problems, const YAML::Node& node, std::string path,
            std::vector<std::string> known_keys);

  bool is_map() const { return is_map_; }
  const std::string& path() const { return path_; }
  std::string Field(std::string_view key) const { return FieldPath(path_, key); }
  SourceLocation Loc() const { return problems_.Loc(node_); }
  // The value of `key`, or nullopt when absent or empty.
  std::optional<YAML::Node> Get(std::string_view key) const;
  // Where `key`'s value is, or the mapping itself when the key is absent.
  SourceLocation LocOf(std::string_view key) const;
  void Report(std::string_view key, std::string message);

  std::optional<std::string> Text(std::string_view key, Need need);
  std::optional<double> Number(std::string_view key, Need need);
  std::optional<std::int64_t> Integer(std::string_view key, Need need);
  // Text converted by `parse`, whose error message is reported as it is.
  template <typename T>
  std::optional<T> Parsed(std::string_view key, Need need,
                          const std::function<Result<T>(std::string_view)>& parse) {
    std::optional<std::string> text = Text(key, need);
    if (!text) {
      return std::nullopt;
    }
    Result<T> value = parse(*text);
    if (!value.ok()) {
      Report(key, value.status().message());
      return std::nullopt;
    }
    return std::move(value).value();
  }

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
  };
  const Entry* Find(std::string_view key) const;

  Problems& problems_;
  YAML::Node node_;
  std::string path_;
  bool is_map_ = false;
  std::vector<Entry> entries_;
};

// The items of a sequence section; reports a node that is neither a sequence nor empty.
std::vector<YAML::Node> Items(Problems& problems, const YAML::Node& node, std::string_view path);

// A finite number in YAML text ("12", "-0.5", "1e3"); nullopt otherwise.
std::optional<double> ToNumber(std::string_view text);

// Describes a node's kind for messages: "a mapping", "a list", "text".
std::string_view KindName(const YAML::Node& node);

}  // namespace vigil::config_internal
