#include "detect/distributions.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil {
namespace {

// Expected values from R 4.2.

TEST(Distributions, StudentTTwoSidedPMatchesR) {
  EXPECT_NEAR(StudentTTwoSidedP(2.1, 13), 0.055812604271257782, 1e-14);
  EXPECT_NEAR(StudentTTwoSidedP(-2.1, 13), 0.055812604271257782, 1e-14);
}

TEST(Distributions, PoissonQuantileMatchesR) {
  EXPECT_EQ(PoissonQuantile(0.99, 3.7), 9);
  EXPECT_EQ(PoissonQuantile(0.95, 1234.5), 1293);
  EXPECT_EQ(PoissonQuantile(0.5, 0), 0);
  EXPECT_TRUE(std::isinf(PoissonQuantile(1, 3)));
  EXPECT_TRUE(std::isnan(PoissonQuantile(0.5, -1)));
}

TEST(Distributions, NegativeBinomialQuantileMatchesR) {
  EXPECT_EQ(NegativeBinomialQuantile(0.95, 2.5, 0.4), 10);
  EXPECT_EQ(NegativeBinomialQuantile(0.95, 1e4, 0.5), 10233);
  EXPECT_EQ(NegativeBinomialQuantile(0.99, 0.01, 0.999), 0);
  EXPECT_TRUE(std::isnan(NegativeBinomialQuantile(0.5, 0, 0.5)));
}

}  // namespace
}  // namespace vigil
