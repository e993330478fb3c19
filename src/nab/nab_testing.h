// Test helper: writes a small NAB-layout corpus (two files, one window each)
// into a fresh temporary directory.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "nab/corpus.h"

namespace vigil::nab::testing {

// NAB's corpus: $VIGIL_SHARED_DIR/nab, else the `shared/nab` folder beside the
// source tree. Tests on the real corpus skip when it is absent.
inline std::filesystem::path RealCorpusRoot() {
  const char* shared = std::getenv("VIGIL_SHARED_DIR");
  return std::filesystem::path(shared != nullptr ? shared : VIGIL_DEFAULT_SHARED_DIR) / "nab";
}

inline bool HasRealCorpus() {
  return std::filesystem::exists(RealCorpusRoot() / "labels/combined_windows.json");
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// "2014-04-01 00:00:00" plus `row` steps of 5 minutes.
inline std::string StampText(int row) {
  const int minutes = row * 5;
  char text[32];
  std::snprintf(text, sizeof(text), "2014-04-%02d %02d:%02d:00", 1 + minutes / 1440,
                minutes / 60 % 24, minutes % 60);
  return text;
}

// Two files of `rows` rows: a noisy level with a spike at row `spike`, inside
// a window of rows [spike - 10, spike + 10].
inline std::filesystem::path WriteTinyCorpus(const std::string& name, int rows = 600,
                                             int spike = 450) {
  const std::filesystem::path root = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(root);
  WriteFile(root / "config/profiles.json", R"({
"standard": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0}},
"reward_low_FP_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.22, "tnWeight": 1.0}},
"reward_low_FN_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 2.0, "fpWeight": 0.11, "tnWeight": 1.0}}
})");
  std::string labels = "{\n";
  for (const char* key : {"catA/one", "catB/two"}) {
    std::string csv = "timestamp,value\n";
    std::uint64_t state = 7;
    for (int i = 0; i < rows; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const double noise = static_cast<double>(state >> 11) / 9007199254740992.0;
      csv += StampText(i) + "," + std::to_string(i == spike ? 40.0 : 10.0 + noise) + "\n";
    }
    WriteFile(root / "data" / (std::string(key) + ".csv"), csv);
    labels += std::string(labels.size() > 2 ? ",\n" : "") + "\"" + key + ".csv\": [[\"" +
              StampText(spike - 10) + ".000000\", \"" + StampText(spike + 10) + ".000000\"]]";
  }
  WriteFile(root / "labels/combined_windows.json", labels + "\n}\n");
  return root;
}

}  // namespace vigil::nab::testing
