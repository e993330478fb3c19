// End-to-end: the transport of `vigil serve`: the rate limit per token, HTTPS
// with a certificate and key (and the errors for bad ones), and the outbox
// delivered at shutdown.
#include <signal.h>

#include "server_e2e_testing.h"

namespace vigil::e2e {
namespace {

using testing::MakeSelfSignedCertificate;
using testing::RecordingServer;
using testing::TestCertificate;

using ServerTransportTest = ServerE2eTest;

TEST_F(ServerTransportTest, ATokenOverItsRateIs429WithRetryAfterAndOtherTokensAreServed) {
  server_.reset();
  ASSERT_NO_FATAL_FAILURE(StartServer({"--rate-limit", "0.01", "--rate-burst", "3"}));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Get("/api/v1/warnings", viewer_)->status, 200) << i;
  }
  const httplib::Result refused = Get("/api/v1/warnings", viewer_);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429) << refused->body;
  EXPECT_EQ(ErrorCode(refused), "rate_limited");
  ASSERT_TRUE(refused->has_header("Retry-After"));
  EXPECT_GE(std::stoi(refused->get_header_value("Retry-After")), 1);
  EXPECT_EQ(Get("/api/v1/warnings", admin_)->status, 200) << "each token has its own bucket";
  EXPECT_EQ(Get("/healthz", "")->status, 200) << "the probes are not limited";
}

TEST_F(ServerTransportTest, ARateLimitOfZeroTurnsItOff) {
  server_.reset();
  ASSERT_NO_FATAL_FAILURE(StartServer({"--rate-limit", "0", "--rate-burst", "1"}));
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(Get("/api/v1/warnings", viewer_)->status, 200) << i;
  }
}

TEST_F(ServerTransportTest, TheApiIsServedOverTlsWithTheGivenCertificate) {
  std::filesystem::create_directories(root_ / "tls");
  const Result<TestCertificate> cert = MakeSelfSignedCertificate(root_ / "tls");
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  server_.reset();
  ASSERT_NO_FATAL_FAILURE(StartServer(
      {"--tls-cert", cert->cert.string(), "--tls-key", cert->key.string()}, cert->cert));
  const httplib::Result listed = TlsClient(cert->cert)->Get("/api/v1/warnings", Bearer(viewer_));
  EXPECT_EQ(Json(listed).size(), 2u);
  const httplib::Result anonymous = TlsClient(cert->cert)->Get("/api/v1/warnings");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  const httplib::Result plain = Get("/healthz", "");
  EXPECT_FALSE(plain && plain->status == 200) << "plain HTTP is not served beside TLS";
}

TEST_F(ServerTransportTest, AMissingUnreadableOrMismatchedCertificateOrKeyIsAClearError) {
  for (const char* dir : {"one", "two"}) {
    std::filesystem::create_directories(root_ / dir);
  }
  const Result<TestCertificate> one = MakeSelfSignedCertificate(root_ / "one");
  const Result<TestCertificate> two = MakeSelfSignedCertificate(root_ / "two");
  ASSERT_TRUE(one.ok() && two.ok());
  WriteFile(root_ / "junk.pem", "not a certificate\n");
  const std::string cert = one->cert.string();
  const std::string key = one->key.string();
  const std::string junk = (root_ / "junk.pem").string();
  // The running server holds the workspace's ingest lock: the files are
  // judged before the lock is asked for.
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"--tls-cert " + (root_ / "none.pem").string() + " --tls-key " + key,
            "TLS certificate file '" + (root_ / "none.pem").string() + "' does not exist"},
           {"--tls-cert " + junk + " --tls-key " + key,
            "TLS certificate file '" + junk + "' is not a PEM certificate"},
           {"--tls-cert " + cert + " --tls-key " + junk,
            "TLS private key file '" + junk + "' is not the PEM private key of certificate '" +
                cert + "'"},
           {"--tls-cert " + cert + " --tls-key " + two->key.string(), "key values mismatch"},
           {"--tls-cert " + cert, "TLS needs both a certificate and its private key"}}) {
    SCOPED_TRACE(args);
    const RunResult r =
        Run(ws_, fmt::format("serve --listen 127.0.0.1:{} {}", testing::FreePort(), args));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
}

TEST_F(ServerTransportTest, ANotificationPendingAtSigtermIsDeliveredBeforeTheServerExits) {
  RecordingServer receiver;
  server_.reset();
  // Civil protection, which takes the flood warnings, gets a webhook.
  std::string catalogue = ReadFile(ws_ / "workspace.yaml");
  const std::string agency = "    name: Lakeland civil protection\n    regions: [XL]\n";
  const size_t at = catalogue.find(agency);
  ASSERT_NE(at, std::string::npos) << catalogue;
  catalogue.insert(at + agency.size(), fmt::format("    channels:\n      - {{ kind: webhook, "
                                                   "target: \"{}\" }}\n",
                                                   receiver.Url("/hook")));
  WriteFile(ws_ / "workspace.yaml", catalogue);
  const RunResult issued =
      Run(ws_, fmt::format("--now {} warnings issue natural-hazards/XL-01/flood "
                           "--level red --by duty --reason 'levee breach'",
                           kNow));
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_TRUE(receiver.Requests().empty()) << "the server sends nothing while it serves";
  server_->Signal(SIGTERM);
  int code = -1;
  ASSERT_TRUE(server_->WaitExit(&code)) << server_->Log();
  EXPECT_EQ(code, 0) << server_->Log();
  // Also what else was waiting: the escalation of the unacknowledged
  // disease warning to civil protection.
  bool flood_issued = false;
  for (const testing::ReceivedRequest& r : receiver.Requests()) {
    EXPECT_EQ(r.path, "/hook");
    const nlohmann::json body = nlohmann::json::parse(r.body);
    flood_issued |=
        body["kind"] == "issued" && body["warning_id"] == "natural-hazards/XL-01/flood/1";
  }
  EXPECT_TRUE(flood_issued) << server_->Log();
  const RunResult pending = Run(ws_, "deliver --pending");
  EXPECT_NE(pending.out.find("no pending notifications"), std::string::npos) << pending.out;
}

}  // namespace
}  // namespace vigil::e2e
