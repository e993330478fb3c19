#include "detect/threshold.h"

#include <gtest/gtest.h>

#include "detect/detector_testing.h"

namespace vigil {
namespace {

using testing::Build;
using testing::Feed;

TEST(Threshold, ReportsTheHighestLevelReached) {
  const auto e = Feed(*Build("threshold", {{"levels", "10,20,30,40"}}), {5, 15, 25, 45});
  EXPECT_EQ(e[0].level, 0);
  EXPECT_FALSE(e[0].alarm);
  EXPECT_EQ(e[1].level, 1);
  EXPECT_TRUE(e[1].alarm);
  EXPECT_EQ(e[2].level, 2);
  EXPECT_EQ(e[3].level, 4);
  EXPECT_DOUBLE_EQ(e[3].upperbound, 10);
}

TEST(Threshold, DurationRequiresConsecutivePeriods) {
  const auto e = Feed(*Build("threshold", {{"levels", "10"}, {"duration", "2"}}), {15, 5, 15, 15});
  EXPECT_EQ(e[0].level, 0);
  EXPECT_EQ(e[2].level, 0);
  EXPECT_EQ(e[3].level, 1);
}

TEST(Threshold, BelowDirectionAlarmsOnLowValues) {
  const auto e = Feed(*Build("threshold", {{"levels", "5,2"}, {"direction", "below"}}), {6, 4, 1});
  EXPECT_EQ(e[0].level, 0);
  EXPECT_EQ(e[1].level, 1);
  EXPECT_EQ(e[2].level, 2);
}

TEST(Threshold, ChangeComparesWithTheValueWindowPeriodsBefore) {
  const auto e = Feed(*Build("threshold", {{"levels", "5"}, {"on", "change"}}), {10, 16});
  EXPECT_FALSE(e[0].evaluated);
  EXPECT_EQ(e[1].level, 1);
  EXPECT_DOUBLE_EQ(e[1].upperbound, 15);
}

TEST(Threshold, RollingMeanOverTheWindow) {
  const auto e =
      Feed(*Build("threshold", {{"levels", "10"}, {"on", "mean"}, {"window", "2"}}), {8, 13, 6});
  EXPECT_EQ(e[1].level, 1);
  EXPECT_DOUBLE_EQ(e[1].upperbound, 12);  // 10 * 2 - 8
  EXPECT_EQ(e[2].level, 0);
}

TEST(Threshold, MissingValueRestartsTheDuration) {
  const auto e =
      Feed(*Build("threshold", {{"levels", "10"}, {"duration", "2"}}), {15, kMissing, 15, 15});
  EXPECT_FALSE(e[1].evaluated);
  EXPECT_EQ(e[2].level, 0);
  EXPECT_EQ(e[3].level, 1);
}

TEST(Threshold, StateOnValueFitsIn256Bytes) {
  const auto d = Build("threshold", {{"levels", "10,20,30,40"}, {"duration", "3"}});
  EXPECT_LE(dynamic_cast<const StreamingDetector&>(*d).state_size(), 256u);
}

TEST(Threshold, RejectsLevelsOutOfOrder) {
  const MethodSpec* spec = FindMethod("threshold");
  ASSERT_NE(spec, nullptr);
  auto params = ParamSet::Parse(*spec, {{"levels", "20,10"}});
  ASSERT_TRUE(params.ok());
  EXPECT_FALSE(MakeDetector(*spec, *params, SeriesContext{}).ok());
}

}  // namespace
}  // namespace vigil
