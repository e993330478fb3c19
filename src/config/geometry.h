// Internal to config/: a region's GeoJSON geometry, written in YAML, checked and
// converted to compact JSON text.
#pragma once

#include <optional>
#include <string>

#include "config/yaml_reader.h"

namespace vigil::config_internal {

// A Polygon or MultiPolygon: rings of at least 4 [lon, lat] positions (an
// optional third number is the altitude), each ring closed (first position ==
// last), lon in [-180, 180], lat in [-90, 90]. Returns the compact JSON text,
// or nullopt after reporting every problem found.
std::optional<std::string> ReadGeometry(Problems& problems, const YAML::Node& node,
                                        const std::string& path);

}  // namespace vigil::config_internal
