#include "server/auth.h"

#include <gtest/gtest.h>

#include "core/digest.h"
#include "ingest/ingest_testing.h"
#include "store/memory_store.h"

namespace vigil::server {
namespace {

using std::chrono::hours;
using std::chrono::nanoseconds;

const Timestamp kNow = *ParseRfc3339("2025-01-01T00:00:00Z");

class AuthTest : public ::testing::Test {
 protected:
  // A token made from `spec` and stored; its secret.
  std::string Stored(TokenSpec spec) {
    Result<NewToken> token = MakeToken(spec, catalogue_, kNow);
    EXPECT_TRUE(token.ok()) << token.status().ToString();
    const Status created = store_->CreateToken(
        token->record, {kNow, "cli:test", "token.create", token->record.id, ""});
    EXPECT_TRUE(created.ok()) << created.ToString();
    return token->secret;
  }

  Authentication At(std::string_view secret, Timestamp now) {
    Result<Authentication> a = Authenticate(*store_, secret, now);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? *a : Authentication{};
  }

  Catalogue catalogue_ = testing_catalogue::Make(3);
  std::unique_ptr<Store> store_ = NewMemoryStore();
};

TEST_F(AuthTest, ATokenIs256RandomBitsAndOnlyItsHashIsKept) {
  const Result<NewToken> a = MakeToken({.name = "a"}, catalogue_, kNow);
  const Result<NewToken> b = MakeToken({.name = "a"}, catalogue_, kNow);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->secret.starts_with("vgl_"));
  EXPECT_EQ(a->secret.size(), 4u + 43u);
  EXPECT_NE(a->secret, b->secret);
  EXPECT_NE(a->record.id, b->record.id);
  EXPECT_EQ(a->record.hash, Sha256Hex(a->secret));
  EXPECT_EQ(a->record.hash.find(a->secret.substr(4)), std::string::npos);
  EXPECT_EQ(a->record.role, "viewer");
  EXPECT_EQ(a->record.created, kNow);
}

TEST_F(AuthTest, AStoredTokenAuthenticatesWithItsRoleAndJurisdiction) {
  const std::string secret = Stored(
      {.name = "county", .role = Role::kOperator, .regions = {"XA-01"}, .domains = {"flood"}});
  const Authentication a = At(secret, kNow);
  ASSERT_TRUE(a.principal) << a.refusal;
  EXPECT_EQ(a.principal->role, Role::kOperator);
  EXPECT_EQ(a.principal->token.name, "county");
  EXPECT_EQ(a.principal->Actor(), "token:" + a.principal->token.id);
  EXPECT_TRUE(a.principal->Restricted());
}

TEST_F(AuthTest, UnknownAndMalformedTokensAreRefused) {
  Stored({.name = "a"});
  std::string other = MakeToken({.name = "b"}, catalogue_, kNow)->secret;
  EXPECT_EQ(At(other, kNow).refusal, "unknown token");
  other.back() = other.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(At(other, kNow).refusal, "unknown token");
  for (const std::string_view bad : {"", "vgl_", "vgl_short", "Bearer x", "vgl_!!!"}) {
    EXPECT_EQ(At(bad, kNow).refusal, "malformed token") << bad;
  }
}

TEST_F(AuthTest, ATokenStopsWorkingAtItsExpiry) {
  const Timestamp expires = kNow + hours(1);
  const std::string secret = Stored({.name = "a", .expires = expires});
  EXPECT_TRUE(At(secret, expires - nanoseconds(1)).principal);
  EXPECT_EQ(At(secret, expires).refusal, "token expired");
}

TEST_F(AuthTest, ARevokedTokenIsRefused) {
  const std::string secret = Stored({.name = "a", .role = Role::kAdmin});
  const Authentication before = At(secret, kNow);
  ASSERT_TRUE(before.principal);
  ASSERT_TRUE(store_
                  ->RevokeToken(before.principal->token.id, kNow,
                                {kNow, "cli:test", "token.revoke", before.principal->token.id, ""})
                  .ok());
  EXPECT_EQ(At(secret, kNow).refusal, "token revoked");
}

TEST_F(AuthTest, MakingATokenChecksItsSpecAgainstTheCatalogue) {
  EXPECT_EQ(MakeToken({.name = ""}, catalogue_, kNow).status().code(),
            StatusCode::kInvalidArgument);
  const Result<NewToken> region = MakeToken({.name = "a", .regions = {"XB"}}, catalogue_, kNow);
  EXPECT_EQ(region.status().message(), "--region XB: the workspace catalogue has no such region");
  const Result<NewToken> domain = MakeToken({.name = "a", .domains = {"fire"}}, catalogue_, kNow);
  EXPECT_EQ(domain.status().message(), "--domain fire: the workspace catalogue has no such domain");
  EXPECT_EQ(MakeToken({.name = "a", .expires = kNow}, catalogue_, kNow).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(RoleTest, EachRoleReachesWhatItIsFor) {
  struct Case {
    Role role;
    bool read, act, ingest, admin;
  };
  for (const Case& c : {Case{Role::kViewer, true, false, false, false},
                        Case{Role::kOperator, true, true, false, false},
                        Case{Role::kIngest, false, false, true, false},
                        Case{Role::kAdmin, true, true, true, true}}) {
    EXPECT_TRUE(RoleAllows(c.role, Access::kPublic));
    EXPECT_EQ(RoleAllows(c.role, Access::kRead), c.read) << RoleName(c.role);
    EXPECT_EQ(RoleAllows(c.role, Access::kAct), c.act) << RoleName(c.role);
    EXPECT_EQ(RoleAllows(c.role, Access::kIngest), c.ingest) << RoleName(c.role);
    EXPECT_EQ(RoleAllows(c.role, Access::kAdmin), c.admin) << RoleName(c.role);
    EXPECT_EQ(*ParseRole(RoleName(c.role)), c.role);
  }
  EXPECT_EQ(ParseRole("root").status().code(), StatusCode::kInvalidArgument);
}

TEST(JurisdictionTest, ARegionCoversItsDescendantsAndNoneCoversAll) {
  const Catalogue catalogue = testing_catalogue::Make(3);
  Principal district{.token = {.regions = {"XA-01"}, .domains = {"health"}}};
  EXPECT_TRUE(district.Covers(catalogue, "health", "XA-01"));
  EXPECT_FALSE(district.Covers(catalogue, "health", "XA-02"));
  EXPECT_FALSE(district.Covers(catalogue, "health", "XA")) << "not the parent";
  EXPECT_FALSE(district.Covers(catalogue, "flood", "XA-01"));
  const Principal province{.token = {.regions = {"XA"}}};
  EXPECT_TRUE(province.Covers(catalogue, "flood", "XA-03"));
  const Principal everyone;
  EXPECT_FALSE(everyone.Restricted());
  EXPECT_TRUE(everyone.Covers(catalogue, "mines", "XA-02"));
}

}  // namespace
}  // namespace vigil::server
