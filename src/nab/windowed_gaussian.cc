#include "nab/windowed_gaussian.h"

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>

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

// NAB's results files hold each score as Python 2 printed it (str(float): 12
// significant digits), so every score within 5e-13 of 1 was read back as 1 and
// all of them tie at the threshold NAB found best (1.0). The published scores
// depend on those ties: unrounded, the same detector scores 40.1 / 23.9 / 47.7.
double AsPublished(double score) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.12g", score);
  return std::strtod(text, nullptr);
}

double Score(double value, const Gaussian& g) {
  const double z = std::fabs(value - g.mean) / g.sd;
  return AsPublished(1 - 0.5 * std::erfc(z / std::sqrt(2.0)));
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
