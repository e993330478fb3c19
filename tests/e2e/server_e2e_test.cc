// End-to-end: `vigil serve` on a free loopback port, every route asked with
// no token, bad tokens, a role that may not use it, a token outside its
// jurisdiction and a good one.
#include <set>

#include "server_e2e_testing.h"

namespace vigil::e2e {
namespace {

// A concrete path for an OpenAPI path template.
std::string Concrete(std::string path, const std::string& cap_identifier) {
  for (const auto& [name, value] :
       {std::pair<std::string, std::string>{"{id}", "natural-hazards/XL-02/flood/1"},
        {"{identifier}", cap_identifier},
        {"{silence}", "silence-1"},
        {"{file}", kDashboardAsset}}) {
    if (const size_t at = path.find(name); at != std::string::npos) {
      path.replace(at, name.size(), value);
    }
  }
  return path;
}

struct Operation {
  std::string method;
  std::string path;  // as the document writes it
  std::string concrete;
  nlohmann::json spec;
};

class ServerRoutesTest : public ServerE2eTest {
 protected:
  // Every operation the served OpenAPI document lists.
  std::vector<Operation> Operations() {
    const nlohmann::json doc = Json(Get("/api/v1/openapi.json", ""));
    std::vector<Operation> operations;
    for (const auto& [path, methods] : doc["paths"].items()) {
      for (const auto& [method, spec] : methods.items()) {
        operations.push_back({method, path, Concrete(path, CapIdentifier("flood")), spec});
      }
    }
    return operations;
  }

  httplib::Result Call(const Operation& op, const std::string& token) {
    if (op.method == "delete") {
      return Delete(op.concrete, token);
    }
    return op.method == "post" ? Post(op.concrete, token) : Get(op.concrete, token);
  }
};

TEST_F(ServerRoutesTest, TheOpenApiDocumentListsEveryRoute) {
  std::set<std::string> listed;
  for (const Operation& op : Operations()) {
    listed.insert(op.method + " " + op.path);
  }
  const std::set<std::string> expected = {"get /healthz",
                                          "get /readyz",
                                          "get /metrics",
                                          "get /api/v1/openapi.json",
                                          "get /api/v1/catalogue",
                                          "post /api/v1/observations",
                                          "get /api/v1/series",
                                          "get /api/v1/signals",
                                          "get /api/v1/events",
                                          "get /api/v1/warnings",
                                          "post /api/v1/warnings",
                                          "get /api/v1/warnings/{id}",
                                          "post /api/v1/warnings/{id}/ack",
                                          "post /api/v1/warnings/{id}/update",
                                          "post /api/v1/warnings/{id}/cancel",
                                          "get /api/v1/silences",
                                          "post /api/v1/silences",
                                          "delete /api/v1/silences/{silence}",
                                          "get /api/v1/agencies",
                                          "get /api/v1/escalations",
                                          "get /cap/feed.atom",
                                          "get /cap/{identifier}.xml",
                                          "get /",
                                          "get /assets/{file}",
                                          "get /api/v1/whoami"};
  EXPECT_EQ(listed, expected);
}

TEST_F(ServerRoutesTest, EveryRouteButTheProbesAndTheDescriptionIs401WithoutAGoodToken) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "this route needs a token: send Authorization: Bearer <token>"},
      {"vgl_" + std::string(43, 'A'), "unknown token"},
      {"not-a-token", "malformed token"},
      {expired_, "token expired"},
      {revoked_, "token revoked"}};
  for (const Operation& op : Operations()) {
    SCOPED_TRACE(op.method + " " + op.concrete);
    const bool open = op.spec.contains("security") && op.spec["security"].empty();
    for (const auto& [token, message] : bad) {
      const httplib::Result r = Call(op, token);
      ASSERT_TRUE(r);
      if (open) {
        EXPECT_EQ(r->status, 200) << r->body;
        continue;
      }
      EXPECT_EQ(r->status, 401) << r->body;
      EXPECT_EQ(ErrorCode(r), "unauthorized");
      EXPECT_EQ(nlohmann::json::parse(r->body)["error"]["message"], message);
      EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
    }
  }
}

