// Running one detection method over a whole series, as `vigil detect` does:
// reading the series CSV, resolving the evaluation range, feeding a streaming
// detector every row from the first (so its state is warm) or asking a periodic
// detector for each row in range, and writing the result CSV.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "detect/detector.h"

namespace vigil {

// A series as read from CSV: consecutive periods, oldest first.
struct SeriesTable {
  std::vector<std::string> times;  // the `time` field as written
  std::vector<Point> points;       // value NaN where the field was empty (or NA)
  bool has_denominator = false;
};

// Parses CSV text with a header naming `time`, `value` and optionally
// `denominator` (any order, no other columns). Errors name `source`, the line
// and the field.
Result<SeriesTable> ParseSeriesCsv(std::string_view text, const std::string& source);
// Reads and parses a file; IoError when it cannot be read.
Result<SeriesTable> ReadSeriesCsv(const std::string& path);

struct DetectRequest {
  std::string method;                                       // --method
  std::vector<std::pair<std::string, std::string>> params;  // --param NAME=VALUE
  int periods_per_year = 52;                                // --frequency
  // --range FROM:TO, 1-based inclusive; 0 = default (FROM: the first row the
  // method can judge, TO: the last row).
  std::int64_t range_from = 0;
  std::int64_t range_to = 0;
};

struct DetectResult {
  std::size_t first_row = 0;  // 0-based row of evaluations[0]
  std::vector<Evaluation> evaluations;
  // Each distinct reason a row in range was not (fully) evaluated, with its
  // 1-based rows, in order of first appearance.
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> notes;
};

// Validates the method, parameters and range, builds the detector and runs it.
// With --range and a method whose `baseline` parameter is optional and unset,
// the baseline is the FROM - 1 rows before the range, as in `surveillance`.
Result<DetectResult> RunDetect(const DetectRequest& request, std::span<const Point> series);

// Writes `time,observed,expected,upperbound,alarm,score`, one line per
// evaluation; missing numbers are empty fields.
void WriteDetectCsv(std::ostream& out, const SeriesTable& table, const DetectResult& result);

// "3-7, 12" for rows {3,4,5,6,7,12}.
std::string FormatRows(std::span<const std::int64_t> rows);

}  // namespace vigil
