#include "model/catalogue.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

Catalogue Sample() {
  std::vector<Region> regions = {{.code = "CN", .name = "China"},
                                 {.code = "CN-32", .name = "Jiangsu", .parent = "CN"},
                                 {.code = "CN-32-01", .name = "Nanjing", .parent = "CN-32"},
                                 {.code = "CN-33", .name = "Zhejiang", .parent = "CN"}};
  return Catalogue({}, {{.id = "health"}}, std::move(regions), {{.id = "ili", .domain = "health"}},
                   {}, {});
}

TEST(CatalogueTest, FindsEntriesById) {
  Catalogue c = Sample();
  ASSERT_NE(c.FindRegion("CN-32"), nullptr);
  EXPECT_EQ(c.FindRegion("CN-32")->name, "Jiangsu");
  EXPECT_EQ(c.FindRegion("XX"), nullptr);
  EXPECT_NE(c.FindIndicator("ili"), nullptr);
  EXPECT_NE(c.FindDomain("health"), nullptr);
}

TEST(CatalogueTest, WalksHierarchy) {
  Catalogue c = Sample();
  auto up = c.Ancestors("CN-32-01");
  ASSERT_EQ(up.size(), 2u);
  EXPECT_EQ(up[0]->code, "CN-32");
  EXPECT_EQ(up[1]->code, "CN");
  EXPECT_EQ(c.Children("CN").size(), 2u);
  EXPECT_TRUE(c.IsWithin("CN-32-01", "CN"));
  EXPECT_FALSE(c.IsWithin("CN-32-01", "CN-33"));
}

TEST(CatalogueTest, NamesRoundTrip) {
  EXPECT_EQ(*ParseDirection(DirectionName(Direction::kLowerIsWorse)), Direction::kLowerIsWorse);
  EXPECT_EQ(*ParseValueKind("ratio"), ValueKind::kRatio);
  EXPECT_FALSE(ParseValueKind("amount").ok());
}

TEST(CatalogueTest, LevelsParseFromNumberOrColour) {
  EXPECT_EQ(*ParseLevel("orange"), 3);
  EXPECT_EQ(*ParseLevel("4"), 4);
  EXPECT_EQ(LevelColour(1), "blue");
  EXPECT_FALSE(ParseLevel("0").ok());
  EXPECT_FALSE(ParseLevel("purple").ok());
  EXPECT_EQ(*ParseCombineRule(CombineRuleName(CombineRule::kKOfN)), CombineRule::kKOfN);
  EXPECT_FALSE(ParseCombineRule("most").ok());
}

TEST(CatalogueTest, PolicyDemotionFallsBackToItsDefault) {
  WarningPolicy p{.demote_after = std::chrono::hours(24)};
  p.level_demote_after[3] = std::chrono::hours(6);
  EXPECT_EQ(p.DemoteAfter(4), std::chrono::hours(6));
  EXPECT_EQ(p.DemoteAfter(1), std::chrono::hours(24));
  EXPECT_EQ(p.CombineWindow(), p.expire_after);
}

TEST(CatalogueTest, FindsAgencies) {
  Catalogue c({}, {}, {}, {}, {}, {}, {{.id = "centre", .regions = {"CN"}}});
  ASSERT_NE(c.FindAgency("centre"), nullptr);
  EXPECT_EQ(c.FindAgency("centre")->regions[0], "CN");
  EXPECT_EQ(c.FindAgency("other"), nullptr);
}

}  // namespace
}  // namespace vigil