TEST_F(ServerRoutesTest, EveryRouteIs403ForARoleThatMayNotUseIt) {
  int refused = 0;
  for (const Operation& op : Operations()) {
    SCOPED_TRACE(op.method + " " + op.concrete);
    if (!op.spec.contains("x-vigil-roles")) {
      continue;  // public
    }
    const nlohmann::json& roles = op.spec["x-vigil-roles"];
    for (const auto& [role, token] : {std::pair{"viewer", viewer_}, std::pair{"ingest", ingest_}}) {
      if (std::find(roles.begin(), roles.end(), role) != roles.end()) {
        continue;
      }
      const httplib::Result r = Call(op, token);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 403) << r->body;
      EXPECT_EQ(ErrorCode(r), "forbidden");
      ++refused;
    }
  }
  EXPECT_GE(refused, 7) << "every read route refuses ingest, and ack refuses both";
}

TEST_F(ServerRoutesTest, ProbesAnswerWithoutAToken) {
  EXPECT_EQ(Json(Get("/healthz", ""))["status"], "ok");
  EXPECT_EQ(Json(Get("/readyz", ""))["status"], "ready");
}

TEST_F(ServerRoutesTest, TheCatalogueHasDomainsRegionsWithGeometryAndIndicators) {
  const nlohmann::json all = Json(Get("/api/v1/catalogue", viewer_));
  EXPECT_EQ(all["domains"].size(), 4u);
  EXPECT_GE(all["regions"].size(), 13u);
  EXPECT_GE(all["indicators"].size(), 4u);
  const nlohmann::json& region = all["regions"][1];
  EXPECT_EQ(region["parent"], "XL");
  EXPECT_TRUE(region["geometry"].contains("type")) << region.dump();

  const nlohmann::json district = Json(Get("/api/v1/catalogue", district_));
  ASSERT_FALSE(district["regions"].empty());
  for (const nlohmann::json& r : district["regions"]) {
    EXPECT_TRUE(r["code"].get<std::string>().starts_with("XL-01")) << r["code"];
  }
  const nlohmann::json county = Json(Get("/api/v1/catalogue", county_));
  ASSERT_EQ(county["domains"].size(), 1u);
  for (const nlohmann::json& i : county["indicators"]) {
    EXPECT_EQ(i["domain"], "natural-hazards");
  }
}

std::set<std::string> Ids(const nlohmann::json& warnings) {
  std::set<std::string> ids;
  for (const nlohmann::json& w : warnings) {
    ids.insert(w["id"].get<std::string>());
  }
  return ids;
}

TEST_F(ServerRoutesTest, WarningsAreListedAsTheCommandLineListsThemAndFiltered) {
  const nlohmann::json listed = Json(Get("/api/v1/warnings", viewer_));
  EXPECT_EQ(listed,
            nlohmann::json::parse(Run(ws_, fmt::format("--now {} warnings --json", kNow)).out));
  EXPECT_EQ(Ids(listed), (std::set<std::string>{kFlood, kDisease}));
  EXPECT_EQ(Ids(Json(Get("/api/v1/warnings?domain=health", viewer_))),
            std::set<std::string>{kDisease});
  EXPECT_EQ(Ids(Json(Get("/api/v1/warnings?region=XL-02", viewer_))),
            std::set<std::string>{kFlood});
  EXPECT_EQ(Ids(Json(Get("/api/v1/warnings?region=XL", viewer_))),
            (std::set<std::string>{kFlood, kDisease}))
      << "a region filter takes the regions beneath it";
  EXPECT_EQ(Ids(Json(Get("/api/v1/warnings?level=orange", viewer_))),
            std::set<std::string>{kFlood});
  EXPECT_TRUE(Json(Get("/api/v1/warnings?status=cancelled", viewer_)).empty());
  EXPECT_EQ(Get("/api/v1/warnings?status=gone", viewer_)->status, 400);
  EXPECT_EQ(Get("/api/v1/warnings?region=XZ", viewer_)->status, 400);
}

TEST_F(ServerRoutesTest, ATokenSeesOnlyTheWarningsOfItsJurisdiction) {
  EXPECT_EQ(Ids(Json(Get("/api/v1/warnings", district_))), std::set<std::string>{kDisease});
  EXPECT_EQ(Ids(Json(Get("/api/v1/warnings", county_))), std::set<std::string>{kFlood});
  EXPECT_EQ(Get(std::string("/api/v1/warnings/") + kFlood, district_)->status, 403);
  EXPECT_EQ(Post(std::string("/api/v1/warnings/") + kDisease + "/ack", county_)->status, 403);
  EXPECT_EQ(Get("/cap/" + CapIdentifier("flood") + ".xml", district_)->status, 403);
  EXPECT_EQ(Get("/cap/" + CapIdentifier("infectious") + ".xml", district_)->status, 200);
  const httplib::Result feed = Get("/cap/feed.atom", district_);
  ASSERT_TRUE(feed && feed->status == 200);
  EXPECT_NE(feed->body.find(CapIdentifier("infectious")), std::string::npos);
  EXPECT_EQ(feed->body.find(CapIdentifier("flood")), std::string::npos) << feed->body;
}

