// GeoJSON (RFC 7946: positions are [longitude, latitude]) to CAP polygons
// (pairs "latitude,longitude").
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "publish/warning_cap.h"

namespace vigil::publish {
namespace {

using nlohmann::json;

// Fixed notation with at most 6 decimals (about 0.1 m): CAP wants plain
// decimal degrees, and "{}" would write tiny values with an exponent.
std::string FormatDegrees(double degrees) {
  std::string text = fmt::format("{:.6f}", degrees);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') {
    text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

Result<std::string> PairFromPosition(const json& position) {
  if (!position.is_array() || position.size() < 2 || !position[0].is_number() ||
      !position[1].is_number()) {
    return InvalidArgument(
        fmt::format("position {} is not [longitude, latitude]", position.dump()));
  }
  const double lon = position[0].get<double>();
  const double lat = position[1].get<double>();
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    return InvalidArgument(
        fmt::format("position {} is outside longitude [-180, 180] or latitude "
                    "[-90, 90]",
                    position.dump()));
  }
  return FormatDegrees(lat) + "," + FormatDegrees(lon);
}

// The outer ring of a Polygon's coordinates, closed if it was not.
Result<std::string> PolygonFromRings(const json& rings) {
  if (!rings.is_array() || rings.empty() || !rings[0].is_array()) {
    return InvalidArgument("a polygon needs an array of linear rings");
  }
  std::vector<std::string> pairs;
  for (const json& position : rings[0]) {
    VIGIL_ASSIGN_OR_RETURN(std::string pair, PairFromPosition(position));
    pairs.push_back(std::move(pair));
  }
  if (!pairs.empty() && pairs.front() != pairs.back()) {
    pairs.push_back(pairs.front());
  }
  if (pairs.size() < 4) {
    return InvalidArgument(fmt::format(
        "a polygon ring needs at least 3 distinct positions and a closing one, found {}",
        pairs.size()));
  }
  return fmt::format("{}", fmt::join(pairs, " "));
}

Result<std::vector<std::string>> PolygonsFromGeometry(const json& geometry) {
  if (!geometry.is_object() || !geometry.contains("type") || !geometry["type"].is_string()) {
    return InvalidArgument("not a GeoJSON object with a \"type\"");
  }
  const std::string type = geometry["type"].get<std::string>();
  if (type == "Feature") {
    return geometry.contains("geometry") ? PolygonsFromGeometry(geometry["geometry"])
                                         : InvalidArgument("a Feature without \"geometry\"");
  }
  if (type != "Polygon" && type != "MultiPolygon") {
    return InvalidArgument(fmt::format("type {} has no area; use Polygon or MultiPolygon", type));
  }
  const json& coordinates = geometry.contains("coordinates") ? geometry["coordinates"] : json();
  if (!coordinates.is_array()) {
    return InvalidArgument(fmt::format("a {} without a \"coordinates\" array", type));
  }
  std::vector<std::string> polygons;
  if (type == "Polygon") {
    VIGIL_ASSIGN_OR_RETURN(std::string polygon, PolygonFromRings(coordinates));
    polygons.push_back(std::move(polygon));
    return polygons;
  }
  for (const json& rings : coordinates) {
    VIGIL_ASSIGN_OR_RETURN(std::string polygon, PolygonFromRings(rings));
    polygons.push_back(std::move(polygon));
  }
  return polygons;
}

}  // namespace

Result<std::vector<std::string>> CapPolygonsFromGeoJson(std::string_view geojson) {
  if (geojson.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return std::vector<std::string>();
  }
  const json geometry = json::parse(geojson, nullptr, /*allow_exceptions=*/false);
  if (geometry.is_discarded()) {
    return InvalidArgument("geometry is not valid JSON");
  }
  return PolygonsFromGeometry(geometry);
}

}  // namespace vigil::publish
