// Test data for the Farrington detectors: the weekly series salmonella.agona
// shipped with the R package `surveillance` (312 weeks, 1990-1995).
#pragma once

#include <vector>

#include "detect/detector.h"

namespace vigil::testing {

inline const std::vector<double>& SalmonellaAgona() {
  static const std::vector<double> kCounts = {
      1, 0,  5,  2,  1, 2, 0, 4, 0, 0, 0, 3, 1, 1, 0, 0, 2, 2,  0, 2, 6, 3,  2, 1,  2,  0, 1, 1,  3,
      5, 3,  4,  3,  6, 5, 8, 6, 3, 6, 2, 5, 2, 1, 5, 7, 1, 10, 3, 4, 0, 0,  1, 6,  0,  2, 2, 0,  0,
      2, 2,  0,  6,  7, 1, 0, 0, 0, 1, 1, 4, 3, 1, 3, 2, 6, 3,  4, 4, 8, 12, 9, 17, 16, 8, 6, 13, 4,
      7, 10, 3,  11, 4, 6, 4, 7, 6, 2, 9, 2, 3, 4, 1, 2, 2, 0,  0, 1, 2, 2,  2, 5,  0,  0, 4, 2,  1,
      3, 2,  0,  1,  1, 3, 0, 1, 3, 2, 3, 6, 2, 1, 3, 3, 2, 2,  2, 1, 3, 3,  2, 3,  0,  2, 4, 6,  7,
      3, 1,  4,  1,  2, 5, 1, 3, 1, 0, 1, 3, 3, 0, 0, 1, 1, 0,  1, 4, 1, 1,  0, 0,  1,  1, 4, 1,  0,
      1, 2,  1,  4,  3, 3, 0, 3, 5, 3, 3, 4, 3, 3, 3, 4, 5, 7,  6, 5, 3, 2,  1, 3,  2,  1, 2, 1,  1,
      0, 0,  1,  1,  0, 1, 4, 3, 2, 0, 1, 0, 3, 1, 1, 4, 4, 0,  1, 4, 2, 0,  1, 1,  0,  1, 1, 2,  5,
      4, 0,  2,  1,  1, 3, 6, 1, 7, 6, 2, 5, 7, 5, 4, 5, 6, 6,  1, 2, 2, 5,  4, 1,  6,  2, 5, 3,  4,
      7, 6,  10, 2,  4, 0, 3, 0, 1, 3, 0, 1, 1, 0, 1, 0, 1, 0,  1, 2, 2, 4,  7, 6,  1,  4, 6, 4,  2,
      4, 5,  5,  9,  8, 6, 3, 2, 3, 4, 3, 3, 4, 4, 2, 1, 2, 3,  2, 2, 0, 4};
  return kCounts;
}

// Points for `values` (denominator `denominators[i]` when given).
inline std::vector<Point> Points(const std::vector<double>& values,
                                 const std::vector<double>& denominators = {}) {
  std::vector<Point> points(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    points[i].value = values[i];
    points[i].denominator = i < denominators.size() ? denominators[i] : kMissing;
  }
  return points;
}

}  // namespace vigil::testing
