// The map of the default scenario: Lakeland (code XL), three provinces in
// rows, four districts each, tiled from one grid of jittered vertices so that
// neighbours share their edges exactly.
#pragma once

#include <cstdint>
#include <vector>

#include "simulate/workspace.h"

namespace vigil::sim {

struct Geography {
  std::vector<RegionSpec> regions;     // country, then each province and its districts
  std::vector<std::size_t> provinces;  // indexes into `regions`
  std::vector<std::size_t> districts;  // indexes into `regions`
  std::vector<std::size_t> sites;      // regions below districts (mines), indexes into `regions`
};

// Populations and vertex jitter are drawn from `seed`; names and codes are fixed.
Geography MakeLakeland(std::uint64_t seed);

}  // namespace vigil::sim
