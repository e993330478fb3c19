// Observations: one value of one series at one event time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/time.h"

namespace vigil {

// A series is one indicator in one region. Stores assign each a SeriesId.
struct SeriesKey {
  std::string indicator;
  std::string region;
  bool operator==(const SeriesKey&) const = default;
};

struct SeriesKeyHash {
  size_t operator()(const SeriesKey& k) const {
    const size_t h = std::hash<std::string>{}(k.indicator);
    return h ^ (std::hash<std::string>{}(k.region) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  }
};

using SeriesId = std::int64_t;

// Keyed by (series, time): a second observation with the same key is a
// revision of the first, never a second count.
struct Observation {
  SeriesId series = 0;
  Timestamp time;  // event time; the period start for periodic indicators
  double value = 0;
  std::optional<double> denominator;  // population at risk, tests done...
  std::string source;                 // where it came from (source id or file name)
};

}  // namespace vigil
