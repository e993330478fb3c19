#include "detect/ewma.h"

#include <gtest/gtest.h>

#include "detect/detector_testing.h"

namespace vigil {
namespace {

using testing::Build;
using testing::Feed;

// Baseline 1, 2, 3: mu = 2, sigma = 1; lambda = 0.5, L = 3.
const std::vector<std::pair<std::string, std::string>> kParams = {
    {"baseline", "3"}, {"lambda", "0.5"}, {"L", "3"}};

TEST(Ewma, FirstMonitoredPeriodUsesTheExactTimeVaryingLimit) {
  const auto e = Feed(*Build("ewma", kParams), {1, 2, 3, 4});
  ASSERT_TRUE(e[3].evaluated);
  EXPECT_DOUBLE_EQ(e[3].expected, 2);
  // z = 3, spread = sqrt(0.5 / 1.5 * (1 - 0.25)) = 0.5, UCL = 3.5.
  EXPECT_DOUBLE_EQ(e[3].upperbound, 5);  // (3.5 - 0.5 * 2) / 0.5
  EXPECT_DOUBLE_EQ(e[3].score, 2);
  EXPECT_FALSE(e[3].alarm);
}

TEST(Ewma, AlarmsWhenTheSmoothedValueCrossesTheLimit) {
  const auto e = Feed(*Build("ewma", kParams), {1, 2, 3, 4, 6});
  // z = 4.5, spread = sqrt(1/3 * (1 - 0.0625)), UCL = 2 + 3 * spread.
  const double spread = std::sqrt(0.3125);
  EXPECT_DOUBLE_EQ(e[4].upperbound, (2 + 3 * spread - 1.5) / 0.5);
  EXPECT_DOUBLE_EQ(e[4].score, 2.5 / spread);
  EXPECT_TRUE(e[4].alarm);
}

TEST(Ewma, MissingObservationIsSkipped) {
  const auto with_gap = Feed(*Build("ewma", kParams), {1, 2, 3, kMissing, 4});
  EXPECT_FALSE(with_gap[3].evaluated);
  EXPECT_DOUBLE_EQ(with_gap[4].upperbound, 5);
}

TEST(Ewma, ConstantBaselineCannotEvaluate) {
  const auto e = Feed(*Build("ewma", kParams), {2, 2, 2, 4});
  EXPECT_FALSE(e[3].evaluated);
}

TEST(Ewma, StateFitsIn256Bytes) {
  EXPECT_LE(dynamic_cast<const StreamingDetector&>(*Build("ewma", {})).state_size(), 256u);
}

}  // namespace
}  // namespace vigil
