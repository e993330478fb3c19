#include "detect/cusum.h"

#include <gtest/gtest.h>

#include "detect/detector_testing.h"

namespace vigil {
namespace {

using testing::Build;
using testing::Feed;

TEST(Cusum, BaselinePeriodsEstimateMAndAreNotEvaluated) {
  auto d = Build("cusum", {{"baseline", "2"}});
  const auto e = Feed(*d, {3, 5, 4});
  EXPECT_FALSE(e[0].evaluated);
  EXPECT_FALSE(e[1].evaluated);
  ASSERT_TRUE(e[2].evaluated);
  EXPECT_DOUBLE_EQ(e[2].expected, 4);
}

TEST(Cusum, StandardPoissonAccumulatesAndAlarmsAtH) {
  // m = 4, sqrt(m) = 2, k = 1.04, h = 2.26.
  auto d = Build("cusum", {{"baseline", "2"}});
  const auto e = Feed(*d, {4, 4, 8, 10});
  EXPECT_DOUBLE_EQ(e[2].score, 0.96);
  EXPECT_DOUBLE_EQ(e[2].upperbound, 11);  // ceil(2 * 3.3 + 4)
  EXPECT_FALSE(e[2].alarm);
  EXPECT_DOUBLE_EQ(e[3].score, 2.92);
  EXPECT_DOUBLE_EQ(e[3].upperbound, 9);  // ceil(2 * (3.3 - 0.96) + 4)
  EXPECT_TRUE(e[3].alarm);
}

TEST(Cusum, WithoutResetTheSumCarriesOnAfterAnAlarm) {
  auto d = Build("cusum", {{"baseline", "2"}});
  EXPECT_DOUBLE_EQ(Feed(*d, {4, 4, 8, 10, 4})[4].score, 2.92 - 1.04);
}

TEST(Cusum, ResetRestartsTheSumAfterAnAlarm) {
  auto d = Build("cusum", {{"baseline", "2"}, {"reset", "TRUE"}});
  const auto e = Feed(*d, {4, 4, 8, 10, 6});
  EXPECT_DOUBLE_EQ(e[4].score, 0);  // max(0, 0 + 1 - 1.04)
}

TEST(Cusum, GivenMSkipsTheBaselinePeriodsWithoutUsingThem) {
  auto d = Build("cusum", {{"m", "4"}, {"baseline", "1"}});
  const auto e = Feed(*d, {100, 8});
  EXPECT_DOUBLE_EQ(e[1].expected, 4);
  EXPECT_DOUBLE_EQ(e[1].score, 0.96);
}

TEST(Cusum, GaussianStandardisesByTheBaselineSd) {
  // m = 2, s = 1.
  auto d = Build("cusum", {{"baseline", "3"}, {"trans", "gaussian"}});
  const auto e = Feed(*d, {1, 2, 3, 5, 4});
  EXPECT_DOUBLE_EQ(e[3].score, 1.96);
  EXPECT_DOUBLE_EQ(e[3].upperbound, 2 + 3.3);
  EXPECT_FALSE(e[3].alarm);
  EXPECT_DOUBLE_EQ(e[4].score, 2.92);
  EXPECT_DOUBLE_EQ(e[4].upperbound, 2 + (3.3 - 1.96));
  EXPECT_TRUE(e[4].alarm);
}

TEST(Cusum, MissingObservationLeavesTheSumUnchanged) {
  auto d = Build("cusum", {{"baseline", "2"}});
  const auto e = Feed(*d, {4, kMissing, 8, kMissing, 8});
  EXPECT_DOUBLE_EQ(e[1].evaluated, false);
  EXPECT_DOUBLE_EQ(e[2].score, 0.96);
  EXPECT_FALSE(e[3].evaluated);
  EXPECT_DOUBLE_EQ(e[4].score, 1.92);
}

TEST(Cusum, DefaultBaselineIsOneYearOfPeriods) {
  auto d = Build("cusum", {}, 12);
  EXPECT_EQ(dynamic_cast<const StreamingDetector&>(*d).warmup_periods(), 12u);
}

TEST(Cusum, StateFitsIn256Bytes) {
  EXPECT_LE(dynamic_cast<const StreamingDetector&>(*Build("cusum", {})).state_size(), 256u);
}

}  // namespace
}  // namespace vigil
