#include "simulate/geography.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "simulate/random.h"

namespace vigil::sim {
namespace {

constexpr int kColumns = 4;  // districts per province, west to east
constexpr int kRows = 3;     // provinces, south to north
constexpr double kWest = 24.0;
constexpr double kSouth = 61.0;
constexpr double kCellLon = 0.5;
constexpr double kCellLat = 0.3;
constexpr double kJitter = 0.15;  // of a cell, so quadrilaterals stay simple

constexpr std::array<const char*, kRows> kProvinceNames = {"Southern Shore", "Central Lakes",
                                                           "Northern Ridge"};
constexpr std::array<const char*, kColumns* kRows> kDistrictNames = {
    "Kettle Bay", "Marsh End", "Reedford",  "Saltmere",  "Otterholm",  "Lakeside",
    "Pinewater",  "Birchvale", "Stonemoor", "Highcombe", "Eagle Fell", "Frostwick"};

double Round4(double x) { return std::round(x * 1e4) / 1e4; }

// Vertex (i, j) of the grid, i west to east in [0, kColumns], j south to north in [0, kRows].
class VertexGrid {
 public:
  explicit VertexGrid(Rng& rng) {
    for (int j = 0; j <= kRows; ++j) {
      for (int i = 0; i <= kColumns; ++i) {
        const double lon = kWest + kCellLon * (i + rng.Uniform(-kJitter, kJitter));
        const double lat = kSouth + kCellLat * (j + rng.Uniform(-kJitter, kJitter));
        vertices_[Index(i, j)] = {Round4(lon), Round4(lat)};
      }
    }
  }
  LonLat At(int i, int j) const { return vertices_[Index(i, j)]; }

  // Counter-clockwise closed ring around cells [i0, i1) x [j0, j1).
  std::vector<LonLat> Ring(int i0, int i1, int j0, int j1) const {
    std::vector<LonLat> ring;
    for (int i = i0; i < i1; ++i) {
      ring.push_back(At(i, j0));
    }
    for (int j = j0; j < j1; ++j) {
      ring.push_back(At(i1, j));
    }
    for (int i = i1; i > i0; --i) {
      ring.push_back(At(i, j1));
    }
    for (int j = j1; j > j0; --j) {
      ring.push_back(At(i0, j));
    }
    ring.push_back(ring.front());
    return ring;
  }

 private:
  static int Index(int i, int j) { return j * (kColumns + 1) + i; }
  std::array<LonLat, (kColumns + 1) * (kRows + 1)> vertices_;
};

}  // namespace

Geography MakeLakeland(std::uint64_t seed) {
  Rng rng(seed, "geography");
  const VertexGrid grid(rng);
  Geography geo;
  geo.regions.push_back({.code = "XL",
                         .name = "Lakeland",
                         .population = 0,
                         .ring = grid.Ring(0, kColumns, 0, kRows)});
  for (int j = 0; j < kRows; ++j) {
    const std::string province = fmt::format("XL-{:02}", j + 1);
    geo.provinces.push_back(geo.regions.size());
    geo.regions.push_back({.code = province,
                           .name = kProvinceNames[j],
                           .parent = "XL",
                           .population = 0,
                           .ring = grid.Ring(0, kColumns, j, j + 1)});
    for (int i = 0; i < kColumns; ++i) {
      const auto population =
          static_cast<std::int64_t>(std::round(LogNormal(rng, std::log(150000), 0.5) / 100) * 100);
      geo.districts.push_back(geo.regions.size());
      geo.regions.push_back({.code = fmt::format("{}-{:02}", province, i + 1),
                             .name = kDistrictNames[j * kColumns + i],
                             .parent = province,
                             .population = population,
                             .ring = grid.Ring(i, i + 1, j, j + 1)});
      *geo.regions[geo.provinces.back()].population += population;
      *geo.regions.front().population += population;
    }
  }
  return geo;
}

}  // namespace vigil::sim
