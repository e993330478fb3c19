// The warning-stage parts of the catalogue: per-level hysteresis, composite
// rules, grouping and acknowledgement deadlines of a policy, and the agencies
// section (docs/WARNINGS.md).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "config/sections.h"
#include "core/url.h"

namespace vigil::config_internal {
namespace {

const std::vector<std::string> kLevelKeys = {"blue", "yellow", "orange", "red"};
// Email, SMS and paging go through a webhook gateway or Alertmanager's own receivers.
const std::vector<std::string> kChannelKinds = {"webhook", "alertmanager"};

std::optional<Duration> ReadDuration(MapReader& entry, std::string_view key) {
  std::optional<Duration> d = entry.Parsed<Duration>(key, Need::kOptional, ParseDuration);
  if (d && *d < Duration{0}) {
    entry.Report(key, "a duration must not be negative");
    return std::nullopt;
  }
  return d;
}

void ReadHysteresis(Problems& problems, MapReader& policy, WarningPolicy& out) {
  std::optional<YAML::Node> node = policy.Get("hysteresis");
  if (!node) {
    return;
  }
  MapReader levels(problems, *node, policy.Field("hysteresis"), kLevelKeys);
  for (size_t i = 0; i < kLevelKeys.size(); ++i) {
    std::optional<YAML::Node> level = levels.Get(kLevelKeys[i]);
    if (!level) {
      continue;
    }
    MapReader rule(problems, *level, levels.Field(kLevelKeys[i]),
                   {"promote_after", "demote_after"});
    out.promote_after[i] = ReadDuration(rule, "promote_after").value_or(Duration{0});
    out.level_demote_after[i] = ReadDuration(rule, "demote_after");
  }
}

void ReadCombine(Problems& problems, MapReader& policy, WarningPolicy& out) {
  std::optional<YAML::Node> node = policy.Get("combine");
  if (!node) {
    return;
  }
  MapReader combine(problems, *node, policy.Field("combine"), {"rule", "k", "window"});
  out.combine =
      combine.Parsed<CombineRule>("rule", Need::kRequired, ParseCombineRule).value_or(out.combine);
  std::optional<std::int64_t> k = combine.Integer("k", Need::kOptional);
  if (out.combine == CombineRule::kKOfN && !k) {
    combine.Report("k", "rule k-of-n needs 'k', the number of indicators that must agree");
  } else if (k && out.combine != CombineRule::kKOfN) {
    combine.Report(
        "k", fmt::format("'k' only applies to rule k-of-n, not {}", CombineRuleName(out.combine)));
  } else if (k && (*k < 1 || *k > 1000)) {
    combine.Report("k", fmt::format("k must be between 1 and 1000, got {}", *k));
  } else if (k) {
    out.combine_k = static_cast<int>(*k);
  }
  out.combine_window = ReadDuration(combine, "window");
  if (out.combine_window && *out.combine_window <= Duration{0}) {
    combine.Report("window", "window must be longer than 0");
  }
}

void ReadGroup(Problems& problems, MapReader& policy, WarningPolicy& out) {
  std::optional<YAML::Node> node = policy.Get("group");
  if (!node) {
    return;
  }
  MapReader group(problems, *node, policy.Field("group"), {"min_children", "level"});
  std::optional<std::int64_t> k = group.Integer("min_children", Need::kRequired);
  if (k && (*k < 1 || *k > 1000)) {
    group.Report("min_children",
                 fmt::format("min_children must be between 1 and 1000, got {}", *k));
  } else if (k) {
    out.group_min_children = static_cast<int>(*k);
  }
  out.group_level = group.Parsed<int>("level", Need::kOptional, ParseLevel).value_or(1);
}

void ReadAcknowledge(Problems& problems, MapReader& policy, WarningPolicy& out) {
  std::optional<YAML::Node> node = policy.Get("acknowledge_within");
  if (!node) {
    return;
  }
  MapReader levels(problems, *node, policy.Field("acknowledge_within"), kLevelKeys);
  for (size_t i = 0; i < kLevelKeys.size(); ++i) {
    // Listing any level replaces the defaults: an unlisted level has no deadline.
    out.acknowledge_within[i] = ReadDuration(levels, kLevelKeys[i]);
    if (out.acknowledge_within[i] && *out.acknowledge_within[i] <= Duration{0}) {
      levels.Report(kLevelKeys[i], "a deadline must be longer than 0");
    }
  }
}

// A list of plain values, recording each as a reference to check later.
std::vector<std::string> ReadList(Problems& problems, MapReader& entry, std::string_view key,
                                  const std::string& from, std::vector<Reference>& references) {
  std::vector<std::string> out;
  std::optional<YAML::Node> node = entry.Get(key);
  if (!node) {
    return out;
  }
  const std::string path = entry.Field(key);
  const std::vector<YAML::Node> items = Items(problems, *node, path);
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].IsScalar()) {
      problems.Add(items[i], IndexPath(path, i),
                   fmt::format("expected a single value, got {}", KindName(items[i])));
      continue;
    }
    out.push_back(items[i].Scalar());
    references.push_back({from, out.back(), problems.Loc(items[i]), IndexPath(path, i)});
  }
  return out;
}