TEST_F(ServerRoutesTest, AWarningIsShownAsTheCommandLineShowsIt) {
  for (const std::string& path :
       {std::string("/api/v1/warnings/") + kFlood,
        std::string("/api/v1/warnings/natural-hazards%2FXL-02%2Fflood%2F1")}) {
    EXPECT_EQ(Json(Get(path, viewer_)),
              nlohmann::json::parse(
                  Run(ws_, fmt::format("--now {} warnings show {} --json", kNow, kFlood)).out))
        << path;
  }
  EXPECT_EQ(ErrorCode(Get("/api/v1/warnings/natural-hazards/XL-02/flood/9", viewer_)), "not_found");
  EXPECT_EQ(ErrorCode(Get("/api/v1/warnings/nonsense", viewer_)), "bad_request");
}

TEST_F(ServerRoutesTest, AnOperatorAcknowledgesInItsJurisdictionAndTheAckIsAudited) {
  const httplib::Result r = Post(std::string("/api/v1/warnings/") + kFlood + "/ack", county_,
                                 R"({"reason": "crews on site"})");
  const nlohmann::json shown = Json(r);
  EXPECT_TRUE(shown["warning"]["acknowledged"].get<bool>()) << shown.dump();
  EXPECT_EQ(shown["warning"]["acknowledged_by"], "county");
  EXPECT_EQ(shown["timeline"].back()["reason"], "crews on site");

  const nlohmann::json cli =
      nlohmann::json::parse(Run(ws_, fmt::format("--now {} warnings --json", kNow)).out);
  for (const nlohmann::json& w : cli) {
    EXPECT_EQ(w["acknowledged"].get<bool>(), w["id"] == kFlood) << w["id"];
  }
  const RunResult audit = Run(ws_, "audit list --json");
  const nlohmann::json last = nlohmann::json::parse(audit.out).back();
  EXPECT_EQ(last["action"], "warnings.ack");
  EXPECT_EQ(last["target"], kFlood);
  EXPECT_TRUE(last["actor"].get<std::string>().starts_with("token:"));
  EXPECT_EQ(Post(std::string("/api/v1/warnings/") + kFlood + "/ack", admin_)->status, 409)
      << "acknowledged already";
}

TEST_F(ServerRoutesTest, CapFilesAreServedAsPublished) {
  const httplib::Result feed = Get("/cap/feed.atom", viewer_);
  ASSERT_TRUE(feed && feed->status == 200);
  EXPECT_EQ(feed->body, ReadFile(ws_ / "cap" / "index.atom"));
  EXPECT_EQ(feed->get_header_value("Content-Type"), "application/atom+xml");
  const std::string id = CapIdentifier("flood");
  const httplib::Result message = Get("/cap/" + id + ".xml", viewer_);
  ASSERT_TRUE(message && message->status == 200);
  EXPECT_EQ(message->body, ReadFile(ws_ / "cap" / (id + ".xml")));
  EXPECT_EQ(ErrorCode(Get("/cap/vigil-none-1.xml", viewer_)), "not_found");
}

// Detection state lives in the serving process, so the command line may not
// ingest beside it: it is told who holds the workspace, and may once the
// server has stopped.
TEST_F(ServerRoutesTest, TheCommandLineDoesNotIngestWhileTheServerDoes) {
  const RunResult refused = Run(ws_, "--log-level warn ingest");
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_NE(refused.err.find(fmt::format(
                "vigil.db-ingest: another process is ingesting into this workspace (pid {}, "
                "vigil serve on 127.0.0.1:{}, which takes observations at POST "
                "/api/v1/observations)",
                server_->pid(), port_)),
            std::string::npos)
      << refused.err;
  server_.reset();
  const RunResult ingested = Run(ws_, "--log-level warn ingest");
  EXPECT_EQ(ingested.exit_code, 0) << ingested.err;
}

}  // namespace
}  // namespace vigil::e2e
