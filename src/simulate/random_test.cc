#include "simulate/random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace vigil::sim {
namespace {

constexpr int kDraws = 200000;

struct Moments {
  double mean = 0;
  double variance = 0;
};

Moments Sample(const std::function<double()>& draw) {
  double sum = 0;
  double sum_sq = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = draw();
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / kDraws;
  return {mean, (sum_sq - kDraws * mean * mean) / (kDraws - 1)};
}

TEST(RandomTest, SameSeedAndStreamGiveTheSameSequence) {
  Rng a(7, "series/a");
  Rng b(7, "series/a");
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(a.Next(), b.Next());
  }
}

TEST(RandomTest, DifferentSeedsOrStreamsDiffer) {
  Rng a(7, "series/a");
  Rng b(8, "series/a");
  Rng c(7, "series/b");
  const std::uint64_t first = a.Next();
  EXPECT_NE(first, b.Next());
  EXPECT_NE(first, c.Next());
}

// Pins the generator: xoshiro256** seeded through splitmix64 must not change,
// or every simulated workspace changes with it.
TEST(RandomTest, OutputIsPinned) {
  Rng rng(42, "pinned");
  const std::uint64_t first = rng.Next();
  const std::uint64_t second = rng.Next();
  EXPECT_EQ(first, 0x3cfb512816a5a250ULL) << std::hex << first;
  EXPECT_EQ(second, 0x5cb4692caa18c8ccULL) << std::hex << second;
}

TEST(RandomTest, SplitMix64MatchesTheReference) {
  std::uint64_t state = 0;
  EXPECT_EQ(SplitMix64(state), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(SplitMix64(state), 0x6E789E6AA1B965F4ULL);
}

TEST(RandomTest, UniformStaysInItsRange) {
  Rng rng(1, "uniform");
  for (int i = 0; i < kDraws; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const double o = rng.UniformOpen();
    ASSERT_GT(o, 0.0);
    ASSERT_LT(o, 1.0);
  }
}

TEST(RandomTest, BetweenCoversEveryValueEvenly) {
  Rng rng(2, "between");
  int counts[6] = {};
  for (int i = 0; i < 60000; ++i) {
    const std::int64_t v = rng.Between(3, 8);
    ASSERT_GE(v, 3);
    ASSERT_LE(v, 8);
    ++counts[v - 3];
  }
  for (int c : counts) {
    EXPECT_NEAR(c, 10000, 400);
  }
}

TEST(RandomTest, NormalHasItsMeanAndVariance) {
  Rng rng(3, "normal");
  const Moments m = Sample([&] { return Normal(rng, 2, 3); });
  EXPECT_NEAR(m.mean, 2, 0.03);
  EXPECT_NEAR(m.variance, 9, 0.15);
}

TEST(RandomTest, LogNormalHasItsMean) {
  Rng rng(4, "lognormal");
  const Moments m = Sample([&] { return LogNormal(rng, 0, 0.5); });
  EXPECT_NEAR(m.mean, std::exp(0.125), 0.01);
}

TEST(RandomTest, GammaHasItsMeanAndVariance) {
  Rng rng(5, "gamma");
  const Moments m = Sample([&] { return Gamma(rng, 2.5, 2); });
  EXPECT_NEAR(m.mean, 5, 0.05);
  EXPECT_NEAR(m.variance, 10, 0.3);
}

TEST(RandomTest, GammaWithShapeBelowOneHasItsMeanAndVariance) {
  Rng rng(6, "gamma-small");
  const Moments m = Sample([&] { return Gamma(rng, 0.4, 3); });
  EXPECT_NEAR(m.mean, 1.2, 0.02);
  EXPECT_NEAR(m.variance, 3.6, 0.15);
}

TEST(RandomTest, PoissonWithSmallMeanHasItsMeanAndVariance) {
  Rng rng(7, "poisson-small");
  const Moments m = Sample([&] { return double(Poisson(rng, 3.5)); });
  EXPECT_NEAR(m.mean, 3.5, 0.03);
  EXPECT_NEAR(m.variance, 3.5, 0.08);
}

TEST(RandomTest, PoissonWithLargeMeanHasItsMeanAndVariance) {
  Rng rng(8, "poisson-large");
  const Moments m = Sample([&] { return double(Poisson(rng, 75)); });
  EXPECT_NEAR(m.mean, 75, 0.1);
  EXPECT_NEAR(m.variance, 75, 1.5);
}

TEST(RandomTest, NegativeBinomialHasMeanMuAndVariancePhiMu) {
  Rng rng(9, "negbin");
  const Moments m = Sample([&] { return double(NegativeBinomial(rng, 12, 3)); });
  EXPECT_NEAR(m.mean, 12, 0.1);
  EXPECT_NEAR(m.variance, 36, 1.2);
}

TEST(RandomTest, NegativeBinomialWithPhiOneIsPoisson) {
  Rng rng(10, "negbin-poisson");
  const Moments m = Sample([&] { return double(NegativeBinomial(rng, 4, 1)); });
  EXPECT_NEAR(m.mean, 4, 0.03);
  EXPECT_NEAR(m.variance, 4, 0.1);
}

}  // namespace
}  // namespace vigil::sim
