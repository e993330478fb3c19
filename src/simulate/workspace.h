// The catalogue a simulated workspace declares, and its rendering as
// workspace.yaml in the format of docs/CATALOGUE.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/catalogue.h"

namespace vigil::sim {

// A point as GeoJSON writes it: longitude, then latitude.
struct LonLat {
  double lon = 0;
  double lat = 0;
};

// A region of the hierarchy with an optional polygon (one closed exterior ring).
struct RegionSpec {
  std::string code;
  std::string name;
  std::string parent;
  std::optional<std::int64_t> population;
  std::vector<LonLat> ring;  // empty: no geometry
};

struct WorkspaceSpec {
  WorkspaceInfo info;
  std::vector<Domain> domains;
  std::vector<RegionSpec> regions;
  std::vector<WarningPolicy> policies;
  std::vector<Indicator> indicators;
  std::vector<DataSource> sources;
  std::vector<Agency> agencies;
};

// workspace.yaml text, starting with `comment` (one or more lines, each
// written as a YAML comment).
std::string WorkspaceYaml(const WorkspaceSpec& spec, std::string_view comment);

// A detector with its parameters, values as the catalogue writes them
// ("10,20,30" for a list).
DetectorSpec Detector(std::string method,
                      std::vector<std::pair<std::string, std::string>> params = {});

}  // namespace vigil::sim
