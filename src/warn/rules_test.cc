#include "warn/rules.h"

#include <gtest/gtest.h>

#include "warn/warn_testing.h"

namespace vigil::warn {
namespace {

class RulesTest : public ProvinceTest {
 protected:
  static Evaluation Scored(double score) {
    Evaluation e;
    e.evaluated = true;
    e.score = score;
    return e;
  }
};

TEST_F(RulesTest, ScoreMapsToTheHighestCutPointReached) {
  const IndicatorRules& cases = *rules_->FindIndicator("cases");
  EXPECT_EQ(Rules::LevelFor(cases, 0, Scored(0.99)), 0);
  EXPECT_EQ(Rules::LevelFor(cases, 0, Scored(1.0)), 1);
  EXPECT_EQ(Rules::LevelFor(cases, 0, Scored(3.9)), 2);
  EXPECT_EQ(Rules::LevelFor(cases, 0, Scored(4.0)), 3);
  EXPECT_EQ(Rules::LevelFor(cases, 0, Scored(100)), 4);
  EXPECT_EQ(Rules::LevelFor(cases, 0, Scored(kMissing)), 0);
}

TEST_F(RulesTest, UnjudgedPeriodSaysNothing) {
  EXPECT_EQ(Rules::LevelFor(*rules_->FindIndicator("cases"), 0, Evaluation{}), -1);
}

TEST_F(RulesTest, ThresholdDetectorGivesItsOwnLevel) {
  Evaluation e;
  e.evaluated = true;
  e.level = 3;
  e.score = 0.1;
  EXPECT_EQ(Rules::LevelFor(*rules_->FindIndicator("river-level"), 0, e), 3);
}

TEST_F(RulesTest, LevelWithoutCutPointIsSkipped) {
  const WarningPolicy policy{
      .id = "p", .hazard = "h", .score_cut_points = {1.0, std::nullopt, 4.0, std::nullopt}};
  const IndicatorRules rules(nullptr, &policy, nullptr, {0});
  EXPECT_EQ(Rules::LevelFor(rules, 0, Scored(3.9)), 1);
  EXPECT_EQ(Rules::LevelFor(rules, 0, Scored(4.0)), 3);
  EXPECT_EQ(Rules::LevelFor(rules, 0, Scored(1e9)), 3);
  EXPECT_EQ(Rules::LevelFor(rules, 0, Scored(kMissing)), 0);
}

TEST_F(RulesTest, PolicyWithoutCutPointsTurnsAnAlarmIntoBlue) {
  WarningPolicy policy{.id = "p", .hazard = "h"};
  const IndicatorRules rules(nullptr, &policy, nullptr, {0});
  Evaluation e = Scored(5);
  EXPECT_EQ(Rules::LevelFor(rules, 0, e), 0);
  e.alarm = true;
  EXPECT_EQ(Rules::LevelFor(rules, 0, e), 1);
}

TEST_F(RulesTest, HazardListsTheIndicatorsThatFeedIt) {
  const HazardRules* hazard = rules_->FindHazard("health", "infectious-disease");
  ASSERT_NE(hazard, nullptr);
  EXPECT_EQ(hazard->policy->id, "outbreak");
  EXPECT_EQ(hazard->indicators, std::vector<std::string>{"cases"});
  EXPECT_EQ(rules_->FindHazard("flood", "infectious-disease"), nullptr);
  EXPECT_EQ(rules_->FindIndicator("nope"), nullptr);
}

TEST_F(RulesTest, NearestJurisdictionIsResponsible) {
  EXPECT_EQ(rules_->Responsible("health", "XA-01")->id, "district-1-health");
  EXPECT_EQ(rules_->Responsible("health", "XA-02")->id, "province-health");
  EXPECT_EQ(rules_->Responsible("health", "XA")->id, "province-health");
}

TEST_F(RulesTest, AgencyNamingTheDomainBeatsOneForEveryDomain) {
  EXPECT_EQ(rules_->Responsible("flood", "XA-02")->id, "water-authority");
}

TEST_F(RulesTest, EscalationFollowsTheChainAndStaysAtTheLastTier) {
  const Agency* d1 = catalogue_->FindAgency("district-1-health");
  EXPECT_EQ(rules_->EscalationTier(d1, 0)->id, "district-1-health");
  EXPECT_EQ(rules_->EscalationTier(d1, 1)->id, "province-health");
  EXPECT_EQ(rules_->EscalationTier(d1, 2)->id, "emergency-centre");
  EXPECT_EQ(rules_->EscalationTier(d1, 7)->id, "emergency-centre");
  EXPECT_EQ(rules_->EscalationTier(nullptr, 1), nullptr);
}

}  // namespace
}  // namespace vigil::warn
