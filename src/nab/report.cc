#include "nab/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace vigil::nab {
namespace {

constexpr double kNotPublished = std::numeric_limits<double>::quiet_NaN();

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

std::string Cell(double score) {
  return std::isnan(score) ? fmt::format("{:>8}", "-") : fmt::format("{:>8.1f}", score);
}

struct Row {
  std::string name;
  double standard;
  double low_fp;
  double low_fn;
};

std::vector<Row> Ranked(const Report& report) {
  std::vector<Row> rows;
  for (const PublishedScore& p : kPublishedScoreboard) {
    rows.push_back({p.detector, p.standard, p.low_fp, p.low_fn});
  }
  if (report.results.size() == 3) {
    rows.push_back({"Vigil " + report.detector + " (this run)", report.results[0].normalised,
                    report.results[1].normalised, report.results[2].normalised});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.standard > b.standard; });
  return rows;
}

}  // namespace

// NAB README scoreboard (numenta/NAB, v1.1); ARTime publishes the standard profile only there.
const std::vector<PublishedScore> kPublishedScoreboard = {
    {"Perfect", 100.0, 100.0, 100.0},
    {"ARTime", 74.9, kNotPublished, kNotPublished},
    {"Numenta HTM", 70.5, 62.6, 75.2},
    {"CAD OSE", 69.9, 67.0, 73.2},
    {"KNN CAD", 58.0, 43.4, 64.8},
    {"Relative Entropy", 54.6, 47.6, 58.8},
    {"Random Cut Forest", 51.7, 38.4, 59.7},
    {"Twitter ADVec v1.0.0", 47.1, 33.6, 53.5},
    {"Windowed Gaussian", 39.6, 20.9, 47.4},
    {"Etsy Skyline", 35.7, 27.1, 44.5},
    {"Null", 0.0, 0.0, 0.0},
};

Report MakeReport(const std::string& detector, const Corpus& corpus, Duration detector_time,
                  std::vector<ProfileResult> results) {
  Report report{.detector = detector, .files = corpus.files.size(), .detector_time = detector_time};
  for (const DataFile& file : corpus.files) {
    report.rows += file.values.size();
    report.windows += file.windows.size();
  }
  report.results = std::move(results);
  return report;
}

std::string FormatText(const Report& report) {
  std::string out = fmt::format(
      "NAB: detector {} over {} files, {} rows, {} windows; detector time {:.3f} s\n\n",
      report.detector, report.files, report.rows, report.windows, Seconds(report.detector_time));
  out += fmt::format("{:<20} {:>10} {:>10} {:>6} {:>6} {:>8} {:>8}\n", "profile", "threshold",
                     "raw", "TP", "FP", "missed", "score");
  for (const ProfileResult& r : report.results) {
    out += fmt::format("{:<20} {:>10.6f} {:>10.3f} {:>6} {:>6} {:>8} {:>8.1f}\n", r.profile.name,
                       r.best.threshold, r.best.raw, r.best.windows_detected, r.best.fp,
                       r.best.windows_missed, r.normalised);
  }
  out +=
      fmt::format("\n{:<34} {:>8} {:>8} {:>8}\n", "NAB scoreboard", "standard", "low FP", "low FN");
  for (const Row& row : Ranked(report)) {
    out += fmt::format("{:<34} {}{}{}\n", row.name, Cell(row.standard), Cell(row.low_fp),
                       Cell(row.low_fn));
  }
  return out;
}

std::string FormatJson(const Report& report) {
  nlohmann::ordered_json json = {{"detector", report.detector},
                                 {"files", report.files},
                                 {"rows", report.rows},
                                 {"windows", report.windows},
                                 {"detector_seconds", Seconds(report.detector_time)}};
  for (const ProfileResult& r : report.results) {
    json["profiles"][r.profile.name] = {{"threshold", r.best.threshold},
                                        {"raw", r.best.raw},
                                        {"null", r.null_raw},
                                        {"perfect", r.perfect_raw},
                                        {"score", r.normalised},
                                        {"tp", r.best.tp},
                                        {"fp", r.best.fp},
                                        {"windows_detected", r.best.windows_detected},
                                        {"windows_missed", r.best.windows_missed}};
  }
  for (const PublishedScore& p : kPublishedScoreboard) {
    auto number = [](double v) {
      return std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v);
    };
    json["published"].push_back({{"detector", p.detector},
                                 {"standard", number(p.standard)},
                                 {"reward_low_FP_rate", number(p.low_fp)},
                                 {"reward_low_FN_rate", number(p.low_fn)}});
  }
  return json.dump(2) + "\n";
}

}  // namespace vigil::nab
