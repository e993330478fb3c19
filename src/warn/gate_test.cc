#include "warn/gate.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "warn/event_json.h"
#include "warn/warn_testing.h"

namespace vigil::warn {
namespace {

using std::chrono::minutes;

const Timestamp kT0 = *ParseRfc3339("2024-03-01T00:00:00Z");

struct Series {
  std::string indicator;
  std::string region;
};

const std::vector<Series> kSeries = {{"cases", "XA-01"},       {"cases", "XA-02"},
                                     {"cases", "XA-03"},       {"river-level", "XA-01"},
                                     {"river-level", "XA-02"}, {"river-level", "XA-03"},
                                     {"cases", "XA-99"}};

SignalInput Signal(const Series& s, std::mt19937& random) {
  SignalInput input{.indicator = s.indicator, .region = s.region};
  Evaluation& e = input.evaluation;
  // Mostly quiet and repeated, sometimes high, sometimes not judged at all.
  const int roll = static_cast<int>(random() % 100);
  e.evaluated = roll >= 3;
  e.score = roll < 80 ? 0.5 : roll < 95 ? 3.0 : 9.0;
  e.alarm = e.score > 1;
  e.level = roll < 80 ? 0 : roll < 95 ? 2 : 4;
  return input;
}

// The gate only skips steps that would record nothing: driven by the same
// inputs, a state fed through the gate logs exactly the events, and ends in
// exactly the state, of one fed every signal, through ticks that age
// evidence out and cancels by hand that set it aside.
TEST_F(ProvinceTest, GateLogsExactlyWhatStepLogs) {
  State plain;
  State gated;
  SignalGate gate(*rules_);
  std::vector<std::string> plain_log;
  std::vector<std::string> gated_log;
  auto keep = [](const Result<StepResult>& r, std::vector<std::string>& log) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    for (const Event& e : r->events) {
      log.push_back(EncodeEvent(e));
    }
  };
  std::mt19937 random(7);
  Timestamp now = kT0;
  int skipped = 0;
  for (int round = 0; round < 3000; ++round) {
    now += minutes(1 + static_cast<int>(random() % 40));
    for (size_t slot = 0; slot < kSeries.size(); ++slot) {
      const SignalInput input = Signal(kSeries[slot], random);
      const Result<StepResult> a = Step(*rules_, plain, input, now);
      StepResult b;
      ASSERT_TRUE(gate.Step(gated, slot, input, now, b).ok());
      skipped += b.events.empty() && a.ok() && a->events.empty() ? 1 : 0;
      keep(a, plain_log);
      keep(b, gated_log);
    }
    if (round % 7 == 0) {
      keep(Step(*rules_, plain, Tick{}, now), plain_log);
      keep(Step(*rules_, gated, Tick{}, now), gated_log);
    }
    if (round % 97 == 0) {
      const OperatorAction cancel{.kind = ActionKind::kCancel,
                                  .actor = "duty-officer",
                                  .reason = "drill",
                                  .key = {"health", "XA-02", "infectious-disease"}};
      const Result<StepResult> a = Step(*rules_, plain, cancel, now);
      const Result<StepResult> b = Step(*rules_, gated, cancel, now);
      ASSERT_EQ(a.ok(), b.ok());
      if (a.ok()) {
        keep(a, plain_log);
        keep(b, gated_log);
      }
    }
    ASSERT_EQ(gated_log.size(), plain_log.size()) << "round " << round;
  }
  EXPECT_EQ(gated_log, plain_log);
  EXPECT_EQ(gated, plain);
  EXPECT_GT(plain_log.size(), 100u);
  EXPECT_GT(skipped, 10000);
}

// What the warning stage relies on to drop signals before holding them: a
// signal the gate calls inert is still a no-op once the other sources'
// signals of its batch, a tick and a cancel by hand have been stepped first.
TEST_F(ProvinceTest, InertSignalStaysANoOpWhateverOtherSourcesDoFirst) {
  State state;
  SignalGate gate(*rules_);
  std::mt19937 random(11);
  Timestamp now = kT0;
  int inert = 0;
  for (int round = 0; round < 3000; ++round) {
    now += minutes(1 + static_cast<int>(random() % 40));
    std::vector<SignalInput> batch;
    std::vector<bool> inert_at_offer;
    for (const Series& s : kSeries) {
      batch.push_back(Signal(s, random));
      const size_t slot = batch.size() - 1;
      inert_at_offer.push_back(
          gate.Inert(state, slot, batch.back().detector, batch.back().evaluation));
    }
    ASSERT_TRUE(Step(*rules_, state, Tick{}, now).ok());
    if (round % 13 == 0) {
      // Refused when no warning stands there; when one does, its evidence is set aside.
      static_cast<void>(Step(*rules_, state,
                             OperatorAction{.kind = ActionKind::kCancel,
                                            .actor = "duty-officer",
                                            .reason = "drill",
                                            .key = {"health", "XA-02", "infectious-disease"}},
                             now));
    }
    for (size_t slot = 0; slot < batch.size(); ++slot) {
      if (inert_at_offer[slot]) {
        ++inert;
        const Result<StepResult> plain = Step(*rules_, state, batch[slot], now);
        ASSERT_TRUE(plain.ok());
        ASSERT_TRUE(plain->events.empty()) << "round " << round << ", slot " << slot;
      } else {
        StepResult out;
        ASSERT_TRUE(gate.Step(state, slot, batch[slot], now, out).ok());
      }
    }
  }
  EXPECT_GT(inert, 10000);
}

TEST_F(ProvinceTest, GateForgetsWhatItKnewWhenReset) {
  State state;
  SignalGate gate(*rules_);
  SignalInput input{.indicator = "cases", .region = "XA-01"};
  input.evaluation.evaluated = true;
  input.evaluation.score = 3.0;
  input.evaluation.alarm = true;
  auto events = [&](Timestamp now) {
    StepResult out;
    EXPECT_TRUE(gate.Step(state, 0, input, now, out).ok());
    return out.events.size();
  };
  ASSERT_GT(events(kT0), 0u);
  EXPECT_EQ(events(kT0 + minutes(1)), 0u);
  // A state rebuilt from nothing: the gate must not assume the evidence is there.
  state = State{};
  gate.Reset();
  EXPECT_GT(events(kT0 + minutes(2)), 0u);
}

}  // namespace
}  // namespace vigil::warn
