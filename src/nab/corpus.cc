#include "nab/corpus.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace vigil::nab {
namespace {

// NAB's published order of the three profiles (as in its scoreboard).
constexpr std::string_view kProfileOrder[] = {"standard", "reward_low_FP_rate",
                                              "reward_low_FN_rate"};

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError(path + ": cannot open");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Digits only: from_chars would also take a minus sign ("23:29:-9").
bool ParseDigits(std::string_view text, int& out) {
  if (text.empty() || text.front() == '-') {
    return false;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool ParseNumber(std::string_view text, double& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out);
}

Result<std::vector<Window>> ParseWindows(const nlohmann::json& list, const std::string& key) {
  std::vector<Window> windows;
  for (const nlohmann::json& pair : list) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
      return InvalidArgument("labels/combined_windows.json: " + key +
                             ": each window must be [\"start\", \"end\"]");
    }
    VIGIL_ASSIGN_OR_RETURN(const std::int64_t start, ParseTimestamp(pair[0].get<std::string>()));
    VIGIL_ASSIGN_OR_RETURN(const std::int64_t end, ParseTimestamp(pair[1].get<std::string>()));
    if (end < start || (!windows.empty() && start <= windows.back().end)) {
      return InvalidArgument("labels/combined_windows.json: " + key +
                             ": windows must be ordered and not overlap");
    }
    windows.push_back({start, end});
  }
  return windows;
}

Result<std::vector<Profile>> ParseProfiles(const std::string& text) {
  std::vector<Profile> profiles;
  try {
    const nlohmann::json json = nlohmann::json::parse(text);
    for (std::string_view name : kProfileOrder) {
      const nlohmann::json& cost = json.at(std::string(name)).at("CostMatrix");
      profiles.push_back({std::string(name), cost.at("tpWeight").get<double>(),
                          cost.at("fpWeight").get<double>(), cost.at("fnWeight").get<double>()});
    }
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("config/profiles.json: ") + e.what());
  }
  return profiles;
}

Result<DataFile> ReadDataFile(const std::string& root, const std::string& key,
                              const nlohmann::json& windows) {
  const std::size_t slash = key.find('/');
  if (slash == std::string::npos || !key.ends_with(".csv")) {
    return InvalidArgument("labels/combined_windows.json: key '" + key +
                           "' is not <category>/<name>.csv");
  }
  const std::string path = root + "/data/" + key;
  VIGIL_ASSIGN_OR_RETURN(const std::string text, ReadText(path));
  VIGIL_ASSIGN_OR_RETURN(DataFile file, ParseDataFile(text, path));
  file.category = key.substr(0, slash);
  file.name = key.substr(slash + 1, key.size() - slash - 1 - 4);
  VIGIL_ASSIGN_OR_RETURN(file.windows, ParseWindows(windows, key));
  return file;
}

}  // namespace

Result<std::int64_t> ParseTimestamp(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  const bool shape = text.size() >= 19 && text[4] == '-' && text[7] == '-' && text[10] == ' ' &&
                     text[13] == ':' && text[16] == ':' && (text.size() == 19 || text[19] == '.');
  if (!shape || !ParseDigits(text.substr(0, 4), year) || !ParseDigits(text.substr(5, 2), month) ||
      !ParseDigits(text.substr(8, 2), day) || !ParseDigits(text.substr(11, 2), hour) ||
      !ParseDigits(text.substr(14, 2), minute) || !ParseDigits(text.substr(17, 2), second)) {
    return InvalidArgument("timestamp '" + std::string(text) +
                           "': expected YYYY-MM-DD HH:MM:SS[.ffffff]");
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) {
    return InvalidArgument("timestamp '" + std::string(text) + "': no such date or time");
  }
  const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

Result<DataFile> ParseDataFile(std::string_view text, const std::string& source) {
  DataFile file;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t eol = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(std::min(eol + 1, text.size()));
    ++line_number;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    const std::string where = source + ":" + std::to_string(line_number);
    if (line_number == 1) {
      if (line != "timestamp,value") {
        return InvalidArgument(where + ": header must be 'timestamp,value'");
      }
      continue;
    }
    if (line.empty()) {
      continue;
    }
    const std::size_t comma = line.find(',');
    Result<std::int64_t> time = ParseTimestamp(line.substr(0, comma));
    if (!time.ok()) {
      return time.status().WithContext(where + ": field timestamp");
    }
    double value = 0;
    if (comma == std::string_view::npos || !ParseNumber(line.substr(comma + 1), value)) {
      return InvalidArgument(where + ": field value: expected a finite number");
    }
    file.timestamp_text.emplace_back(line.substr(0, comma));
    file.timestamps.push_back(*time);
    file.values.push_back(value);
  }
  if (line_number == 0) {
    return InvalidArgument(source + ": empty file (expected the header timestamp,value)");
  }
  return file;
}

Result<Corpus> ReadCorpus(const std::string& root) {
  Corpus corpus;
  VIGIL_ASSIGN_OR_RETURN(const std::string profiles, ReadText(root + "/config/profiles.json"));
  VIGIL_ASSIGN_OR_RETURN(corpus.profiles, ParseProfiles(profiles));
  const std::string labels_path = root + "/labels/combined_windows.json";
  VIGIL_ASSIGN_OR_RETURN(const std::string labels_text, ReadText(labels_path));
  nlohmann::json labels;
  try {
    labels = nlohmann::json::parse(labels_text);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(labels_path + ": " + e.what());
  }
  if (!labels.is_object()) {
    return InvalidArgument(labels_path + ": expected an object of file -> windows");
  }
  for (const auto& [key, windows] : labels.items()) {
    VIGIL_ASSIGN_OR_RETURN(DataFile file, ReadDataFile(root, key, windows));
    corpus.files.push_back(std::move(file));
  }
  return corpus;
}

}  // namespace vigil::nab
