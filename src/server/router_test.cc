#include "server/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/openapi.h"

namespace vigil::server {
namespace {

const std::string kGood = "vgl_good";

// Answers with what the handler saw: the route's pattern and its parameters.
Handler Echo(const std::string& pattern) {
  return [pattern](const Request& r) {
    nlohmann::json seen = {{"route", pattern}, {"params", r.params}};
    if (r.principal) {
      seen["caller"] = r.principal->token.name;
    }
    return JsonResponse(seen.dump());
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (Route route : {Route{.method = "GET", .pattern = "/healthz", .access = Access::kPublic},
                        Route{.method = "GET", .pattern = "/api/v1/warnings/{id+}"},
                        Route{.method = "POST",
                        .pattern = "/api/v1/warnings/{id+}/ack",
                        .access = Access::kAct,
                        .body_types = {"application/json"}},
                        Route{.method = "GET", .pattern = "/cap/{identifier}.xml"}}) {
      route.handler = Echo(route.pattern);
      router_.Add(route);
    }
  }

  // Dispatches with a viewer's token "vgl_good" known, unless `headers` say otherwise.
  Response Send(std::string method, std::string path, std::string body = "",
                std::map<std::string, std::string> headers = {
                    {"authorization", "Bearer " + kGood}}) {
    Request request{.method = std::move(method),
                    .path = std::move(path),
                    .headers = std::move(headers),
                    .body = std::move(body)};
    return router_.Dispatch(request, [](std::string_view token) -> Result<Authentication> {
      if (token != kGood) {
        return Authentication{.refusal = "unknown token"};
      }
      return Authentication{.principal = Principal{.token = {.name = "viewer"}}};
    });
  }

  static nlohmann::json Json(const Response& r) { return nlohmann::json::parse(r.body); }

  Router router_;
};

TEST_F(RouterTest, AGreedyParameterTakesSlashesWrittenAsIsOrEscaped) {
  for (const std::string path :
       {"/api/v1/warnings/health/XA-01/flu/2", "/api/v1/warnings/health%2FXA-01%2Fflu%2F2"}) {
    const Response r = Send("GET", path);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Json(r)["params"]["id"], "health/XA-01/flu/2") << path;
    EXPECT_EQ(Json(r)["caller"], "viewer");
  }
}

TEST_F(RouterTest, ALiteralAfterAGreedyParameterPicksTheRoute) {
  Response r = Send("POST", "/api/v1/warnings/health/XA-01/flu/ack", "",
                    {{"authorization", "Bearer " + kGood}});
  EXPECT_EQ(r.status, 403) << "the viewer may not act; the route was found";
  EXPECT_EQ(Json(r)["error"]["code"], "forbidden");
}

TEST_F(RouterTest, AParameterMayCarryASuffix) {
  const Response r = Send("GET", "/cap/vigil-x-1.xml");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r)["params"]["identifier"], "vigil-x-1");
  EXPECT_EQ(Send("GET", "/cap/.xml").status, 404);
  EXPECT_EQ(Send("GET", "/cap/a/b.xml").status, 404);
}

TEST_F(RouterTest, UnknownPathsAre404AndOtherMethods405) {
  Response r = Send("GET", "/api/v2/warnings");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Json(r)["error"]["code"], "not_found");
  EXPECT_EQ(Send("GET", "/api/v1/warnings/").status, 404) << "an empty id is no id";
  r = Send("DELETE", "/healthz");
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Allow", "GET"}));
}

TEST_F(RouterTest, PublicRoutesNeedNoToken) {
  EXPECT_EQ(Send("GET", "/healthz", "", {}).status, 200);
}

TEST_F(RouterTest, OtherRoutesAre401WithoutAGoodBearerToken) {
  for (const auto& [headers, message] :
       std::vector<std::pair<std::map<std::string, std::string>, std::string>>{
           {{}, "this route needs a token: send Authorization: Bearer <token>"},
           {{{"authorization", "Basic dXNlcjpwYXNz"}},
            "the Authorization header must be 'Bearer <token>'"},
           {{{"authorization", "Bearer vgl_bad"}}, "unknown token"}}) {
    const Response r = Send("GET", "/cap/x.xml", "", headers);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(Json(r)["error"]["code"], "unauthorized");
    EXPECT_EQ(Json(r)["error"]["message"], message);
    EXPECT_EQ(r.headers.at(0).first, "WWW-Authenticate");
  }
  EXPECT_EQ(Send("GET", "/cap/x.xml", "", {{"authorization", "bearer " + kGood}}).status, 200)
      << "the scheme is case-insensitive";
}

