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

}  // namespace
}  // namespace vigil
