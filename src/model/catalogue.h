// The workspace catalogue: the risk knowledge Vigil works with. Domains,
// a region hierarchy, indicators with their detectors and warning policies,
// and the sources data comes from. Plain data; loaded and validated by
// config/ and read by every stage. Immutable once loaded, so it may be shared
// between threads without locking.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "model/key_index.h"

namespace vigil {

// Where a catalogue entry was written, for error messages.
struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

struct Domain {
  std::string id;
  std::string name;
  // CAP 1.2 <category> for warnings of this domain: Geo, Met, Safety, Security,
  // Rescue, Fire, Health, Env, Transport, Infra, CBRNE or Other.
  std::string cap_category = "Other";
  SourceLocation loc;
};

struct Region {
  std::string code;  // e.g. "CN", "CN-32", "CN-32-01"
  std::string name;
  std::string parent;            // empty for a root region
  std::string geometry_geojson;  // a GeoJSON geometry object as JSON text; empty if none
  std::optional<std::int64_t> population;
  SourceLocation loc;
};

enum class Direction { kHigherIsWorse, kLowerIsWorse, kBoth };
enum class ValueKind { kCount, kLevel, kRate, kRatio };

std::string_view DirectionName(Direction d);  // "higher-is-worse", "lower-is-worse", "both"
Result<Direction> ParseDirection(std::string_view text);
std::string_view ValueKindName(ValueKind k);  // "count", "level", "rate", "ratio"
Result<ValueKind> ParseValueKind(std::string_view text);

// A detector parameter as written. Lists are joined with commas ("10,20,30"),
// the same text `vigil detect --param NAME=VALUE` takes; detect/ parses them.
struct DetectorParam {
  std::string name;
  std::string value;
  SourceLocation loc;
};

struct DetectorSpec {
  std::string method;  // e.g. "ears-c2", "farrington-flexible"
  std::vector<DetectorParam> params;
  SourceLocation loc;
};

// Warning levels: 1 blue (Level IV), 2 yellow (III), 3 orange (II), 4 red (I).
inline constexpr int kWarningLevels = 4;
std::string_view LevelColour(int level);  // "blue" .. "red"; "none" for 0
// "1".."4" or a colour, "blue".."red".
Result<int> ParseLevel(std::string_view text);

enum class CombineRule { kAny, kAll, kKOfN };
std::string_view CombineRuleName(CombineRule r);  // "any", "all", "k-of-n"
Result<CombineRule> ParseCombineRule(std::string_view text);

// How signals of an indicator become warnings (see warn/ and docs/WARNINGS.md).
struct WarningPolicy {
  std::string id;
  std::string hazard;  // warnings are kept per (domain, region, hazard)
  // Minimum detector score for levels 1 blue, 2 yellow, 3 orange, 4 red.
  // A missing level is skipped. Threshold detectors give their level directly.
  std::array<std::optional<double>, 4> score_cut_points;
  Duration demote_after{std::chrono::hours(24)};  // level must be lower this long to go down
  Duration expire_after{std::chrono::hours(72)};  // no supporting signal this long: expire
  std::string urgency = "Expected";               // CAP <urgency>
  std::string certainty = "Likely";               // CAP <certainty>
  SourceLocation loc;

  // Per level (index 0 blue .. 3 red): how long the evidence must reach the
  // level before the warning goes up to it (0: at once), and how long it must
  // stay below the level before the warning goes down from it (unset: demote_after).
  std::array<Duration, 4> promote_after{};
  std::array<std::optional<Duration>, 4> level_demote_after;
  // How the latest level of each indicator with this policy combine into the
  // warning's level: the k-th highest among the n indicators (any: k = 1,
  // all: k = n). Levels older than `combine_window` no longer count (unset: expire_after).
  CombineRule combine = CombineRule::kAny;
  int combine_k = 1;  // kKOfN only
  std::optional<Duration> combine_window;
  // Grouping up the region tree: at least `group_min_children` child regions
  // warned at `group_level` or above raise the parent region. 0: no grouping.
  int group_min_children = 0;
  int group_level = 1;
  // Time to acknowledge a warning per level (unset: no deadline, no escalation).
  std::array<std::optional<Duration>, 4> acknowledge_within{
      std::nullopt, std::chrono::minutes(5), std::chrono::minutes(3), std::chrono::minutes(1)};
  // A repeated signal at an unchanged level is recorded (and extends the
  // warning's life) at most this often; bounds the event log of fast streams.
  // The loader lowers the default to expire_after / 4 when that is shorter.
  Duration refresh_every{std::chrono::hours(1)};

