#include "detect/glm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace vigil {
namespace {

// Expected values from R 4.2: glm(y ~ x, family = quasipoisson) on these data.
const std::vector<double> kY = {3, 5, 2, 8, 6, 9, 4, 7, 10, 12};

std::vector<double> Design() {  // column-major: intercept, x = 1..10
  std::vector<double> x(20, 1.0);
  for (int i = 0; i < 10; ++i) {
    x[10 + i] = i + 1;
  }
  return x;
}

void ExpectRelative(double actual, double expected) {
  EXPECT_NEAR(actual, expected, 1e-10 * std::fabs(expected));
}

TEST(PoissonGlm, ReproducesRsCoefficientsAndDispersion) {
  const std::vector<double> x = Design();
  const std::vector<double> ones(10, 1.0);
  PoissonGlm glm;
  ASSERT_TRUE(glm.Fit(x, 2, kY, ones, {}));
  EXPECT_TRUE(glm.converged());
  ExpectRelative(glm.coefficient(0), 1.14028186580775426);
  ExpectRelative(glm.coefficient(1), 0.12433285493400414);
  ExpectRelative(glm.WorkingDispersion(), 0.77779867632894328);
  EXPECT_EQ(glm.df_residual(), 8);
}

TEST(PoissonGlm, ReproducesRsHatValuesAndPredictionStandardError) {
  const std::vector<double> x = Design();
  const std::vector<double> ones(10, 1.0);
  PoissonGlm glm;
  ASSERT_TRUE(glm.Fit(x, 2, kY, ones, {}));
  ExpectRelative(glm.Hat(0), 0.26604046863156022);
  ExpectRelative(glm.Hat(9), 0.42762759042939913);
  const std::vector<double> x0 = {1, 11};
  ExpectRelative(glm.LinearPredictor(x0), 2.50794327008179962);
  ExpectRelative(std::sqrt(glm.UnscaledVariance(x0) * glm.WorkingDispersion()),
                 0.20738068637456072);
}

TEST(PoissonGlm, UsesPriorWeights) {
  const std::vector<double> x = Design();
  const std::vector<double> weights = {1, 1, 1, 1, 2, 2, 2, 2, 0.5, 0.5};
  PoissonGlm glm;
  ASSERT_TRUE(glm.Fit(x, 2, kY, weights, {}));
  ExpectRelative(glm.coefficient(0), 1.23136986005684546);
  ExpectRelative(glm.coefficient(1), 0.10328070824805916);
  ExpectRelative(glm.WorkingDispersion(), 1.1002348537977382);
}

TEST(PoissonGlm, AnOffsetShiftsTheLinearPredictor) {
  const std::vector<double> x(10, 1.0);  // intercept only
  const std::vector<double> ones(10, 1.0);
  const std::vector<double> offset(10, std::log(2.0));
  PoissonGlm glm;
  ASSERT_TRUE(glm.Fit(x, 1, kY, ones, offset));
  // The maximum-likelihood rate is mean(y) / 2; IRLS stops once the deviance
  // changes by less than 1e-8 relative, so the estimate is that close.
  EXPECT_NEAR(std::exp(glm.coefficient(0)), 6.6 / 2, 1e-8);
}

TEST(PoissonGlm, RejectsARankDeficientDesign) {
  std::vector<double> x(20, 1.0);  // two identical columns
  const std::vector<double> ones(10, 1.0);
  PoissonGlm glm;
  EXPECT_FALSE(glm.Fit(x, 2, kY, ones, {}));
}

TEST(PoissonGlm, DispersionIsUndefinedWithoutResidualDegreesOfFreedom) {
  const std::vector<double> y = {3, 5};
  const std::vector<double> ones(2, 1.0);
  const std::vector<double> design = {1, 1, 1, 2};
  PoissonGlm glm;
  ASSERT_TRUE(glm.Fit(design, 2, y, ones, {}));
  EXPECT_TRUE(std::isnan(glm.WorkingDispersion()));
}

}  // namespace
}  // namespace vigil
