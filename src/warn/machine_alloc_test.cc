// A signal that changes nothing must cost hash lookups only: Step on it must
// not allocate. This binary links the counting operator new
// (core/alloc_counter_testing.h).
#include <gtest/gtest.h>

#include <cstdint>

#include "core/alloc_counter_testing.h"
#include "warn/machine.h"

namespace vigil::warn {
namespace {

Catalogue MakeCatalogue() {
  WarningPolicy policy{
      .id = "outbreak", .hazard = "infectious-disease", .score_cut_points = {1.0, 2.0, 4.0, 8.0}};
  Indicator cases{.id = "cases", .domain = "health", .policy = "outbreak"};
  cases.detectors.push_back({.method = "ears-c2"});
  return Catalogue({}, {{.id = "health"}}, {{.code = "XA"}, {.code = "XA-01", .parent = "XA"}},
                   {cases}, {policy}, {});
}

SignalInput Signal(const char* region, double score) {
  SignalInput s{.indicator = "cases", .region = region, .detector = 0};
  s.evaluation.evaluated = true;
  s.evaluation.score = score;
  return s;
}

const Timestamp kT0{std::chrono::hours(24 * 365 * 50)};

// Allocations made by 1000 further steps on `signal` after a first one at
// kT0, each a second apart; -1 if any step recorded an event.
std::int64_t AllocationsOfRepeats(const Rules& rules, State& state, const SignalInput& signal) {
  const std::int64_t before = testing::AllocationCount();
  for (int i = 1; i <= 1000; ++i) {
    Result<StepResult> r = Step(rules, state, signal, kT0 + std::chrono::seconds(i));
    if (!r.ok() || !r->events.empty()) {
      return -1;
    }
  }
  return testing::AllocationCount() - before;
}

TEST(WarnAllocationTest, QuietSignalDoesNotAllocate) {
  const Catalogue catalogue = MakeCatalogue();
  const Rules rules(catalogue);
  State state;
  const SignalInput quiet = Signal("XA-01", 0.2);
  ASSERT_TRUE(Step(rules, state, quiet, kT0).ok());
  EXPECT_EQ(AllocationsOfRepeats(rules, state, quiet), 0);
}

TEST(WarnAllocationTest, RepeatedSignalOnActiveWarningDoesNotAllocate) {
  const Catalogue catalogue = MakeCatalogue();
  const Rules rules(catalogue);
  State state;
  const SignalInput yellow = Signal("XA-01", 2.5);
  Result<StepResult> first = Step(rules, state, yellow, kT0);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->events.empty());  // the warning was issued
  // Within refresh_every (1h by default) a repeat is not recorded.
  EXPECT_EQ(AllocationsOfRepeats(rules, state, yellow), 0);
}

}  // namespace
}  // namespace vigil::warn