bool IsEnvName(std::string_view name) {
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
         });
}

AgencyChannel ReadChannel(MapReader& channel) {
  AgencyChannel out{.loc = channel.Loc()};
  out.kind = channel.Text("kind", Need::kRequired).value_or("");
  if (!out.kind.empty()) {
    CheckChoice(channel, "kind", out.kind, kChannelKinds, "channel kind");
  }
  out.target = channel.Text("target", Need::kRequired).value_or("");
  if (Result<HttpUrl> url = ParseHttpUrl(out.target); !out.target.empty() && !url.ok()) {
    channel.Report("target", url.status().message());
  }
  out.secret_env = channel.Text("secret_env", Need::kOptional).value_or("");
  if (!out.secret_env.empty() && out.kind == "alertmanager") {
    channel.Report("secret_env", "secret_env only applies to webhook channels");
  } else if (!out.secret_env.empty() && !IsEnvName(out.secret_env)) {
    channel.Report("secret_env",
                   fmt::format("'{}' is not an environment variable name (use letters, digits "
                               "and '_', not starting with a digit)",
                               out.secret_env));
  }
  return out;
}

void ReadChannels(Problems& problems, MapReader& entry, Agency& agency) {
  std::optional<YAML::Node> node = entry.Get("channels");
  if (!node) {
    return;
  }
  const std::string path = entry.Field("channels");
  const std::vector<YAML::Node> items = Items(problems, *node, path);
  for (size_t i = 0; i < items.size(); ++i) {
    MapReader channel(problems, items[i], IndexPath(path, i), {"kind", "target", "secret_env"});
    if (channel.is_map()) {
      agency.channels.push_back(ReadChannel(channel));
    }
  }
}

void ReadAgency(Problems& problems, MapReader& entry, IdRegistry& ids, Draft& draft) {
  Agency agency{.id = ReadId(entry, "id", ids, false), .loc = entry.Loc()};
  agency.name = entry.Text("name", Need::kOptional).value_or(agency.id);
  if (!entry.Get("regions")) {
    entry.Report("regions", "'regions' is required: the regions this agency is responsible for");
  }
  agency.regions = ReadList(problems, entry, "regions", agency.id, draft.agency_regions);
  agency.domains = ReadList(problems, entry, "domains", agency.id, draft.agency_domains);
  ReadChannels(problems, entry, agency);
  if (std::optional<std::string> next = entry.Text("escalate_to", Need::kOptional)) {
    agency.escalate_to = *next;
    if (*next == agency.id) {
      entry.Report("escalate_to", "an agency cannot escalate to itself");
    }
    draft.agency_escalations.push_back(
        {agency.id, *next, entry.LocOf("escalate_to"), entry.Field("escalate_to")});
  }
  draft.agencies.push_back(std::move(agency));
}

}  // namespace

void ReadWarningRules(Problems& problems, MapReader& policy, WarningPolicy& out) {
  ReadHysteresis(problems, policy, out);
  ReadCombine(problems, policy, out);
  ReadGroup(problems, policy, out);
  ReadAcknowledge(problems, policy, out);
  // Short-lived warnings refresh more often by default, so a steady signal keeps them alive.
  out.refresh_every = std::min(out.refresh_every, out.expire_after / 4);
  if (std::optional<Duration> every = ReadDuration(policy, "refresh_every")) {
    out.refresh_every = *every;
    // A steady signal recorded less often than this would let its warning expire.
    if (*every >= out.expire_after) {
      policy.Report("refresh_every",
                    fmt::format("refresh_every ({}) must be shorter than expire_after ({})",
                                FormatDuration(*every), FormatDuration(out.expire_after)));
    }
  }
}

void ReadAgencies(Problems& problems, const YAML::Node& node, Draft& draft) {
  IdRegistry ids("agency id");
  const std::vector<YAML::Node> items = Items(problems, node, "agencies");
  for (size_t i = 0; i < items.size(); ++i) {
    MapReader entry(problems, items[i], IndexPath("agencies", i),
                    {"id", "name", "regions", "domains", "channels", "escalate_to"});
    if (entry.is_map()) {
      ReadAgency(problems, entry, ids, draft);
    }
  }
}

}  // namespace vigil::config_internal
