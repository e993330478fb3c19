#include "nab/windowed_gaussian.h"

#include <cmath>
#include <cstddef>

namespace vigil::nab {
namespace {

constexpr std::size_t kWindowSize = 6400;
constexpr std::size_t kStepSize = 100;
constexpr double kMinSd = 0.000001;

struct Gaussian {
  double mean = 0;
  double sd = 1;
};

// Two passes over a full window, as NumPy's mean and std compute it.
Gaussian Fit(std::span<const double> window) {
  double sum = 0;
  for (double v : window) {
    sum += v;
  }
  const double mean = sum / static_cast<double>(window.size());
  double squares = 0;
  for (double v : window) {
    squares += (v - mean) * (v - mean);
  }
  const double sd = std::sqrt(squares / static_cast<double>(window.size()));
  return {mean, sd == 0.0 ? kMinSd : sd};
}

double Score(double value, const Gaussian& g) {
  const double z = std::fabs(value - g.mean) / g.sd;
  return 1 - 0.5 * std::erfc(z / std::sqrt(2.0));
}

}  // namespace

std::vector<double> WindowedGaussianScores(std::span<const double> values) {
  std::vector<double> scores(values.size(), 0.0);
  Gaussian g;
  std::size_t begin = 0;  // the window is values[begin, end)
  std::size_t end = 0;
  std::size_t buffered = 0;  // values waiting for the next slide
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (end > begin) {
      scores[i] = Score(values[i], g);
    }
    if (end - begin < kWindowSize) {
      ++end;
    } else if (++buffered == kStepSize) {
      begin += kStepSize;
      end += kStepSize;
      buffered = 0;
    } else {
      continue;
    }
    g = Fit(values.subspan(begin, end - begin));
  }
  return scores;
}

}  // namespace vigil::nab
