#include "detect/ears.h"

#include <gtest/gtest.h>

#include "detect/detector_testing.h"

namespace vigil {
namespace {

using testing::Build;
using testing::Feed;

constexpr double kZ999 = 3.090232306167813;  // qnorm(0.999)

TEST(EarsC1, JudgesAgainstMeanAndSdOfThePreviousBaselinePeriods) {
  auto d = Build("ears-c1", {{"baseline", "3"}});
  const auto e = Feed(*d, {1, 2, 3, 10});
  EXPECT_FALSE(e[2].evaluated);
  ASSERT_TRUE(e[3].evaluated);
  EXPECT_DOUBLE_EQ(e[3].expected, 2);
  EXPECT_DOUBLE_EQ(e[3].upperbound, 2 + kZ999);
  EXPECT_TRUE(e[3].alarm);
  EXPECT_DOUBLE_EQ(e[3].score, 8);
}

TEST(EarsC2, SkipsATwoPeriodGuardBand) {
  auto d = Build("ears-c2", {{"baseline", "3"}});
  const auto e = Feed(*d, {1, 2, 3, 100, 100, 4});
  EXPECT_FALSE(e[4].evaluated);
  ASSERT_TRUE(e[5].evaluated);
  EXPECT_DOUBLE_EQ(e[5].expected, 2);
  EXPECT_DOUBLE_EQ(e[5].upperbound, 2 + kZ999);
  EXPECT_FALSE(e[5].alarm);
}

TEST(EarsC3, AddsTheExceedancesOfThePreviousTwoC2Statistics) {
  // C2 at rows 5 and 6 (0-based) is 4 and 5 (window mean 2, sd 1), so the bound
  // is x + sd * (z - (4 - 1) - (5 - 1)) < x: an alarm whatever x is.
  auto d = Build("ears-c3", {{"baseline", "3"}});
  const auto e = Feed(*d, {1, 2, 3, 1, 2, 6, 7, 2});
  ASSERT_TRUE(e[7].evaluated);
  EXPECT_TRUE(e[7].alarm);
  EXPECT_FALSE(e[6].evaluated);
}

TEST(EarsC3, ClipsTheBoundAtZero) {
  auto d = Build("ears-c3", {{"baseline", "3"}});
  const auto e = Feed(*d, {1, 2, 3, 1, 2, 60, 70, 0});
  ASSERT_TRUE(e[7].evaluated);
  EXPECT_EQ(e[7].upperbound, 0);
  EXPECT_FALSE(e[7].alarm);  // 0 > 0 is false, as in surveillance
}

TEST(EarsC1, MinSigmaFloorsTheStandardDeviation) {
  auto d = Build("ears-c1", {{"baseline", "3"}, {"minSigma", "2"}});
  const auto e = Feed(*d, {5, 5, 5, 6});
  EXPECT_DOUBLE_EQ(e[3].upperbound, 5 + 2 * kZ999);
}

TEST(EarsC1, MissingValueInTheBaselineLeavesThePeriodUnevaluated) {
  auto d = Build("ears-c1", {{"baseline", "3"}});
  const auto e = Feed(*d, {1, kMissing, 3, 10, 4, 5, 6});
  EXPECT_FALSE(e[3].evaluated);
  EXPECT_STREQ(e[3].reason, "missing value in the baseline window");
  EXPECT_TRUE(e[5].evaluated);
}

TEST(EarsC1, MissingObservationIsEvaluatedButNeverAnAlarm) {
  auto d = Build("ears-c1", {{"baseline", "3"}});
  const auto e = Feed(*d, {1, 2, 3, kMissing});
  EXPECT_TRUE(e[3].evaluated);
  EXPECT_FALSE(e[3].alarm);
  EXPECT_DOUBLE_EQ(e[3].upperbound, 2 + kZ999);
}

TEST(EarsC3, DefaultStateFitsIn256Bytes) {
  for (const char* method : {"ears-c1", "ears-c2", "ears-c3"}) {
    auto d = Build(method, {});
    EXPECT_LE(dynamic_cast<const StreamingDetector&>(*d).state_size(), 256u) << method;
  }
}

TEST(EarsC3, WarmupMatchesSurveillanceDefaultRange) {
  EXPECT_EQ(dynamic_cast<const StreamingDetector&>(*Build("ears-c1", {})).warmup_periods(), 7u);
  EXPECT_EQ(dynamic_cast<const StreamingDetector&>(*Build("ears-c2", {})).warmup_periods(), 9u);
  EXPECT_EQ(dynamic_cast<const StreamingDetector&>(*Build("ears-c3", {})).warmup_periods(), 11u);
}

}  // namespace
}  // namespace vigil
