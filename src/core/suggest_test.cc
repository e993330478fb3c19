#include "core/suggest.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(SuggestTest, EditDistanceCountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("alpha", "alfa"), 2u);
  EXPECT_EQ(EditDistance("weekly", "weekley"), 1u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
}

TEST(SuggestTest, ClosestNameFindsNearMiss) {
  EXPECT_EQ(ClosestName("frequncy", {"id", "frequency", "unit"}), "frequency");
}

TEST(SuggestTest, ClosestNameIgnoresFarNames) {
  EXPECT_EQ(ClosestName("population", {"id", "name", "parent"}), "");
}

}  // namespace
}  // namespace vigil
