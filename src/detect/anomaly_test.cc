#include "detect/anomaly.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/alloc_counter_testing.h"
#include "detect/detector_testing.h"

namespace vigil {
namespace {

using testing::Build;

// Deterministic noise in about [-1.5, 1.5] (sum of three uniforms).
class Noise {
 public:
  double Next() {
    double sum = 0;
    for (int i = 0; i < 3; ++i) {
      state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
      sum += static_cast<double>(state_ >> 11) / 9007199254740992.0 - 0.5;
    }
    return sum;
  }

 private:
  std::uint64_t state_ = 42;
};

// Feeds values sampled every 5 minutes from midnight through fresh state.
std::vector<Evaluation> FeedTimed(const Detector& detector, const std::vector<double>& values) {
  return testing::Feed(detector, values, std::chrono::minutes(5));
}

std::vector<double> NoisyLevel(std::size_t n, double level) {
  Noise noise;
  std::vector<double> values;
  for (std::size_t i = 0; i < n; ++i) {
    values.push_back(level + noise.Next());
  }
  return values;
}

int AlarmsIn(const std::vector<Evaluation>& e, std::size_t from, std::size_t to) {
  return static_cast<int>(
      std::count_if(e.begin() + from, e.begin() + to, [](const Evaluation& x) { return x.alarm; }));
}

TEST(Anomaly, StateIsFixedAndSizedByTheTable) {
  EXPECT_EQ(dynamic_cast<const StreamingDetector&>(*Build("anomaly", {})).state_size(), 4208u);
  EXPECT_EQ(dynamic_cast<const StreamingDetector&>(*Build("anomaly", {{"table_bits", "10"}}))
                .state_size(),
            240u);
}

TEST(Anomaly, ScoresNothingWhileLearning) {
  const auto e = FeedTimed(*Build("anomaly", {{"learning_period", "100"}}), NoisyLevel(150, 10));
  EXPECT_FALSE(e[99].evaluated);
  EXPECT_TRUE(e[100].evaluated);
}

// New record values are novel too, so the tests on noise let the detector see
// the noise's range first (as NAB's probationary period does).
const std::vector<std::pair<std::string, std::string>> kLearnt = {{"learning_period", "1500"}};

TEST(Anomaly, SpikeRaisesTheTopScoreAndAnAlarm) {
  std::vector<double> values = NoisyLevel(5000, 10);
  values[4000] = 25;
  const auto e = FeedTimed(*Build("anomaly", kLearnt), values);
  EXPECT_TRUE(e[4000].alarm);
  for (std::size_t i = 1500; i < values.size(); ++i) {
    if (i != 4000) {
      EXPECT_LT(e[i].score, e[4000].score) << i;
    }
  }
}

TEST(Anomaly, QuietNoiseDoesNotAlarm) {
  const auto e = FeedTimed(*Build("anomaly", kLearnt), NoisyLevel(6000, 10));
  EXPECT_EQ(AlarmsIn(e, 1500, 6000), 0);
}

TEST(Anomaly, LevelShiftAlarmsThenBecomesNormal) {
  std::vector<double> values = NoisyLevel(6000, 10);
  for (std::size_t i = 1500; i < values.size(); ++i) {
    values[i] += 12;
  }
  const auto e = FeedTimed(*Build("anomaly", {}), values);
  EXPECT_GE(AlarmsIn(e, 1500, 1505), 1);
  EXPECT_EQ(AlarmsIn(e, 4000, 6000), 0);
}

TEST(Anomaly, RegularDailyPeaksDoNotAlarm) {
  Noise noise;
  std::vector<double> values;
  for (std::size_t i = 0; i < 288 * 14; ++i) {  // 14 days every 5 minutes
    const double hour = static_cast<double>(i % 288) / 12;
    const double peak = std::fabs(hour - 12) < 1 ? 30 : 0;  // a sharp noon peak
    values.push_back(50 + 10 * std::sin(hour / 24 * 2 * M_PI) + peak + noise.Next());
  }
  const auto e = FeedTimed(*Build("anomaly", {}), values);
  EXPECT_EQ(AlarmsIn(e, 288 * 3, values.size()), 0);
}

// Daytime level (06:00-18:00) in the small hours: every transition between the
// two levels is familiar, only the time of day is not. The series opens at the
// daytime level so that the quantiser's range spans both levels from the start
// (otherwise the first night's noise alone fills every level).
TEST(Anomaly, ValueOutOfItsTimeOfDayScoresHigherWithTheSeasonalContext) {
  Noise noise;
  std::vector<double> values;
  for (std::size_t i = 0; i < 288 * 14; ++i) {  // 14 days every 5 minutes
    const std::size_t hour = i % 288 / 12;
    values.push_back((hour >= 6 && hour < 18 ? 50 : 10) + noise.Next());
  }
  values[0] = 50;
  const std::size_t night = 288 * 13 + 2 * 12;  // 02:00 on the last day
  values[night] = 50 + noise.Next();
  const auto seasonal = FeedTimed(*Build("anomaly", {}), values);
  const auto plain = FeedTimed(*Build("anomaly", {{"season_weight", "0"}}), values);
  EXPECT_GT(seasonal[night].score, plain[night].score + 0.05);
}

TEST(Anomaly, MissingValueIsSkippedAndLeavesTheStateAlone) {
  std::vector<double> values = NoisyLevel(600, 10);
  std::vector<double> with_gap = values;
  with_gap.insert(with_gap.begin() + 500, kMissing);
  const auto plain = testing::Feed(*Build("anomaly", {}), values);
  const auto gap = testing::Feed(*Build("anomaly", {}), with_gap);
  EXPECT_FALSE(gap[500].evaluated);
  EXPECT_STREQ(gap[500].reason, "observed value missing");
  for (std::size_t i = 500; i < values.size(); ++i) {
    EXPECT_EQ(plain[i].score, gap[i + 1].score) << i;
  }
}

TEST(Anomaly, CopiedStateResumesIdentically) {
  const auto detector = Build("anomaly", {});
  const auto& streaming = dynamic_cast<const StreamingDetector&>(*detector);
  const std::vector<double> values = NoisyLevel(1000, 10);
  std::vector<std::uint64_t> a((streaming.state_size() + 7) / 8);
  const std::span<std::byte> state_a(reinterpret_cast<std::byte*>(a.data()),
                                     streaming.state_size());
  streaming.InitState(state_a);
  for (std::size_t i = 0; i < 700; ++i) {
    (void)streaming.Update(state_a, Point{.value = values[i]});
  }
  std::vector<std::uint64_t> b = a;  // as the engine persists state: the bytes
  const std::span<std::byte> state_b(reinterpret_cast<std::byte*>(b.data()),
                                     streaming.state_size());
  for (std::size_t i = 700; i < values.size(); ++i) {
    EXPECT_EQ(streaming.Update(state_a, Point{.value = values[i]}).score,
              streaming.Update(state_b, Point{.value = values[i]}).score);
  }
}

TEST(Anomaly, UpdateDoesNotAllocate) {
  const auto detector = Build("anomaly", {});
  const auto& streaming = dynamic_cast<const StreamingDetector&>(*detector);
  const std::vector<double> values = NoisyLevel(2000, 10);
  std::vector<std::uint64_t> words((streaming.state_size() + 7) / 8);
  const std::span<std::byte> state(reinterpret_cast<std::byte*>(words.data()),
                                   streaming.state_size());
  streaming.InitState(state);
  const std::int64_t before = testing::AllocationCount();
  for (double v : values) {
    (void)streaming.Update(state, Point{.value = v});
  }
  EXPECT_EQ(testing::AllocationCount(), before);
}

}  // namespace
}  // namespace vigil
