#include "simulate/geography.h"

#include <gtest/gtest.h>

namespace vigil::sim {
namespace {

double SignedArea(const std::vector<LonLat>& ring) {
  double twice = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    twice += ring[i].lon * ring[i + 1].lat - ring[i + 1].lon * ring[i].lat;
  }
  return twice / 2;
}

int SharedVertices(const std::vector<LonLat>& a, const std::vector<LonLat>& b) {
  int shared = 0;
  for (std::size_t i = 0; i + 1 < a.size(); ++i) {
    for (std::size_t j = 0; j + 1 < b.size(); ++j) {
      shared += a[i].lon == b[j].lon && a[i].lat == b[j].lat;
    }
  }
  return shared;
}

TEST(GeographyTest, HasACountryThreeProvincesAndTwelveDistricts) {
  const Geography geo = MakeLakeland(42);
  EXPECT_EQ(geo.regions.size(), 16u);
  EXPECT_EQ(geo.regions.front().code, "XL");
  EXPECT_EQ(geo.provinces.size(), 3u);
  EXPECT_EQ(geo.districts.size(), 12u);
  for (std::size_t d : geo.districts) {
    EXPECT_EQ(geo.regions[d].parent.substr(0, 3), "XL-");
  }
}

TEST(GeographyTest, RingsAreClosedCounterClockwiseAndInRange) {
  for (const RegionSpec& r : MakeLakeland(42).regions) {
    ASSERT_GE(r.ring.size(), 5u) << r.code;
    EXPECT_EQ(r.ring.front().lon, r.ring.back().lon) << r.code;
    EXPECT_EQ(r.ring.front().lat, r.ring.back().lat) << r.code;
    EXPECT_GT(SignedArea(r.ring), 0) << r.code;
    for (const LonLat& p : r.ring) {
      EXPECT_GE(p.lon, -180);
      EXPECT_LE(p.lon, 180);
      EXPECT_GE(p.lat, -90);
      EXPECT_LE(p.lat, 90);
    }
  }
}

TEST(GeographyTest, NeighbouringDistrictsShareAnEdge) {
  const Geography geo = MakeLakeland(7);
  const auto& ring = [&](std::size_t i) -> const std::vector<LonLat>& {
    return geo.regions[geo.districts[i]].ring;
  };
  EXPECT_EQ(SharedVertices(ring(0), ring(1)), 2);  // east-west neighbours
  EXPECT_EQ(SharedVertices(ring(0), ring(4)), 2);  // north-south neighbours
  EXPECT_EQ(SharedVertices(ring(0), ring(5)), 1);  // diagonal: one corner
  EXPECT_EQ(SharedVertices(ring(0), ring(2)), 0);
}

TEST(GeographyTest, DistrictsTileTheirProvinceAndTheCountry) {
  const Geography geo = MakeLakeland(3);
  double districts = 0;
  for (std::size_t d : geo.districts) {
    districts += SignedArea(geo.regions[d].ring);
  }
  double provinces = 0;
  for (std::size_t p : geo.provinces) {
    provinces += SignedArea(geo.regions[p].ring);
  }
  EXPECT_NEAR(districts, provinces, 1e-9);
  EXPECT_NEAR(districts, SignedArea(geo.regions.front().ring), 1e-9);
}

TEST(GeographyTest, PopulationsAddUp) {
  const Geography geo = MakeLakeland(5);
  std::int64_t total = 0;
  for (std::size_t p : geo.provinces) {
    total += *geo.regions[p].population;
  }
  EXPECT_EQ(total, *geo.regions.front().population);
  EXPECT_GT(total, 0);
}

}  // namespace
}  // namespace vigil::sim
