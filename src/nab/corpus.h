// The Numenta Anomaly Benchmark (NAB) corpus as laid out in NAB's repository:
// data/<category>/<name>.csv (columns timestamp,value), the ground-truth
// anomaly windows in labels/combined_windows.json and the application profiles
// (cost matrices) in config/profiles.json.
//
// The corpus is the set of files the windows file names, in its (sorted) order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::nab {

// An anomaly window, inclusive at both ends, in seconds since 1970-01-01 UTC.
struct Window {
  std::int64_t start = 0;
  std::int64_t end = 0;
};

struct DataFile {
  std::string category;                     // "realKnownCause"
  std::string name;                         // "nyc_taxi" (no extension)
  std::vector<std::string> timestamp_text;  // as written, for the results files
  std::vector<std::int64_t> timestamps;     // seconds; NAB repeats a few
  std::vector<double> values;
  std::vector<Window> windows;
};

// A cost matrix: what a detection is worth in or out of a window, and what a
// missed window costs.
struct Profile {
  std::string name;  // "standard", "reward_low_FP_rate", "reward_low_FN_rate"
  double tp_weight = 1;
  double fp_weight = 0.11;
  double fn_weight = 1;
};

struct Corpus {
  std::vector<DataFile> files;
  std::vector<Profile> profiles;  // in the order NAB publishes them (see kProfileOrder)
};

// "YYYY-MM-DD HH:MM:SS" with an optional fraction of a second (ignored: NAB
// data is on whole seconds); the error names the text.
Result<std::int64_t> ParseTimestamp(std::string_view text);

// Parses one data file's CSV text; errors name `source`, the line and the field.
Result<DataFile> ParseDataFile(std::string_view text, const std::string& source);

// Reads the corpus under `root`. Errors: a missing or malformed file (named),
// a window whose ends are not in increasing order, an unknown profile layout.
Result<Corpus> ReadCorpus(const std::string& root);

}  // namespace vigil::nab
