// NAB's "windowed Gaussian" baseline detector, as NAB defines it: the score of
// a row is 1 - Q(|x - mean| / sd), the two-sided Gaussian tail of the value
// under the mean and population sd of the window of earlier values. The window
// grows to 6400 values, then slides forward 100 values at a time (rows in
// between are judged against the window of the last slide); sd 0 becomes 1e-6;
// the first row scores 0. Scores are rounded to 12 significant digits, as
// NAB's published results files hold them (see windowed_gaussian.cc). Kept as
// the reference that validates the scorer against NAB's published scoreboard;
// it is not a streaming detector (it keeps 6400 values).
#pragma once

#include <span>
#include <vector>

namespace vigil::nab {

std::vector<double> WindowedGaussianScores(std::span<const double> values);

}  // namespace vigil::nab