TEST_F(RouterTest, AStoreThatFailsIs503NotARefusal) {
  Request request{
      .method = "GET", .path = "/cap/x.xml", .headers = {{"authorization", "Bearer x"}}};
  const Response r = router_.Dispatch(request, [](std::string_view) -> Result<Authentication> {
    return Unavailable("database is locked");
  });
  EXPECT_EQ(r.status, 503);
}

TEST_F(RouterTest, ABodyMustBeOfATypeTheRouteTakes) {
  router_.Add({.method = "POST",
               .pattern = "/act",
               .access = Access::kPublic,
               .body_types = {"application/json"},
               .handler = Echo("/act")});
  EXPECT_EQ(
      Send("POST", "/act", "{}", {{"content-type", "application/json; charset=utf-8"}}).status,
      200);
  EXPECT_EQ(Send("POST", "/act", "", {}).status, 200) << "no body, no type needed";
  Response r = Send("POST", "/act", "x", {{"content-type", "text/plain"}});
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(Json(r)["error"]["code"], "unsupported_media_type");
  EXPECT_EQ(Send("GET", "/healthz", "x", {{"content-type", "application/json"}}).status, 415);
}

TEST_F(RouterTest, AMalformedEscapeInAParameterIs400) {
  EXPECT_EQ(Send("GET", "/api/v1/warnings/health%2").status, 400);
  EXPECT_EQ(Send("GET", "/api/v1/warnings/health%zz").status, 400);
}

TEST(QueryTest, NamesAndValuesAreDecoded) {
  const auto query = ParseQuery("status=all&region=XA%2D01&note=a+b&flag&&level=");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(
      *query,
      (std::map<std::string, std::string>{
          {"status", "all"}, {"region", "XA-01"}, {"note", "a b"}, {"flag", ""}, {"level", ""}}));
  EXPECT_FALSE(ParseQuery("a=%4").ok());
}

TEST(ErrorResponseTest, StatusCodesMapToHttp) {
  EXPECT_EQ(ErrorResponse(InvalidArgument("x")).status, 400);
  EXPECT_EQ(ErrorResponse(NotFound("x")).status, 404);
  EXPECT_EQ(ErrorResponse(FailedPrecondition("x")).status, 409);
  EXPECT_EQ(ErrorResponse(AlreadyExists("x")).status, 409);
  EXPECT_EQ(ErrorResponse(Unavailable("x")).status, 503);
  const Response r = ErrorResponse(Internal("boom"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(nlohmann::json::parse(r.body),
            (nlohmann::json{{"error", {{"code", "internal"}, {"message", "boom"}}}}));
}

TEST_F(RouterTest, TheOpenApiDocumentListsEveryRouteWithItsAccess) {
  const nlohmann::json doc = nlohmann::json::parse(OpenApiJson(router_.routes(), "t", "v1"));
  EXPECT_EQ(doc["openapi"], "3.0.3");
  size_t operations = 0;
  for (const auto& [path, methods] : doc["paths"].items()) {
    operations += methods.size();
  }
  EXPECT_EQ(operations, router_.routes().size());
  const nlohmann::json& ack = doc["paths"]["/api/v1/warnings/{id}/ack"]["post"];
  EXPECT_EQ(ack["x-vigil-roles"], (nlohmann::json{"operator", "admin"}));
  EXPECT_TRUE(ack["responses"].contains("401"));
  EXPECT_TRUE(ack["responses"].contains("415"));
  EXPECT_EQ(ack["parameters"][0]["name"], "id");
  EXPECT_EQ(doc["paths"]["/healthz"]["get"]["security"], nlohmann::json::array());
  EXPECT_TRUE(doc["paths"].contains("/cap/{identifier}.xml"));
}

TEST_F(RouterTest, AnErrorQuotingBytesThatAreNotUtf8IsStillJson) {
  const Response r = Send("GET", "/ca\xd6/x.xml");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Json(r)["error"]["code"], "not_found");
}

}  // namespace
}  // namespace vigil::server
