// End-to-end: what `vigil serve` refuses (path traversal, oversized and
// mistyped bodies), its graceful shutdown, and the audit log the server and
// the commands write, checked and tampered with.
#include <signal.h>

#include "raw_connection.h"
#include "server_e2e_testing.h"
#include "sqlite/sqlite_testing.h"

namespace vigil::e2e {
namespace {

using ServerLimitsTest = ServerE2eTest;

TEST_F(ServerLimitsTest, PathsOutOfTheCapDirectoryAreRefused) {
  for (const std::string path :
       {"/cap/../workspace.yaml", "/cap/..%2Fworkspace.yaml", "/cap/..%2Fvigil.db.xml",
        "/cap/%2e%2e%2f%2e%2e%2fetc%2fpasswd.xml", "/cap/..%2F..%2Fetc%2Fpasswd.xml",
        "/cap/.hidden.xml", "/cap/%2Fetc%2Fpasswd.xml", "/cap/a%00b.xml", "/cap/..", "/cap/"}) {
    const httplib::Result r = Get(path, admin_);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path << ": " << r->body;
    EXPECT_EQ(r->body.find("workspace:"), std::string::npos) << path;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << path;
  }
}

TEST_F(ServerLimitsTest, AnOversizedBodyIs413AndNothingIsWritten) {
  const std::string body = R"({"reason": ")" + std::string(5000, 'x') + "\"}";
  const httplib::Result r = Post(std::string("/api/v1/warnings/") + kFlood + "/ack", admin_, body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413) << r->body;
  EXPECT_EQ(ErrorCode(r), "payload_too_large");
  EXPECT_FALSE(
      Json(Get(std::string("/api/v1/warnings/") + kFlood, viewer_))["warning"]["acknowledged"]
          .get<bool>());
}

TEST_F(ServerLimitsTest, ABodyOfTheWrongTypeIs415AndMalformedJson400) {
  const std::string ack = std::string("/api/v1/warnings/") + kFlood + "/ack";
  httplib::Result r = Post(ack, admin_, "reason=seen", "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415) << r->body;
  EXPECT_EQ(ErrorCode(r), "unsupported_media_type");
  r = Post(ack, admin_, R"({"reason": )");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  r = Post(ack, admin_, R"({"reason": 7})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(Get("/api/v1/warnings", viewer_)->status, 200) << "the server is still up";
}

TEST_F(ServerLimitsTest, SigtermAnswersTheRequestInFlightClosesIdleConnectionsAndExitsZero) {
  RawConnection idle(port_);
  RawConnection busy(port_);
  ASSERT_TRUE(idle.connected() && busy.connected());
  // One request answered, so the server holds the connection, idle.
  idle.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_NE(idle.ReadUntil(R"({"status":"ok"})").find("200 OK"), std::string::npos);
  // 100 Continue says the server has the headers and waits for the body.
  const std::string body = R"({"reason": "during shutdown"})";
  busy.Send(
      fmt::format("POST /api/v1/warnings/{}/ack HTTP/1.1\r\nHost: x\r\n"
                  "Authorization: Bearer {}\r\nContent-Type: application/json\r\n"
                  "Expect: 100-continue\r\nContent-Length: {}\r\n\r\n",
                  kFlood, admin_, body.size()));
  ASSERT_TRUE(busy.ReadUntil("\r\n\r\n").starts_with("HTTP/1.1 100 Continue"));
  server_->Signal(SIGTERM);
  EXPECT_EQ(idle.ReadUntil(), "") << "an idle connection is closed without an answer";
  busy.Send(body);
  const std::string answer = busy.ReadUntil();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200 OK")) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  int code = -1;
  ASSERT_TRUE(server_->WaitExit(&code)) << server_->Log();
  EXPECT_EQ(code, 0) << server_->Log();
  const nlohmann::json shown = nlohmann::json::parse(
      Run(ws_, fmt::format("--now {} warnings show {} --json", kNow, kFlood)).out);
  EXPECT_TRUE(shown["warning"]["acknowledged"].get<bool>()) << "the drained request committed";
}

TEST_F(ServerLimitsTest, ASlowClientIsCutOffAfterTheHeaderTimeout) {
  server_.reset();
  ASSERT_NO_FATAL_FAILURE(StartServer({"--header-timeout", "1s"}));
  RawConnection slow(port_);
  ASSERT_TRUE(slow.connected());
  slow.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // and never the blank line
  EXPECT_EQ(slow.ReadUntil(), "");
  EXPECT_EQ(Get("/healthz", "")->status, 200);
}

TEST_F(ServerLimitsTest, TokenListingsNeverShowASecret) {
  const RunResult listed = Run(ws_, "token list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  for (const std::string& secret : {admin_, viewer_, ingest_, county_, district_}) {
    EXPECT_EQ(listed.out.find(secret.substr(4)), std::string::npos);
  }
  EXPECT_NE(listed.out.find("revoked"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("expired"), std::string::npos) << listed.out;
}

TEST_F(ServerLimitsTest, CommandsAndTheServerAuditTheirWritesInOneIntactChain) {
  ::setenv("USER", "e2e-operator", 1);
  WriteFile(ws_ / "one.csv", "indicator,region,time,value\nrice-price,XL-01,2024-12-31,1.5\n");
  server_.reset();  // the command line ingests only while no server does
  const RunResult ingested = Run(ws_, fmt::format("--now {} ingest one.csv", kNow));
  ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  ASSERT_EQ(Json(Post(std::string("/api/v1/warnings/") + kFlood + "/ack",
                      county_))["warning"]["acknowledged"],
            true);
  const nlohmann::json log = nlohmann::json::parse(Run(ws_, "audit list --limit 100 --json").out);
  std::vector<std::string> actions;
  for (const nlohmann::json& r : log) {
    actions.push_back(r["action"]);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"warnings.issue", "warnings.issue", "token.create",
                                               "token.create", "token.create", "token.create",
                                               "token.create", "token.create", "token.create",
                                               "token.revoke", "ingest.batch", "warnings.ack"}));
  EXPECT_EQ(log[10]["actor"], "cli:e2e-operator");
  EXPECT_EQ(log[10]["target"], "one.csv");
  const RunResult verified = Run(ws_, "audit verify");
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_TRUE(verified.out.starts_with("audit log intact: 12 records")) << verified.out;
}

// One byte of a record changed in the file through SQLite's blob API, which
// no trigger sees: `vigil audit verify` names the record and exits 3.
TEST_F(ServerLimitsTest, AuditVerifyNamesATamperedRecord) {
  server_.reset();
  const Status tampered =
      sqlite::OverwriteInPlace(ws_ / "vigil.db", "audit_log", "target", 4, 0, "X");
  ASSERT_TRUE(tampered.ok()) << tampered.ToString();
  const RunResult verified = Run(ws_, "audit verify");
  EXPECT_EQ(verified.exit_code, 3);
  EXPECT_NE(verified.err.find("audit record 4 is broken"), std::string::npos) << verified.err;
}

}  // namespace
}  // namespace vigil::e2e
