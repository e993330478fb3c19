#include "warn/machine.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "warn/warn_testing.h"

namespace vigil::warn {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const Timestamp kT0{hours(24 * 19783)};  // 2024-03-01
const WarningKey kD2{"health", "XA-02", "infectious-disease"};

class MachineTest : public ProvinceTest {
 protected:
  static SignalInput Cases(std::string_view region, double score) {
    SignalInput s{.indicator = "cases", .region = region};
    s.evaluation.evaluated = true;
    s.evaluation.score = score;
    return s;
  }
  StepResult Run(const Input& input, Timestamp now) {
    Result<StepResult> r = Step(*rules_, state_, input, now);
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) {
      return {};
    }
    log_.insert(log_.end(), r->events.begin(), r->events.end());
    return std::move(r).value();
  }
  State state_;
  std::vector<Event> log_;
};

TEST_F(MachineTest, SignalIssuesAWarningWithItsEvidence) {
  StepResult r = Run(Cases("XA-02", 4.5), kT0);
  const Warning* w = state_.Latest(WarningKeyEqual::View(kD2));
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->id, "health/XA-02/infectious-disease/1");
  EXPECT_EQ(w->level, 3);
  EXPECT_EQ(w->ack_deadline, kT0 + minutes(3));
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[1].kind, EventKind::kIssued);
  ASSERT_EQ(r.events[1].signals.size(), 1u);
  EXPECT_EQ(r.events[1].signals[0].source, "cases");
  EXPECT_DOUBLE_EQ(r.events[1].signals[0].score, 4.5);
  ASSERT_EQ(r.notifications.size(), 1u);
  EXPECT_EQ(r.notifications[0].agency, "province-health");
}

TEST_F(MachineTest, EventsAreNumberedInOrder) {
  Run(Cases("XA-02", 4.5), kT0);
  Run(Cases("XA-02", 9), kT0 + minutes(1));
  for (size_t i = 0; i < log_.size(); ++i) {
    EXPECT_EQ(log_[i].seq, static_cast<std::int64_t>(i + 1));
  }
  EXPECT_EQ(state_.next_seq, static_cast<std::int64_t>(log_.size() + 1));
}

TEST_F(MachineTest, QuietSignalChangesNothing) {
  StepResult r = Run(Cases("XA-02", 0.5), kT0);
  EXPECT_TRUE(r.events.empty());
  EXPECT_TRUE(state_.cells.empty());
}

TEST_F(MachineTest, UnknownIndicatorOrRegionIsIgnored) {
  SignalInput s = Cases("XA-02", 9);
  s.indicator = "unknown";
  EXPECT_TRUE(Run(s, kT0).events.empty());
  EXPECT_TRUE(Run(Cases("ZZ-99", 9), kT0).events.empty());
}

TEST_F(MachineTest, ReplayingTheLogRebuildsTheState) {
  Run(Cases("XA-01", 4.5), kT0);
  Run(Cases("XA-02", 9), kT0 + minutes(1));
  Run(OperatorAction{.kind = ActionKind::kSilence,
                     .actor = "me",
                     .reason = "test",
                     .until = kT0 + hours(1),
                     .silence = {.region = "XA-03"}},
      kT0 + minutes(2));
  Run(Cases("XA-03", 2.5), kT0 + minutes(3));
  Run(Tick{}, kT0 + hours(2));
  Run(Cases("XA-02", 0), kT0 + hours(3));
  Run(Tick{}, kT0 + hours(40));
  ASSERT_GT(log_.size(), 10u);
  EXPECT_TRUE(Replay(log_) == state_);
}

TEST_F(MachineTest, ReplayOfPartOfTheLogDiffers) {
  Run(Cases("XA-01", 4.5), kT0);
  Run(Cases("XA-01", 9), kT0 + minutes(1));
  ASSERT_GT(log_.size(), 1u);
  EXPECT_FALSE(Replay(std::span(log_).first(log_.size() - 1)) == state_);
}

TEST_F(MachineTest, SameInputsGiveSameEvents) {
  auto run = [&](State& state) {
    std::vector<std::string> out;
    for (const Input& in : {Input(Cases("XA-01", 4.5)), Input(Cases("XA-02", 5)), Input(Tick{})}) {
      const StepResult r = Step(*rules_, state, in, kT0 + hours(1)).value();
      for (const Event& e : r.events) {
        out.push_back(fmt::format("{} {} {}", e.seq, EventKindName(e.kind), e.warning.id));
      }
    }
    return out;
  };
  State a;
  State b;
  EXPECT_EQ(run(a), run(b));
  EXPECT_TRUE(a == b);
}

