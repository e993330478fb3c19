// End-to-end: `vigil serve` serving the dashboard's files (public, typed,
// cached by kind, no way out of the directory) and telling the page who
// its token is.
#include "server_e2e_testing.h"

namespace vigil::e2e {
namespace {

using ServerDashboardTest = ServerE2eTest;

TEST_F(ServerDashboardTest, ThePageIsServedWithoutATokenAndRevalidatedEachTime) {
  const httplib::Result r = Get("/", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, ReadFile(dashboard_ / "index.html"));
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-cache");
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("connect-src 'self'"),
            std::string::npos);
}

TEST_F(ServerDashboardTest, AssetsHaveTheirTypeAndAreCachedForever) {
  WriteFile(dashboard_ / "assets" / "index-9f8e7d6c.css", "body{}\n");
  for (const auto& [file, type] :
       {std::pair<std::string, std::string>{kDashboardAsset, "text/javascript; charset=utf-8"},
        {"index-9f8e7d6c.css", "text/css; charset=utf-8"}}) {
    SCOPED_TRACE(file);
    const httplib::Result r = Get("/assets/" + file, "");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, ReadFile(dashboard_ / "assets" / file));
    EXPECT_EQ(r->get_header_value("Content-Type"), type);
    EXPECT_EQ(r->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  }
}

TEST_F(ServerDashboardTest, NoPathLeadsOutOfTheAssetsDirectory) {
  WriteFile(dashboard_ / "secret.txt", "do not serve\n");
  WriteFile(dashboard_ / "assets" / ".hidden", "do not serve\n");
  std::filesystem::create_directories(dashboard_ / "assets" / "sub");
  for (const std::string path :
       {"/assets/..%2Fsecret.txt", "/assets/%2e%2e%2fsecret.txt", "/assets/../secret.txt",
        "/assets/..%2F..%2Fws%2Fworkspace.yaml", "/assets/.hidden", "/assets/sub",
        "/assets/%2Fetc%2Fpasswd", "/assets/sub/..%2F..%2Fsecret.txt", "/secret.txt"}) {
    SCOPED_TRACE(path);
    const httplib::Result r = Get(path, "");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << r->body;
    EXPECT_EQ(ErrorCode(r), "not_found");
    EXPECT_EQ(r->body.find("do not serve"), std::string::npos);
  }
}

TEST_F(ServerDashboardTest, WithoutABuiltDashboardThePageIsA404ThatSaysWhy) {
  std::filesystem::remove(dashboard_ / "index.html");
  const httplib::Result r = Get("/", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("is the dashboard built?"), std::string::npos) << r->body;
}

TEST_F(ServerDashboardTest, WhoAmINamesTheTokenItsRoleJurisdictionAndWhatItMayDo) {
  const nlohmann::json county = Json(Get("/api/v1/whoami", county_));
  EXPECT_EQ(county["name"], "county");
  EXPECT_EQ(county["role"], "operator");
  EXPECT_EQ(county["regions"], nlohmann::json::array({"XL-02"}));
  EXPECT_EQ(county["domains"], nlohmann::json::array({"natural-hazards"}));
  EXPECT_EQ(county["may"]["act"], true);
  EXPECT_EQ(county["may"]["admin"], false);

  const nlohmann::json viewer = Json(Get("/api/v1/whoami", viewer_));
  EXPECT_EQ(viewer["role"], "viewer");
  EXPECT_EQ(viewer["regions"], nlohmann::json::array());
  EXPECT_EQ(viewer["may"]["read"], true);
  EXPECT_EQ(viewer["may"]["act"], false);
}

}  // namespace
}  // namespace vigil::e2e