  Duration DemoteAfter(int level) const {
    return level_demote_after[level - 1].value_or(demote_after);
  }
  Duration CombineWindow() const { return combine_window.value_or(expire_after); }
};

// Where an agency sends what it is routed (src/notify, docs/NOTIFY.md): kind
// is webhook (target: the URL to POST to) or alertmanager (target:
// Alertmanager's base URL). A webhook's secret_env names the environment
// variable holding its signing secret; empty: requests are not signed.
struct AgencyChannel {
  std::string kind;
  std::string target;
  std::string secret_env;
  SourceLocation loc;
};

// Who is responsible for warnings in some regions (and everything beneath
// them) and domains (empty: every domain), and whom to escalate to when a
// warning is not acknowledged in time.
struct Agency {
  std::string id;
  std::string name;
  std::vector<std::string> regions;
  std::vector<std::string> domains;
  std::vector<AgencyChannel> channels;
  std::string escalate_to;  // an Agency id; empty: the last tier
  SourceLocation loc;
};

struct Indicator {
  std::string id;
  std::string name;
  std::string domain;  // a Domain id
  std::string unit;
  Frequency frequency = Frequency::kDaily;
  Direction direction = Direction::kHigherIsWorse;
  ValueKind value_kind = ValueKind::kCount;
  Duration allowed_lateness{0};
  std::vector<DetectorSpec> detectors;
  std::string policy;  // a WarningPolicy id; empty: no warnings from this indicator
  SourceLocation loc;
};

// Where observations come from. Kind "file": `path` is a CSV or JSON Lines
// file, relative to the workspace.
struct DataSource {
  std::string id;
  std::string kind;
  std::string path;
  std::string format;  // "csv", "jsonl", or empty to decide by the file name
  SourceLocation loc;
};

// Who the workspace speaks as, in reports and CAP messages.
struct WorkspaceInfo {
  std::string name = "Vigil workspace";
  std::string sender = "vigil@localhost";  // CAP <sender>
  std::string language = "en-US";          // CAP <language>
  // Where the workspace's published CAP directory is served (http or https);
  // the Atom feed links messages there. Empty: links relative to the feed.
  std::string cap_url;
};

class Catalogue {
 public:
  Catalogue() = default;
  // Move-only: the indexes point into the entry vectors, whose buffers a move keeps.
  Catalogue(const Catalogue&) = delete;
  Catalogue& operator=(const Catalogue&) = delete;
  Catalogue(Catalogue&&) = default;
  Catalogue& operator=(Catalogue&&) = default;
  // Builds the lookup indexes. Entries must already be validated (config/).
  Catalogue(WorkspaceInfo info, std::vector<Domain> domains, std::vector<Region> regions,
            std::vector<Indicator> indicators, std::vector<WarningPolicy> policies,
            std::vector<DataSource> sources, std::vector<Agency> agencies = {});

  const WorkspaceInfo& info() const { return info_; }
  const std::vector<Domain>& domains() const { return domains_; }
  const std::vector<Region>& regions() const { return regions_; }
  const std::vector<Indicator>& indicators() const { return indicators_; }
  const std::vector<WarningPolicy>& policies() const { return policies_; }
  const std::vector<DataSource>& sources() const { return sources_; }
  const std::vector<Agency>& agencies() const { return agencies_; }

  // nullptr when absent. Pointers stay valid for the catalogue's lifetime.
  const Domain* FindDomain(std::string_view id) const;
  const Region* FindRegion(std::string_view code) const;
  const Indicator* FindIndicator(std::string_view id) const;
  const WarningPolicy* FindPolicy(std::string_view id) const;
  const Agency* FindAgency(std::string_view id) const;

  // The region's parent chain, nearest first, excluding the region itself.
  std::vector<const Region*> Ancestors(std::string_view code) const;
  // Direct children, in catalogue order.
  std::vector<const Region*> Children(std::string_view code) const;
  // True when `code` is `ancestor` or lies beneath it.
  bool IsWithin(std::string_view code, std::string_view ancestor) const;

 private:
  WorkspaceInfo info_;
  std::vector<Domain> domains_;
  std::vector<Region> regions_;
  std::vector<Indicator> indicators_;
  std::vector<WarningPolicy> policies_;
  std::vector<DataSource> sources_;
  std::vector<Agency> agencies_;
  KeyIndex domain_index_;
  KeyIndex region_index_;
  KeyIndex indicator_index_;
  KeyIndex policy_index_;
  KeyIndex agency_index_;
};

}  // namespace vigil
