#include "core/url.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(UrlTest, SplitsSchemeHostPortAndTarget) {
  Result<HttpUrl> url = ParseHttpUrl("https://ops.example.org:8443/hooks/vigil?team=north");
  ASSERT_TRUE(url.ok()) << url.status().message();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "ops.example.org");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->target, "/hooks/vigil?team=north");
  EXPECT_EQ(url->Origin(), "https://ops.example.org:8443");
}

TEST(UrlTest, DefaultPortAndTargetFollowTheScheme) {
  EXPECT_EQ(ParseHttpUrl("http://127.0.0.1")->Origin(), "http://127.0.0.1:80");
  EXPECT_EQ(ParseHttpUrl("https://example.org?x=1")->Origin(), "https://example.org:443");
  EXPECT_EQ(ParseHttpUrl("https://example.org?x=1")->target, "/?x=1");
  EXPECT_EQ(ParseHttpUrl("http://[::1]:9093")->host, "[::1]");
}

TEST(UrlTest, RejectsOtherSchemes) {
  Result<HttpUrl> url = ParseHttpUrl("mailto:duty@example.org");
  EXPECT_EQ(url.status().message(),
            "'mailto:duty@example.org' is not a valid URL: it must start with http:// or https://");
}

TEST(UrlTest, RejectsCredentials) {
  EXPECT_NE(ParseHttpUrl("https://user:pw@example.org/").status().message().find("credentials"),
            std::string::npos);
}

TEST(UrlTest, RejectsBadPortsAndMissingHosts) {
  for (const char* text : {"http://example.org:0/", "http://example.org:99999",
                           "http://example.org:x", "http://example.org:", "http://[::1]x"}) {
    EXPECT_NE(ParseHttpUrl(text).status().message().find("port"), std::string::npos) << text;
  }
  EXPECT_NE(ParseHttpUrl("https:///path").status().message().find("no host"), std::string::npos);
  EXPECT_NE(ParseHttpUrl("http://[::1/").status().message().find("']'"), std::string::npos);
}

TEST(UrlTest, RejectsSpacesAndFragments) {
  EXPECT_FALSE(ParseHttpUrl("http://example.org/a b").ok());
  EXPECT_FALSE(ParseHttpUrl("http://example.org/a#b").ok());
}

}  // namespace
}  // namespace vigil
