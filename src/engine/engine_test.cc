#include "engine/engine.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/metrics.h"

namespace vigil {
namespace {

class RecordingSink final : public SignalSink {
 public:
  void OnSignal(const Signal& signal) override { signals.push_back(signal); }
  std::vector<Signal> signals;
};

Indicator MakeIndicator(Frequency frequency, Duration lateness) {
  Indicator ind{.id = "x", .domain = "d", .frequency = frequency, .allowed_lateness = lateness};
  ind.detectors.push_back(
      {.method = "threshold", .params = {{.name = "levels", .value = "10,20"}}});
  return ind;
}

Catalogue MakeCatalogue(Indicator indicator) {
  return Catalogue({}, {{.id = "d"}}, {{.code = "A"}, {.code = "B"}}, {std::move(indicator)}, {},
                   {});
}

Timestamp Week(int w) { return *ParseIsoWeek(fmt::format("2024-W{:02}", w)); }

Observation Obs(SeriesId series, Timestamp t, double value) {
  return Observation{.series = series, .time = t, .value = value};
}

std::unique_ptr<DetectionEngine> Engine(const Catalogue& c) {
  auto engine = DetectionEngine::Create(c);
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  EXPECT_TRUE((*engine)->AddSeries(1, {"x", "A"}).ok());
  EXPECT_TRUE((*engine)->AddSeries(2, {"x", "B"}).ok());
  return std::move(engine).value();
}

TEST(EngineTest, StreamJudgesEachSampleAtOnce) {
  Catalogue c = MakeCatalogue(MakeIndicator(Frequency::kStream, Duration{0}));
  auto engine = Engine(c);
  RecordingSink sink;
  const Timestamp t0 = *ParseRfc3339("2024-03-01T00:00:00Z");
  for (int i = 0; i < 3; ++i) {
    engine->Observe(Obs(1, t0 + std::chrono::minutes(i), 5.0 + 10 * i), AppendOutcome::kInserted,
                    sink);
  }
  ASSERT_EQ(sink.signals.size(), 3u);
  EXPECT_EQ(sink.signals[0].evaluation.level, 0);
  EXPECT_EQ(sink.signals[1].evaluation.level, 1);
  EXPECT_EQ(sink.signals[2].evaluation.level, 2);
  EXPECT_EQ(sink.signals[2].time, t0 + std::chrono::minutes(2));
}

TEST(EngineTest, StreamSampleOlderThanNewestIsNotJudged) {
  Catalogue c = MakeCatalogue(MakeIndicator(Frequency::kStream, Duration{0}));
  auto engine = Engine(c);
  RecordingSink sink;
  const Timestamp t0 = *ParseRfc3339("2024-03-01T00:00:00Z");
  engine->Observe(Obs(1, t0 + std::chrono::minutes(5), 1), AppendOutcome::kInserted, sink);
  engine->Observe(Obs(1, t0, 50), AppendOutcome::kInserted, sink);
  EXPECT_EQ(sink.signals.size(), 1u);
  EXPECT_EQ(engine->stats().out_of_order, 1);
}

TEST(EngineTest, UnchangedObservationsAreIgnored) {
  Catalogue c = MakeCatalogue(MakeIndicator(Frequency::kStream, Duration{0}));
  auto engine = Engine(c);
  RecordingSink sink;
  engine->Observe(Obs(1, Week(1), 50), AppendOutcome::kUnchanged, sink);
  EXPECT_TRUE(sink.signals.empty());
  EXPECT_EQ(engine->stats().observations, 0);
}

// How many evaluations of `method` the process's metrics have timed.
double TimedEvaluations(const std::string& method) {
  const std::string text = metrics::DefaultRegistry().Expose();
  const std::string prefix =
      fmt::format("vigil_detector_evaluation_seconds_count{{method=\"{}\"}} ", method);
  const size_t at = text.find(prefix);
  return at == std::string::npos ? 0 : std::stod(text.substr(at + prefix.size()));
}

TEST(EngineTest, OneStreamingUpdateIn64IsTimedByMethod) {
  for (const Frequency frequency : {Frequency::kStream, Frequency::kWeekly}) {
    Catalogue c = MakeCatalogue(MakeIndicator(frequency, Duration{0}));
    auto engine = Engine(c);
    RecordingSink sink;
    const double before = TimedEvaluations("threshold");
    for (int w = 0; w < 200; ++w) {
      engine->Observe(Obs(1, Week(1) + std::chrono::weeks(w), 15), AppendOutcome::kInserted, sink);
      engine->CloseReady(sink);
    }
    const std::int64_t evaluations = engine->stats().evaluations;
    ASSERT_GT(evaluations, 64);
    // The threshold updates as it streams, on weekly indicators too: the
    // 1st, 65th, 129th ... update of the engine is timed.
    EXPECT_EQ(TimedEvaluations("threshold") - before, static_cast<double>((evaluations + 63) / 64))
        << FrequencyName(frequency);
  }
}

TEST(EngineTest, PeriodWaitsForTheWatermark) {
  Catalogue c = MakeCatalogue(MakeIndicator(Frequency::kWeekly, std::chrono::weeks(1)));
  auto engine = Engine(c);
  RecordingSink sink;
  engine->Observe(Obs(1, Week(1), 15), AppendOutcome::kInserted, sink);
  engine->Observe(Obs(2, Week(1), 25), AppendOutcome::kInserted, sink);
  engine->CloseReady(sink);
  EXPECT_TRUE(sink.signals.empty()) << "week 1 may still receive late values";
  engine->Observe(Obs(1, Week(2), 1), AppendOutcome::kInserted, sink);
  engine->CloseReady(sink);
  ASSERT_EQ(sink.signals.size(), 2u);
  EXPECT_EQ(sink.signals[0].time, Week(1));
  EXPECT_EQ(sink.signals[0].evaluation.level, 1);
  EXPECT_EQ(sink.signals[1].evaluation.level, 2);
}

TEST(EngineTest, HoldBackKeepsTheNewestPeriodOpenAndFreesTheRest) {
  Catalogue c = MakeCatalogue(MakeIndicator(Frequency::kWeekly, Duration{0}));
  auto engine = Engine(c);
  RecordingSink sink;
  for (int w = 1; w <= 4; ++w) {
    engine->Observe(Obs(1, Week(w), 15), AppendOutcome::kInserted, sink);
  }
  engine->Observe(Obs(1, Week(4), 16), AppendOutcome::kRevised, sink);
  EXPECT_EQ(engine->pending_values(), 4);
  engine->CloseReady(sink, 1);
  ASSERT_EQ(sink.signals.size(), 3u) << "weeks 1-3 of A; B has no data yet";
  EXPECT_EQ(sink.signals.back().time, Week(3));
  EXPECT_EQ(engine->pending_values(), 1);
  engine->Observe(Obs(2, Week(4), 25), AppendOutcome::kInserted, sink);
  engine->CloseReady(sink);
  ASSERT_EQ(sink.signals.size(), 5u);
  EXPECT_EQ(sink.signals[3].evaluation.observed, 16) << "the revised value, not the first";
  EXPECT_EQ(sink.signals[4].evaluation.level, 2) << "week 4 of B was not judged missing";
  EXPECT_EQ(engine->pending_values(), 0);
}

TEST(EngineTest, MissingPeriodIsJudgedAsMissingNotZero) {
  Catalogue c = MakeCatalogue(MakeIndicator(Frequency::kWeekly, Duration{0}));
  auto engine = Engine(c);
  RecordingSink sink;
  engine->Observe(Obs(1, Week(1), 15), AppendOutcome::kInserted, sink);
  engine->Observe(Obs(2, Week(1), 15), AppendOutcome::kInserted, sink);
  engine->Observe(Obs(1, Week(2), 15), AppendOutcome::kInserted, sink);
  engine->CloseReady(sink);
  ASSERT_EQ(sink.signals.size(), 4u);
  const Signal& b_week2 = sink.signals[3];
  EXPECT_EQ(b_week2.series, 2);
  EXPECT_EQ(b_week2.time, Week(2));
  EXPECT_TRUE(std::isnan(b_week2.evaluation.observed));
  EXPECT_FALSE(b_week2.evaluation.alarm);
}

TEST(EngineTest, PeriodsCloseInOrderAcrossAGap) {
  Catalogue c = MakeCatalogue(MakeIndicator(Frequency::kWeekly, Duration{0}));
  auto engine = Engine(c);
  RecordingSink sink;
  engine->Observe(Obs(1, Week(1), 15), AppendOutcome::kInserted, sink);
  engine->Observe(Obs(1, Week(4), 25), AppendOutcome::kInserted, sink);
  engine->CloseReady(sink);
  ASSERT_EQ(sink.signals.size(), 4u);
  for (int w = 1; w <= 4; ++w) {
    EXPECT_EQ(sink.signals[w - 1].time, Week(w));
  }
  EXPECT_EQ(engine->stats().periods_closed, 4);
}

TEST(EngineTest, LateValueForClosedPeriodIsCounted) {
  Catalogue c = MakeCatalogue(MakeIndicator(Frequency::kWeekly, Duration{0}));
  auto engine = Engine(c);
  RecordingSink sink;
  engine->Observe(Obs(1, Week(2), 15), AppendOutcome::kInserted, sink);
  engine->CloseReady(sink);
  engine->Observe(Obs(1, Week(2), 30), AppendOutcome::kRevised, sink);
  engine->CloseReady(sink);
  EXPECT_EQ(engine->stats().late, 1);
  EXPECT_EQ(sink.signals.size(), 1u) << "streaming detectors do not re-judge revisions";
}

TEST(EngineTest, CheckpointsHoldOnlyWhatChanged) {
  Catalogue c = MakeCatalogue(MakeIndicator(Frequency::kStream, Duration{0}));
  auto engine = Engine(c);
  RecordingSink sink;
  engine->Observe(Obs(1, Week(1), 15), AppendOutcome::kInserted, sink);
  std::vector<SeriesCheckpoint> series;
  std::vector<IndicatorCheckpoint> indicators;
  engine->TakeCheckpoints(series, indicators);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].series, 1);
  EXPECT_FALSE(series[0].states.empty());
  series.clear();
  engine->TakeCheckpoints(series, indicators);
  EXPECT_TRUE(series.empty());
}

TEST(EngineTest, UnknownIndicatorIsRejected) {
  Catalogue c = MakeCatalogue(MakeIndicator(Frequency::kStream, Duration{0}));
  auto engine = DetectionEngine::Create(c);
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ((*engine)->AddSeries(1, {"nope", "A"}).code(), StatusCode::kNotFound);
}

TEST(EngineTest, BadDetectorParametersFailCreation) {
  Indicator ind = MakeIndicator(Frequency::kStream, Duration{0});
  ind.detectors.push_back({.method = "ears-c1", .params = {{.name = "alpha", .value = "2"}}});
  auto engine = DetectionEngine::Create(MakeCatalogue(std::move(ind)));
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(engine.status().message().find("indicator x detector ears-c1"), std::string::npos);
}

}  // namespace
}  // namespace vigil
