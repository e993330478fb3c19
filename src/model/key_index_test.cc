#include "model/key_index.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil {
namespace {

TEST(KeyIndexTest, FindsEveryKeyAndNothingElse) {
  std::vector<std::string> storage;
  for (int i = 0; i < 1000; ++i) {
    storage.push_back("XL-" + std::to_string(i));
  }
  const std::vector<std::string_view> keys(storage.begin(), storage.end());
  KeyIndex index;
  index.Build(keys);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(index.Find(keys[i]), i) << keys[i];
  }
  EXPECT_EQ(index.Find("XL-1000"), std::nullopt);
  EXPECT_EQ(index.Find(""), std::nullopt);
  EXPECT_EQ(index.Find("XL-"), std::nullopt);
}

TEST(KeyIndexTest, ARepeatedKeyKeepsItsFirstPosition) {
  KeyIndex index;
  index.Build({"a", "b", "a"});
  EXPECT_EQ(index.Find("a"), 0u);
  EXPECT_EQ(index.Find("b"), 1u);
}

TEST(KeyIndexTest, EmptyAndUnbuiltIndexesFindNothing) {
  KeyIndex unbuilt;
  EXPECT_EQ(unbuilt.Find("a"), std::nullopt);
  KeyIndex empty;
  empty.Build({});
  EXPECT_EQ(empty.Find("a"), std::nullopt);
}

}  // namespace
}  // namespace vigil
