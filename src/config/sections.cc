#include "config/sections.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "config/geometry.h"
#include "core/url.h"

namespace vigil::config_internal {
namespace {

const std::vector<std::string> kCapCategories = {"Geo",       "Met",   "Safety", "Security",
                                                 "Rescue",    "Fire",  "Health", "Env",
                                                 "Transport", "Infra", "CBRNE",  "Other"};
const std::vector<std::string> kCapUrgencies = {"Immediate", "Expected", "Future", "Past",
                                                "Unknown"};
const std::vector<std::string> kCapCertainties = {"Observed", "Likely", "Possible", "Unlikely",
                                                  "Unknown"};
const std::vector<std::string> kLevelNames = {"blue", "yellow", "orange", "red"};
const std::vector<std::string> kSourceFormats = {"csv", "jsonl"};

// CAP <language> (RFC 3066): "en", "en-US", "zh-Hans-CN".
bool IsLanguageTag(std::string_view text) {
  size_t part = 0;
  for (const char c : text) {
    if (c == '-' && part > 0) {
      part = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) && part < 8) {
      ++part;
    } else {
      return false;
    }
  }
  return part > 0;
}

// CAP <sender>: no spaces, commas or restricted characters '<' and '&'.
bool IsCapSender(std::string_view text) {
  return !text.empty() && text.find_first_of(" \t,<&") == std::string_view::npos;
}

std::optional<Duration> ReadDuration(MapReader& entry, std::string_view key) {
  return entry.Parsed<Duration>(key, Need::kOptional, ParseDuration);
}

void ReadLevels(Problems& problems, MapReader& policy, WarningPolicy& out) {
  std::optional<YAML::Node> node = policy.Get("levels");
  if (!node) {
    return;
  }
  MapReader levels(problems, *node, policy.Field("levels"), kLevelNames);
  std::optional<size_t> previous;
  for (size_t i = 0; i < kLevelNames.size(); ++i) {
    std::optional<double> cut = levels.Number(kLevelNames[i], Need::kOptional);
    if (!cut) {
      continue;
    }
    if (*cut < 0) {
      levels.Report(kLevelNames[i], fmt::format("a score cut point must be >= 0, got {}", *cut));
    } else if (previous && *cut <= *out.score_cut_points[*previous]) {
      levels.Report(kLevelNames[i],
                    fmt::format("levels must rise from blue to red: {} ({}) is not above {} ({})",
                                kLevelNames[i], *cut, kLevelNames[*previous],
                                *out.score_cut_points[*previous]));
    }
    out.score_cut_points[i] = *cut;
    previous = i;
  }
}

void ReadRegion(Problems& problems, MapReader& entry, IdRegistry& codes, Draft& draft) {
  Region region{.code = ReadId(entry, "code", codes, true), .loc = entry.Loc()};
  region.name = entry.Text("name", Need::kOptional).value_or(region.code);
  if (std::optional<std::string> parent = entry.Text("parent", Need::kOptional)) {
    region.parent = *parent;
    draft.region_parents.push_back(
        {region.code, *parent, entry.LocOf("parent"), entry.Field("parent")});
  }
  if (std::optional<std::int64_t> population = entry.Integer("population", Need::kOptional)) {
    if (*population < 0) {
      entry.Report("population", fmt::format("population must be >= 0, got {}", *population));
    }
    region.population = *population;
  }
  if (std::optional<YAML::Node> geometry = entry.Get("geometry")) {
    region.geometry_geojson =
        ReadGeometry(problems, *geometry, entry.Field("geometry")).value_or("");
  }
  draft.regions.push_back(std::move(region));
}

void ReadSource(MapReader& entry, IdRegistry& ids, Draft& draft) {
  DataSource source{.id = ReadId(entry, "id", ids, false), .loc = entry.Loc()};
  if (std::optional<std::string> kind = entry.Text("kind", Need::kRequired)) {
    source.kind = *kind;
    CheckChoice(entry, "kind", *kind, {"file"}, "source kind");
  }
  if (std::optional<std::string> path = entry.Text("path", Need::kRequired)) {
    source.path = *path;
    if (std::filesystem::path(*path).is_absolute()) {
      entry.Report("path", fmt::format("'{}' must be relative to the workspace directory", *path));
    }
  }
  if (std::optional<std::string> format = entry.Text("format", Need::kOptional)) {
    source.format = *format;
    CheckChoice(entry, "format", *format, kSourceFormats, "format");
  } else if (!source.path.empty()) {
    const std::string extension = std::filesystem::path(source.path).extension().string();
    source.format = extension.empty() ? "" : extension.substr(1);
    if (std::find(kSourceFormats.begin(), kSourceFormats.end(), source.format) ==
        kSourceFormats.end()) {
      entry.Report("path", fmt::format("cannot tell the format of '{}' from its name; add "
                                       "'format: csv' or 'format: jsonl'",
                                       source.path));
    }
  }
  draft.sources.push_back(std::move(source));
}

}  // namespace

bool IdRegistry::Add(MapReader& entry, std::string_view key, const std::string& id) {
  const int line = entry.LocOf(key).line;
  auto [it, inserted] = first_line_.emplace(id, line);
  if (!inserted) {
    entry.Report(
        key, fmt::format("duplicate {} '{}' (first declared at line {})", kind_, id, it->second));
  }
  return inserted;
}

