#include "config/geometry.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace vigil::config_internal {
namespace {

using nlohmann::json;

// One [lon, lat] or [lon, lat, altitude] position; reports and returns false when bad.
bool ReadPosition(Problems& problems, const YAML::Node& node, const std::string& path, json& out) {
  if (!node.IsSequence() || node.size() < 2 || node.size() > 3) {
    problems.Add(node, path, "a position must be a list [lon, lat] or [lon, lat, altitude]");
    return false;
  }
  out = json::array();
  for (const auto& coordinate : node) {
    std::optional<double> value =
        coordinate.IsScalar() ? ToNumber(coordinate.Scalar()) : std::nullopt;
    if (!value) {
      problems.Add(coordinate, path, "a coordinate must be a number");
      return false;
    }
    out.push_back(*value);
  }
  const double lon = out[0].get<double>();
  const double lat = out[1].get<double>();
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    problems.Add(node, path,
                 fmt::format("position [{}, {}] is outside lon [-180, 180], lat [-90, 90] (GeoJSON "
                             "positions are longitude first)",
                             lon, lat));
    return false;
  }
  return true;
}

bool ReadRing(Problems& problems, const YAML::Node& node, const std::string& path, json& out) {
  if (!node.IsSequence() || node.size() < 4) {
    problems.Add(node, path, "a linear ring must be a list of at least 4 positions");
    return false;
  }
  out = json::array();
  bool ok = true;
  for (size_t i = 0; i < node.size(); ++i) {
    json position;
    if (ReadPosition(problems, node[i], IndexPath(path, i), position)) {
      out.push_back(std::move(position));
    } else {
      ok = false;
    }
  }
  if (ok && out.front() != out.back()) {
    problems.Add(node, path,
                 "a linear ring must be closed: its last position must equal its first");
    return false;
  }
  return ok;
}

bool ReadPolygon(Problems& problems, const YAML::Node& node, const std::string& path, json& out) {
  if (!node.IsSequence() || node.size() == 0) {
    problems.Add(node, path, "a polygon must be a list of linear rings (the outer ring first)");
    return false;
  }
  out = json::array();
  bool ok = true;
  for (size_t i = 0; i < node.size(); ++i) {
    json ring;
    ok = ReadRing(problems, node[i], IndexPath(path, i), ring) && ok;
    out.push_back(std::move(ring));
  }
  return ok;
}

bool ReadMultiPolygon(Problems& problems, const YAML::Node& node, const std::string& path,
                      json& out) {
  if (!node.IsSequence() || node.size() == 0) {
    problems.Add(node, path, "a multipolygon must be a list of polygons");
    return false;
  }
  out = json::array();
  bool ok = true;
  for (size_t i = 0; i < node.size(); ++i) {
    json polygon;
    ok = ReadPolygon(problems, node[i], IndexPath(path, i), polygon) && ok;
    out.push_back(std::move(polygon));
  }
  return ok;
}

}  // namespace

std::optional<std::string> ReadGeometry(Problems& problems, const YAML::Node& node,
                                        const std::string& path) {
  MapReader geometry(problems, node, path, {"type", "coordinates"});
  std::optional<std::string> type = geometry.Text("type", Need::kRequired);
  std::optional<YAML::Node> coordinates = geometry.Get("coordinates");
  if (!coordinates) {
    geometry.Text("coordinates", Need::kRequired);
  }
  if (!type || !coordinates) {
    return std::nullopt;
  }
  const std::string coordinates_path = geometry.Field("coordinates");
  json out = {{"type", *type}};
  bool ok = false;
  if (*type == "Polygon") {
    ok = ReadPolygon(problems, *coordinates, coordinates_path, out["coordinates"]);
  } else if (*type == "MultiPolygon") {
    ok = ReadMultiPolygon(problems, *coordinates, coordinates_path, out["coordinates"]);
  } else {
    geometry.Report("type", fmt::format("unsupported geometry type '{}' (expected Polygon or "
                                        "MultiPolygon)",
                                        *type));
  }
  if (!ok) {
    return std::nullopt;
  }
  return out.dump();
}

}  // namespace vigil::config_internal
