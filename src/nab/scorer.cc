#include "nab/scorer.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace vigil::nab {
namespace {

constexpr double kProbationaryPercent = 0.15;
constexpr double kMaxProbation = kProbationaryPercent * 5000;

// Row range [left, right] of a window; left > right when no row falls in it.
struct RowWindow {
  std::size_t left = 0;
  std::size_t right = 0;
  bool empty() const { return left > right; }
};

// As NAB locates a window: its left edge is the first row stamped with the
// window's start, its right edge the first row stamped with its end (NAB data
// has a few repeated timestamps). Windows between rows snap inwards.
RowWindow ToRows(const std::vector<std::int64_t>& timestamps, const Window& window) {
  const auto first_at = [&](std::int64_t t) {
    return std::find(timestamps.begin(), timestamps.end(), t);
  };
  auto left = first_at(window.start);
  if (left == timestamps.end()) {
    left = std::find_if(timestamps.begin(), timestamps.end(),
                        [&](std::int64_t t) { return t >= window.start; });
  }
  auto right = first_at(window.end);
  if (right == timestamps.end()) {
    right = std::find_if(timestamps.rbegin(), timestamps.rend(), [&](std::int64_t t) {
              return t <= window.end;
            }).base();
    if (right == timestamps.begin()) {
      return {1, 0};
    }
    --right;
  }
  if (left == timestamps.end() || right < left) {
    return {1, 0};
  }
  return {static_cast<std::size_t>(left - timestamps.begin()),
          static_cast<std::size_t>(right - timestamps.begin())};
}

}  // namespace

std::size_t ProbationaryLength(std::size_t rows) {
  return static_cast<std::size_t>(
      std::min(std::floor(kProbationaryPercent * static_cast<double>(rows)), kMaxProbation));
}

double ScaledSigmoid(double position) {
  if (position >= 3.0) {
    return -1.0;
  }
  return 2.0 / (1.0 + std::exp(5.0 * position)) - 1.0;
}

std::vector<SweepPoint> SweepFile(const DataFile& file, std::span<const double> scores,
                                  const Profile& profile, int first_window) {
  std::vector<RowWindow> windows;
  for (const Window& w : file.windows) {
    windows.push_back(ToRows(file.timestamps, w));
  }
  const double max_tp = ScaledSigmoid(-1.0);
  const std::size_t probation = ProbationaryLength(scores.size());
  std::vector<SweepPoint> points;
  std::size_t next = 0;                 // first window not yet passed
  const RowWindow* previous = nullptr;  // the last window passed
  for (std::size_t i = 0; i < scores.size(); ++i) {
    while (next < windows.size() && (windows[next].empty() || windows[next].right < i)) {
      previous = windows[next].empty() ? previous : &windows[next];
      ++next;
    }
    SweepPoint point{.anomaly_score = scores[i]};
    if (next < windows.size() && windows[next].left <= i) {
      const RowWindow& w = windows[next];
      const double width = static_cast<double>(w.right - w.left + 1);
      const double position = -static_cast<double>(w.right - i + 1) / width;
      point.sweep_score = ScaledSigmoid(position) * profile.tp_weight / max_tp;
      point.window = first_window + static_cast<int>(next);
    } else {
      double position = 3.0;
      if (previous != nullptr && previous->right > previous->left) {
        position = static_cast<double>(i - previous->right) /
                   static_cast<double>(previous->right - previous->left);
      }
      point.sweep_score = ScaledSigmoid(position) * profile.fp_weight;
    }
    if (i >= probation) {
      points.push_back(point);
    }
  }
  return points;
}

double NullScore(std::span<const SweepPoint> points, const Profile& profile) {
  std::unordered_set<int> windows;
  for (const SweepPoint& p : points) {
    if (p.window >= 0) {
      windows.insert(p.window);
    }
  }
  return -profile.fn_weight * static_cast<double>(windows.size());
}

ThresholdScore OptimiseThreshold(std::vector<SweepPoint> points, const Profile& profile) {
  std::stable_sort(points.begin(), points.end(), [](const SweepPoint& a, const SweepPoint& b) {
    return a.anomaly_score > b.anomaly_score;
  });
  // Each window's contribution: -fnWeight until detected, then its best detection.
  struct WindowPart {
    double value = 0;
    bool detected = false;
  };
  std::unordered_map<int, WindowPart> window_part;
  for (const SweepPoint& p : points) {
    if (p.window >= 0) {
      window_part.emplace(p.window, WindowPart{-profile.fn_weight, false});
    }
  }
  ThresholdScore current;
  current.windows_missed = static_cast<std::int64_t>(window_part.size());
  current.raw = -profile.fn_weight * static_cast<double>(window_part.size());
  ThresholdScore best = current;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const SweepPoint& p = points[i];
    if (p.window < 0) {
      ++current.fp;
      current.raw += p.sweep_score;
    } else {
      ++current.tp;
      WindowPart& part = window_part[p.window];
      if (!part.detected) {
        part.detected = true;
        ++current.windows_detected;
        --current.windows_missed;
      }
      if (p.sweep_score > part.value) {
        current.raw += p.sweep_score - part.value;
        part.value = p.sweep_score;
      }
    }
    // A threshold admits every row scoring at or above it: score ties together.
    const bool group_ends =
        i + 1 == points.size() || points[i + 1].anomaly_score != p.anomaly_score;
    if (group_ends) {
      current.threshold = p.anomaly_score;
      if (current.raw > best.raw) {
        best = current;
      }
    }
  }
  return best;
}

std::vector<ProfileResult> ScoreCorpus(const Corpus& corpus,
                                       const std::vector<std::vector<double>>& scores) {
  std::vector<ProfileResult> results;
  std::size_t window_total = 0;
  for (const DataFile& file : corpus.files) {
    window_total += file.windows.size();
  }
  for (const Profile& profile : corpus.profiles) {
    std::vector<SweepPoint> points;
    int first_window = 0;
    for (std::size_t f = 0; f < corpus.files.size(); ++f) {
      const DataFile& file = corpus.files[f];
      const std::vector<SweepPoint> file_points = SweepFile(file, scores[f], profile, first_window);
      points.insert(points.end(), file_points.begin(), file_points.end());
      first_window += static_cast<int>(file.windows.size());
    }
    ProfileResult result{.profile = profile};
    result.null_raw = NullScore(points, profile);
    result.best = OptimiseThreshold(std::move(points), profile);
    result.perfect_raw = profile.tp_weight * static_cast<double>(window_total);
    result.normalised =
        100 * (result.best.raw - result.null_raw) / (result.perfect_raw - result.null_raw);
    results.push_back(result);
  }
  return results;
}

}  // namespace vigil::nab
