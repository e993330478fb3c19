// Runs every scenario script in src/warn/scenarios, and checks that the
// runner itself fails on a wrong expectation.
#include "warn/scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "warn/warn_testing.h"

namespace vigil::warn {
namespace {

const std::filesystem::path& kDir = kScenarioDir;

std::vector<std::string> ScriptNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    if (entry.path().extension() == ".vigil") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

class ScenarioScriptTest : public testing::TestWithParam<std::string> {};

TEST_P(ScenarioScriptTest, Passes) {
  Result<ScenarioOutcome> outcome = RunScenarioFile(kDir / GetParam());
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  for (const std::string& failure : outcome->failures) {
    ADD_FAILURE() << failure;
  }
  EXPECT_GT(outcome->expectations, 0) << "a scenario must check something";
}

INSTANTIATE_TEST_SUITE_P(Scripts, ScenarioScriptTest, testing::ValuesIn(ScriptNames()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.find('.'));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(ScenarioRunnerTest, CoversEveryScriptInTheDirectory) { EXPECT_GE(ScriptNames().size(), 9u); }

Result<ScenarioOutcome> RunBody(const std::string& body) {
  return RunScenario("catalogue province.yaml\nat 2024-03-01T00:00:00Z\n" + body, "test.vigil",
                     kDir);
}

TEST(ScenarioRunnerTest, WrongLevelFailsNamingTheLine) {
  Result<ScenarioOutcome> outcome = RunBody(
      "signal cases region=XA-02 score=2.5\n"
      "expect warning health/XA-02/infectious-disease level=3\n");
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  ASSERT_EQ(outcome->failures.size(), 1u);
  EXPECT_NE(outcome->failures[0].find("test.vigil:4: "), std::string::npos) << outcome->failures[0];
  EXPECT_NE(outcome->failures[0].find("level is '2', expected '3'"), std::string::npos)
      << outcome->failures[0];
}

TEST(ScenarioRunnerTest, MissingNotificationFails) {
  Result<ScenarioOutcome> outcome =
      RunBody("signal cases region=XA-02 score=2.5\nexpect notify kind=escalation\n");
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome->ok());
}

TEST(ScenarioRunnerTest, UnexpectedNotificationFails) {
  Result<ScenarioOutcome> outcome =
      RunBody("signal cases region=XA-02 score=2.5\nexpect no notify\n");
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome->ok());
}

TEST(ScenarioRunnerTest, ExpectationOnWarningNeverIssuedFails) {
  Result<ScenarioOutcome> outcome = RunBody("expect warning health/XA-01/infectious-disease\n");
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome->ok());
}

TEST(ScenarioRunnerTest, FailedActionWithoutExpectErrorFails) {
  Result<ScenarioOutcome> outcome =
      RunBody("cancel health/XA-01/infectious-disease by=me reason=test\n");
  ASSERT_TRUE(outcome.ok());
  ASSERT_EQ(outcome->failures.size(), 1u);
  EXPECT_NE(outcome->failures[0].find("no active warning"), std::string::npos);
}

TEST(ScenarioRunnerTest, ExpectErrorAfterSuccessFails) {
  Result<ScenarioOutcome> outcome = RunBody(
      "issue health/XA-01/infectious-disease level=1 by=me reason=test\nexpect error \"x\"\n");
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome->ok());
}

TEST(ScenarioRunnerTest, PassingScriptHasNoFailures) {
  Result<ScenarioOutcome> outcome = RunBody(
      "signal cases region=XA-02 score=2.5\n"
      "expect warning health/XA-02/infectious-disease level=2 state=active\n"
      "expect notify kind=issued level=2\n");
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(outcome->ok());
  EXPECT_EQ(outcome->expectations, 2);
  EXPECT_EQ(outcome->log.size(), 2u);
}

TEST(ScenarioRunnerTest, UnreadableLineIsAnErrorNamingIt) {
  Result<ScenarioOutcome> outcome = RunBody("signal cases region=XA-02 score\n");
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.status().message().find("test.vigil:3: "), std::string::npos)
      << outcome.status().message();
}

TEST(ScenarioRunnerTest, TimeCannotGoBack) {
  Result<ScenarioOutcome> outcome = RunBody("at 2024-02-01T00:00:00Z\n");
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.status().message().find("cannot go back"), std::string::npos);
}

TEST(ScenarioRunnerTest, UnknownCommandIsAnError) {
  EXPECT_FALSE(RunBody("raise health/XA-01/infectious-disease\n").ok());
}

TEST(ScenarioRunnerTest, MissingCatalogueIsAnError) {
  EXPECT_FALSE(RunScenario("catalogue nowhere.yaml\n", "t.vigil", kDir).ok());
  EXPECT_FALSE(RunScenario("at 2024-03-01T00:00:00Z\n", "t.vigil", kDir).ok());
}

}  // namespace
}  // namespace vigil::warn
