#include "config/starter.h"

#include <fmt/format.h>

#include <fstream>
#include <system_error>

#include "config/config.h"

namespace vigil {
namespace {

constexpr const char* kWorkspaceYaml =
    R"(# Vigil workspace catalogue: what is watched, where, and how signals become
# warnings. Check it with `vigil validate`; every field is described in
# docs/CATALOGUE.md. Ids are lowercase letters, digits and '-'; durations are a
# whole number and a unit s, m, h, d or w (90s, 15m, 2h, 7d, 2w).

# Who this workspace speaks as, in reports and CAP 1.2 warning messages.
workspace:
  name: Example province
  sender: warnings@example.org    # CAP <sender>: no spaces, commas, '<' or '&'
  language: en-US                 # CAP <language>
  # cap_url: https://warnings.example.org/cap   # where the published CAP directory is served

# Domains group indicators by the kind of risk. A new domain is configuration,
# not code. cap_category is the CAP <category> of its warnings: Geo, Met,
# Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE or Other.
domains:
  - id: health
    name: Public health
    cap_category: Health
  - id: flood
    name: Floods
    cap_category: Met

# Regions form a hierarchy through `parent` (every parent must be declared, no
# cycles). Codes are letters, digits and '-'. population (optional, >= 0) is the
# exposure used in risk scores; geometry (optional) is a GeoJSON Polygon or
# MultiPolygon in [longitude, latitude] with closed rings.
regions:
  - code: XA
    name: Example province
    population: 1200000
    geometry:
      type: Polygon
      coordinates: [[[10.0, 50.0], [11.0, 50.0], [11.0, 51.0], [10.0, 51.0], [10.0, 50.0]]]
  - code: XA-01
    name: North district
    parent: XA
    population: 450000
    geometry:
      type: Polygon
      coordinates: [[[10.0, 50.5], [11.0, 50.5], [11.0, 51.0], [10.0, 51.0], [10.0, 50.5]]]
  - code: XA-02
    name: South district
    parent: XA
    population: 750000
    geometry:
      type: Polygon
      coordinates: [[[10.0, 50.0], [11.0, 50.0], [11.0, 50.5], [10.0, 50.5], [10.0, 50.0]]]

# Policies turn detector signals into graded warnings, kept per (domain,
# region, hazard). levels are the minimum detector score for blue, yellow,
# orange and red (any may be left out, the rest must rise); threshold
# detectors give their level directly. docs/WARNINGS.md explains the lifecycle.
policies:
  - id: outbreak
    hazard: infectious-disease
    levels: { blue: 1.0, yellow: 2.0, orange: 4.0, red: 8.0 }
    demote_after: 2w              # a lower level must hold this long before the warning goes down
    expire_after: 4w              # no supporting signal this long: the warning expires
    urgency: Expected             # CAP <urgency>: Immediate Expected Future Past Unknown
    certainty: Likely             # CAP <certainty>: Observed Likely Possible Unlikely Unknown
    hysteresis:                   # optional, per level: promote_after (default 0, at once), demote_after
      red: { demote_after: 1w }
    combine: { rule: any }        # any | all | k-of-n (with k and an optional window) across indicators
    group: { min_children: 2, level: orange }  # 2 districts at orange or above raise the province
    acknowledge_within: { red: 1m, orange: 3m, yellow: 5m }  # then escalate, again and again
  - id: river-flood
    hazard: river-flood
    demote_after: 6h
    expire_after: 24h
    urgency: Immediate
    certainty: Observed

# Indicators are the series Vigil watches, one per region. frequency: stream,
# hourly, daily, weekly or monthly; direction: higher-is-worse, lower-is-worse
# or both; value_kind: count, level, rate or ratio. allowed_lateness is how long
# to wait for late data before a period is evaluated. Each detector names a
# method and its parameters (`vigil detect --help` and docs/DETECTORS.md list
# them, with the defaults of the R package surveillance).
indicators:
  - id: influenza-like-illness
    name: Influenza-like illness consultations
    domain: health
    unit: consultations
    frequency: weekly
    direction: higher-is-worse
    value_kind: count
    allowed_lateness: 2w
    policy: outbreak
    detectors:
      - method: farrington-flexible   # needs a few years of weekly history
        params: { b: 5, w: 3, alpha: 0.05, noPeriods: 10 }
      - method: ears-c2               # needs only the last 9 weeks
        params: { baseline: 7, alpha: 0.001 }
  - id: river-level
    name: River level at the gauge
    domain: flood
    unit: m
    frequency: hourly
    direction: higher-is-worse
    value_kind: level
    allowed_lateness: 2h
    policy: river-flood
    detectors:
      - method: threshold             # blue, yellow, orange and red water marks
        params: { levels: [3.5, 4.0, 4.5, 5.0], duration: 2 }

# Sources are where observations come from. kind: file reads a CSV or JSON
# Lines file, path relative to this directory; format: csv or jsonl (default:
# from the file name). CSV columns: indicator, region, time, value and the
# optional denominator and source; times in the indicator's form (2024-W09 for
# weekly, RFC 3339 on the hour for hourly).
sources:
  - id: example
    kind: file
    path: data/example.csv
    format: csv

# Agencies receive the warnings of the regions (and everything beneath them)
# and domains (default: all) they are responsible for; the nearest
# jurisdiction wins. A warning not acknowledged in time escalates to
# escalate_to. Channels: webhook (a JSON POST to target, signed with the
# secret held in the environment variable secret_env) and alertmanager
# (target: Alertmanager's base URL). Email, SMS and paging go through a
# webhook gateway or Alertmanager's own receivers.
agencies:
  - id: north-health
    name: North district health office
    regions: [XA-01]
    domains: [health]
    channels:
      - { kind: webhook, target: "https://north.example.org/vigil", secret_env: VIGIL_NORTH_SECRET }
    escalate_to: province-emergency
  - id: province-emergency
    name: Province emergency management centre
    regions: [XA]
    channels:
      - { kind: alertmanager, target: "http://127.0.0.1:9093" }
      - { kind: webhook, target: "https://ops.example.org/vigil", secret_env: VIGIL_OPS_SECRET }
)";

constexpr const char* kExampleCsv = R"(indicator,region,time,value
influenza-like-illness,XA-01,2024-W01,42
influenza-like-illness,XA-01,2024-W02,51
influenza-like-illness,XA-02,2024-W01,63
influenza-like-illness,XA-02,2024-W02,58
river-level,XA-01,2024-01-08T00:00:00Z,2.41
river-level,XA-01,2024-01-08T01:00:00Z,2.46
river-level,XA-02,2024-01-08T00:00:00Z,1.87
)";

Status WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (ec || !out) {
    return IoError(fmt::format("cannot write {}", path.string()));
  }
  return Status::Ok();
}

}  // namespace

const std::vector<StarterFile>& StarterWorkspace() {
  static const std::vector<StarterFile> kFiles = {{std::string(kWorkspaceFileName), kWorkspaceYaml},
                                                  {"data/example.csv", kExampleCsv}};
  return kFiles;
}

Status WriteStarterWorkspace(const std::filesystem::path& dir, bool force) {
  const std::filesystem::path catalogue = WorkspaceFile(dir);
  std::error_code ec;
  if (!force && std::filesystem::exists(catalogue, ec)) {
    return AlreadyExists(
        fmt::format("{} already exists; use --force to overwrite it", catalogue.string()));
  }
  for (const StarterFile& file : StarterWorkspace()) {
    VIGIL_RETURN_IF_ERROR(WriteFile(dir / file.path, file.content));
  }
  return Status::Ok();
}

}  // namespace vigil