TEST_F(MachineTest, RejectedActionLeavesStateUnchanged) {
  Run(Cases("XA-02", 4.5), kT0);
  const State before = state_;
  Result<StepResult> r =
      Step(*rules_, state_,
           OperatorAction{.kind = ActionKind::kUpdate, .actor = "me", .key = kD2, .level = 4},
           kT0 + minutes(1));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("reason"), std::string::npos);
  EXPECT_TRUE(before == state_);
}

TEST_F(MachineTest, ActionLevelMustBeOneToFour) {
  Result<StepResult> r =
      Step(*rules_, state_,
           OperatorAction{
               .kind = ActionKind::kIssue, .actor = "me", .reason = "why", .key = kD2, .level = 5},
           kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(MachineTest, ActionNeedsAnActor) {
  Result<StepResult> r = Step(
      *rules_, state_,
      OperatorAction{.kind = ActionKind::kIssue, .reason = "why", .key = kD2, .level = 2}, kT0);
  EXPECT_FALSE(r.ok());
}

TEST_F(MachineTest, AcknowledgingTwiceIsRefused) {
  Run(Cases("XA-02", 4.5), kT0);
  const OperatorAction ack{.kind = ActionKind::kAcknowledge, .actor = "me", .key = kD2};
  Run(ack, kT0);
  Result<StepResult> r = Step(*rules_, state_, ack, kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(MachineTest, LevelCrossingsAreRecordedPerLevel) {
  Run(Cases("XA-02", 9), kT0);
  Run(Cases("XA-02", 2.5), kT0 + hours(1));
  const Cell& cell = *state_.Find(WarningKeyEqual::View(kD2));
  EXPECT_EQ(cell.level, 2);
  EXPECT_EQ(cell.crossed_at[0], kT0);
  EXPECT_EQ(cell.crossed_at[1], kT0);
  EXPECT_EQ(cell.crossed_at[2], kT0 + hours(1));
  EXPECT_EQ(cell.crossed_at[3], kT0 + hours(1));
}

// Two of three gauges must agree, so one gauge's evidence warns nobody.
TEST(MachineStateTest, KeyWithoutEvidenceThatWasNeverWarnedIsNotKept) {
  const Catalogue catalogue = LoadCatalogueFile(kScenarioDir / "composite.yaml").value();
  const Rules rules(catalogue);
  State state;
  std::vector<Event> log;
  const auto gauge = [&](int level, Timestamp now) {
    SignalInput s{.indicator = "two-a", .region = "XA"};
    s.evaluation.evaluated = true;
    s.evaluation.level = level;
    StepResult r = Step(rules, state, s, now).value();
    log.insert(log.end(), r.events.begin(), r.events.end());
  };
  gauge(2, kT0);
  ASSERT_NE(state.Find({"two", "XA", "flood"}), nullptr);
  EXPECT_EQ(state.Latest({"two", "XA", "flood"}), nullptr);
  gauge(0, kT0 + minutes(1));
  EXPECT_TRUE(state.cells.empty());
  EXPECT_TRUE(Replay(log) == state);
}

TEST(WarningNamesTest, KindsRoundTrip) {
  for (EventKind k : {EventKind::kEvidence, EventKind::kHeld, EventKind::kSilenceExpired}) {
    EXPECT_EQ(ParseEventKind(EventKindName(k)).value(), k);
  }
  for (NotifyKind k : {NotifyKind::kIssued, NotifyKind::kEscalation, NotifyKind::kReleased}) {
    EXPECT_EQ(ParseNotifyKind(NotifyKindName(k)).value(), k);
  }
  EXPECT_FALSE(ParseNotifyKind("sent").ok());
}

TEST(WarningNamesTest, EvidenceWithMissingValuesComparesEqual) {
  Evidence a{.source = "x", .level = 1, .score = kMissing};
  Evidence b = a;
  EXPECT_TRUE(a == b);
  b.score = 1;
  EXPECT_FALSE(a == b);
}

}  // namespace
}  // namespace vigil::warn
