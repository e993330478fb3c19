// The per-observation path of streaming detection, and the checkpoints taken
// after each batch, must not allocate. This binary links the counting
// operator new (core/alloc_counter_testing.h).
#include <gtest/gtest.h>

#include <cstdint>

#include "core/alloc_counter_testing.h"
#include "engine/engine.h"

namespace vigil {
namespace {

class CountingSink final : public SignalSink {
 public:
  void OnSignal(const Signal& signal) override { alarms += signal.evaluation.alarm ? 1 : 0; }
  long alarms = 0;
};

TEST(EngineAllocationTest, StreamingPathAndCheckpointsDoNotAllocate) {
  Indicator ind{.id = "gas", .domain = "d", .frequency = Frequency::kStream};
  for (const char* m : {"ears-c1", "ears-c2", "ears-c3", "ewma"}) {
    ind.detectors.push_back({.method = m, .params = {}});
  }
  ind.detectors.back().params.push_back({.name = "baseline", .value = "20"});
  ind.detectors.push_back({.method = "cusum", .params = {{.name = "baseline", .value = "20"}}});
  ind.detectors.push_back({.method = "threshold", .params = {{.name = "levels", .value = "1,2"}}});
  Catalogue c({}, {{.id = "d"}}, {{.code = "A"}}, {std::move(ind)}, {}, {});
  auto engine = DetectionEngine::Create(c);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  for (SeriesId id = 1; id <= 100; ++id) {
    ASSERT_TRUE((*engine)->AddSeries(id, {"gas", "A"}).ok());
  }
  CountingSink sink;
  Observation o;
  auto feed = [&](int from, int to) {
    for (int step = from; step < to; ++step) {
      o.time = Timestamp{std::chrono::seconds(step)};
      for (SeriesId id = 1; id <= 100; ++id) {
        o.series = id;
        o.value = 0.5 + 0.1 * ((step * 7 + id) % 11);
        (*engine)->Observe(o, AppendOutcome::kInserted, sink);
      }
    }
  };
  feed(0, 50);  // warm-up: the dirty list reaches its steady capacity
  std::vector<SeriesCheckpoint> series;
  std::vector<IndicatorCheckpoint> indicators;
  (*engine)->TakeCheckpoints(series, indicators);
  const std::int64_t before = testing::AllocationCount();
  feed(50, 150);
  // The checkpoints of the next batch reuse the vectors and state buffers of
  // the last one.
  (*engine)->TakeCheckpoints(series, indicators);
  EXPECT_EQ(testing::AllocationCount() - before, 0);
  EXPECT_EQ(series.size(), 100u);
  EXPECT_EQ((*engine)->stats().evaluations, 150 * 100 * 6);
}

}  // namespace
}  // namespace vigil
