#include "warn/event_json.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <vector>

#include "warn/machine.h"
#include "warn/scenario.h"
#include "warn/warn_testing.h"

namespace vigil::warn {
namespace {

// Every scenario's log, stored and read back, replays to the same state and
// encodes to the same text: nothing of an event is lost on the way.
TEST(EventJsonTest, EveryScenarioLogRoundTrips) {
  int scripts = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kScenarioDir)) {
    if (entry.path().extension() != ".vigil") {
      continue;
    }
    ++scripts;
    Result<ScenarioOutcome> outcome = RunScenarioFile(entry.path());
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    ASSERT_FALSE(outcome->log.empty()) << entry.path();
    std::vector<Event> decoded;
    for (const Event& event : outcome->log) {
      const std::string text = EncodeEvent(event);
      Result<Event> back = DecodeEvent(text);
      ASSERT_TRUE(back.ok()) << entry.path() << ": " << back.status().message() << "\n" << text;
      EXPECT_EQ(EncodeEvent(*back), text);
      decoded.push_back(std::move(back).value());
    }
    EXPECT_EQ(Replay(decoded), Replay(outcome->log)) << entry.path();
  }
  EXPECT_GE(scripts, 10);
}

TEST(EventJsonTest, MissingNumbersStayMissing) {
  Event e;
  e.seq = 7;
  e.kind = EventKind::kEvidence;
  e.key = {"health", "XA-01", "infectious-disease"};
  e.evidence.source = "cases";
  e.evidence.level = 2;
  e.evidence.expected = std::numeric_limits<double>::quiet_NaN();
  e.evidence.score = 3.25;
  Result<Event> back = DecodeEvent(EncodeEvent(e));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->evidence, e.evidence);
  EXPECT_TRUE(std::isnan(back->evidence.expected));
  EXPECT_EQ(back->evidence.score, 3.25);
}

TEST(EventJsonTest, BadTextNamesTheField) {
  EXPECT_EQ(DecodeEvent("{").status().message(), "event: not valid JSON");
  EXPECT_EQ(DecodeEvent("[]").status().message(), "event: expected an object");
  Event e;
  e.kind = EventKind::kIssued;
  std::string text = EncodeEvent(e);
  std::string broken = text;
  broken.replace(broken.find("\"status\":\"active\""), 17, "\"status\":\"gone\"");
  EXPECT_EQ(DecodeEvent(broken).status().message(),
            "warning.status: unknown warning status 'gone' (expected active, cancelled or "
            "expired)");
  broken = text;
  broken.replace(broken.find("\"kind\":\"issued\""), 15, "\"kind\":7");
  EXPECT_EQ(DecodeEvent(broken).status().message(), "kind: expected a string");
  broken = text;
  broken.replace(broken.find("\"changes\":0"), 11, "\"changes\":\"x\"");
  EXPECT_EQ(DecodeEvent(broken).status().message(), "warning.changes: expected an integer");
}

}  // namespace
}  // namespace vigil::warn