bool IsLowerId(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsRegionCode(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

std::string ReadId(MapReader& entry, std::string_view key, IdRegistry& ids, bool region_code) {
  std::optional<std::string> id = entry.Text(key, Need::kRequired);
  if (!id) {
    return "";
  }
  if (region_code ? !IsRegionCode(*id) : !IsLowerId(*id)) {
    entry.Report(key, fmt::format("'{}' is not a valid {} (use {})", *id, key,
                                  region_code ? "letters, digits and '-'"
                                              : "lowercase letters, digits and '-'"));
  }
  ids.Add(entry, key, *id);
  return *id;
}

bool CheckChoice(MapReader& entry, std::string_view key, const std::string& value,
                 const std::vector<std::string>& allowed, std::string_view what) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
    return true;
  }
  entry.Report(key, fmt::format("unknown {} '{}' (expected one of {})", what, value,
                                fmt::join(allowed, ", ")));
  return false;
}

void ReadWorkspaceInfo(Problems& problems, const YAML::Node& node, Draft& draft) {
  MapReader entry(problems, node, "workspace", {"name", "sender", "language", "cap_url"});
  WorkspaceInfo& info = draft.info;
  info.name = entry.Text("name", Need::kOptional).value_or(info.name);
  info.sender = entry.Text("sender", Need::kOptional).value_or(info.sender);
  info.language = entry.Text("language", Need::kOptional).value_or(info.language);
  info.cap_url = entry.Text("cap_url", Need::kOptional).value_or("");
  if (!info.cap_url.empty()) {
    if (Result<HttpUrl> url = ParseHttpUrl(info.cap_url); !url.ok()) {
      entry.Report("cap_url", url.status().message());
    }
  }
  if (!IsCapSender(info.sender)) {
    entry.Report("sender", fmt::format("'{}' is not a valid CAP sender (no spaces, commas, '<' "
                                       "or '&'; e.g. warnings@example.org)",
                                       info.sender));
  }
  if (!IsLanguageTag(info.language)) {
    entry.Report("language",
                 fmt::format("'{}' is not a language tag (e.g. en-US, fr, zh-CN)", info.language));
  }
}

void ReadDomains(Problems& problems, const YAML::Node& node, Draft& draft) {
  IdRegistry ids("domain id");
  const std::vector<YAML::Node> items = Items(problems, node, "domains");
  for (size_t i = 0; i < items.size(); ++i) {
    MapReader entry(problems, items[i], IndexPath("domains", i), {"id", "name", "cap_category"});
    if (!entry.is_map()) {
      continue;
    }
    Domain domain{.id = ReadId(entry, "id", ids, false), .loc = entry.Loc()};
    domain.name = entry.Text("name", Need::kOptional).value_or(domain.id);
    if (std::optional<std::string> category = entry.Text("cap_category", Need::kOptional)) {
      domain.cap_category = *category;
      CheckChoice(entry, "cap_category", *category, kCapCategories, "CAP category");
    }
    draft.domains.push_back(std::move(domain));
  }
}

void ReadRegions(Problems& problems, const YAML::Node& node, Draft& draft) {
  IdRegistry codes("region code");
  const std::vector<YAML::Node> items = Items(problems, node, "regions");
  for (size_t i = 0; i < items.size(); ++i) {
    MapReader entry(problems, items[i], IndexPath("regions", i),
                    {"code", "name", "parent", "population", "geometry"});
    if (entry.is_map()) {
      ReadRegion(problems, entry, codes, draft);
    }
  }
}

void ReadPolicies(Problems& problems, const YAML::Node& node, Draft& draft) {
  IdRegistry ids("policy id");
  const std::vector<YAML::Node> items = Items(problems, node, "policies");
  for (size_t i = 0; i < items.size(); ++i) {
    MapReader entry(
        problems, items[i], IndexPath("policies", i),
        {"id", "hazard", "levels", "demote_after", "expire_after", "urgency", "certainty",
         "hysteresis", "combine", "group", "acknowledge_within", "refresh_every"});
    if (!entry.is_map()) {
      continue;
    }
    WarningPolicy policy{.id = ReadId(entry, "id", ids, false), .loc = entry.Loc()};
    if (std::optional<std::string> hazard = entry.Text("hazard", Need::kRequired)) {
      policy.hazard = *hazard;
      if (!IsLowerId(*hazard)) {
        entry.Report("hazard", fmt::format("'{}' is not a valid hazard (use lowercase letters, "
                                           "digits and '-')",
                                           *hazard));
      }
    }
    ReadLevels(problems, entry, policy);
    policy.demote_after = ReadDuration(entry, "demote_after").value_or(policy.demote_after);
    policy.expire_after = ReadDuration(entry, "expire_after").value_or(policy.expire_after);
    if (policy.expire_after <= Duration{0}) {
      entry.Report("expire_after", "expire_after must be longer than 0");
    }
    policy.urgency = entry.Text("urgency", Need::kOptional).value_or(policy.urgency);
    CheckChoice(entry, "urgency", policy.urgency, kCapUrgencies, "CAP urgency");
    policy.certainty = entry.Text("certainty", Need::kOptional).value_or(policy.certainty);
    CheckChoice(entry, "certainty", policy.certainty, kCapCertainties, "CAP certainty");
    ReadWarningRules(problems, entry, policy);
    draft.policies.push_back(std::move(policy));
  }
}

void ReadSources(Problems& problems, const YAML::Node& node, Draft& draft) {
  IdRegistry ids("source id");
  const std::vector<YAML::Node> items = Items(problems, node, "sources");
  for (size_t i = 0; i < items.size(); ++i) {
    MapReader entry(problems, items[i], IndexPath("sources", i), {"id", "kind", "path", "format"});
    if (entry.is_map()) {
      ReadSource(entry, ids, draft);
    }
  }
}

}  // namespace vigil::config_internal
