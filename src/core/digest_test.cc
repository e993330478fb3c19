#include "core/digest.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil {
namespace {

std::span<const unsigned char> Bytes(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

// FIPS 180-2 test vectors.
TEST(DigestTest, Sha256MatchesTheStandardVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(DigestTest, IncrementalDigestEqualsTheOneOfTheConcatenation) {
  Sha256 digest;
  digest.Update("ab");
  digest.Update("c");
  EXPECT_EQ(digest.FinishHex(), Sha256Hex("abc"));
  digest.Update("abc");
  EXPECT_EQ(digest.FinishHex(), Sha256Hex("abc")) << "FinishHex starts afresh";
}

// RFC 4648 section 10 vectors, in the URL alphabet without padding.
TEST(DigestTest, Base64UrlMatchesTheRfcVectors) {
  EXPECT_EQ(Base64UrlEncode(Bytes("")), "");
  EXPECT_EQ(Base64UrlEncode(Bytes("f")), "Zg");
  EXPECT_EQ(Base64UrlEncode(Bytes("fo")), "Zm8");
  EXPECT_EQ(Base64UrlEncode(Bytes("foo")), "Zm9v");
  EXPECT_EQ(Base64UrlEncode(Bytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode(Bytes("\xfb\xff")), "-_8");
}

TEST(DigestTest, HexEncodesEachByteAsTwoLowercaseDigits) {
  EXPECT_EQ(HexEncode(Bytes(std::string("\x00\x0f\xa0\xff", 4))), "000fa0ff");
}

TEST(DigestTest, ConstantTimeEqualsComparesWholeContents) {
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secrets"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(DigestTest, RandomBytesHaveTheAskedLengthAndDiffer) {
  const Result<std::string> a = RandomBytes(32);
  const Result<std::string> b = RandomBytes(32);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace vigil
