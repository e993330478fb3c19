// The fixture of the `vigil serve` end-to-end tests: a simulated workspace
// with two warnings issued by hand, tokens of every role made with `vigil
// token create`, and the real binary serving it on a free loopback port,
// asked with cpp-httplib.
#pragma once

#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e_testing.h"
#include "notify/service_testing.h"

namespace vigil::e2e {

// The one script of the stand-in dashboard the fixture serves.
inline constexpr const char* kDashboardAsset = "index-0a1b2c3d.js";

class ServerE2eTest : public VigilTest {
 protected:
  // The server's clock; the warnings were issued an hour earlier.
  static constexpr const char* kNow = "2025-01-01T09:00:00Z";
  static constexpr const char* kFlood = "natural-hazards/XL-02/flood/1";
  static constexpr const char* kDisease = "health/XL-01/infectious-disease/1";

  void SetUp() override {
    VigilTest::SetUp();
    ws_ = root_ / "ws";
    ASSERT_EQ(Run(root_, "simulate --seed 42 --out ws").exit_code, 0);
    for (const char* issue : {"natural-hazards/XL-02/flood --level orange",
                              "health/XL-01/infectious-disease --level yellow"}) {
      const RunResult r = Run(ws_, fmt::format("--now 2025-01-01T08:00:00Z warnings issue {} "
                                               "--by duty --reason 'reported by phone'",
                                               issue));
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    admin_ = Token("--name ops --role admin");
    viewer_ = Token("--name dashboard --role viewer");
    ingest_ = Token("--name feeder --role ingest");
    county_ = Token("--name county --role operator --region XL-02 --domain natural-hazards");
    district_ = Token("--name district --role viewer --region XL-01");
    expired_ =
        Token("--name old --role admin --expires 2024-12-31T00:00:00Z --now 2024-12-01T00:00:00Z");
    revoked_ = Token("--name gone --role admin");
    const RunResult revoked = Run(ws_, "token revoke " + last_token_id_);
    ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
    // A stand-in for the built dashboard: the server only serves its files.
    dashboard_ = root_ / "dashboard";
    std::filesystem::create_directories(dashboard_ / "assets");
    WriteFile(dashboard_ / "index.html", "<!doctype html><title>Vigil</title>\n");
    WriteFile(dashboard_ / "assets" / kDashboardAsset, "console.log('vigil');\n");
    ASSERT_NO_FATAL_FAILURE(StartServer());
  }

  void TearDown() override {
    server_.reset();
    VigilTest::TearDown();
  }

  // Creates a token with `args`; its secret. Remembers its id.
  std::string Token(const std::string& args) {
    const RunResult r = Run(ws_, "token create " + args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const size_t id_at = r.err.find("token ") + 6;
    last_token_id_ = r.err.substr(id_at, r.err.find(' ', id_at) - id_at);
    return r.out.substr(0, r.out.find('\n'));
  }

  // Starts the server with `extra` arguments; with `ca`, the certificate it
  // serves HTTPS with, readiness is asked over HTTPS trusting it.
  void StartServer(const std::vector<std::string>& extra = {},
                   const std::filesystem::path& ca = {}) {
    port_ = testing::FreePort();
    std::vector<std::string> argv = {bin_,
                                     "-w",
                                     ws_.string(),
                                     "--now",
                                     kNow,
                                     "serve",
                                     "--listen",
                                     fmt::format("127.0.0.1:{}", port_),
                                     "--max-body-bytes",
                                     max_body_bytes_,
                                     "--dashboard",
                                     dashboard_.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto started = testing::ChildProcess::Start(argv, root_ / "serve.log");
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    server_ = std::move(started).value();
    ASSERT_TRUE(testing::PollUntil([&] {
      if (ca.empty()) {
        return testing::HttpReady(fmt::format("http://127.0.0.1:{}/healthz", port_));
      }
      const httplib::Result r = TlsClient(ca)->Get("/healthz");
      return r && r->status == 200;
    })) << server_->Log();
  }

  // A client of the server over HTTPS that trusts `ca`.
  std::unique_ptr<httplib::SSLClient> TlsClient(const std::filesystem::path& ca) const {
    auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", port_);
    client->set_ca_cert_path(ca.string());
    client->enable_server_certificate_verification(true);
    client->set_read_timeout(std::chrono::seconds(10));
    return client;
  }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_url_encode(false);  // paths go out exactly as the tests write them
    client.set_read_timeout(std::chrono::seconds(10));
    return client;
  }

  static httplib::Headers Bearer(const std::string& token) {
    return token.empty() ? httplib::Headers{}
                         : httplib::Headers{{"Authorization", "Bearer " + token}};
  }

  httplib::Result Get(const std::string& path, const std::string& token) const {
    return Client().Get(path, Bearer(token));
  }

  httplib::Result Post(const std::string& path, const std::string& token,
                       const std::string& body = "",
                       const std::string& type = "application/json") const {
    return Client().Post(path, Bearer(token), body, type);
  }

  httplib::Result Delete(const std::string& path, const std::string& token) const {
    return Client().Delete(path, Bearer(token));
  }

  // The body of a 200 JSON answer.
  static nlohmann::json Json(const httplib::Result& r) {
    EXPECT_TRUE(r) << "no answer";
    if (!r) {
      return nullptr;
    }
    EXPECT_EQ(r->status, 200) << r->body;
    return nlohmann::json::parse(r->body, nullptr, false);
  }

  // The error code of a JSON error answer.
  static std::string ErrorCode(const httplib::Result& r) {
    if (!r) {
      return "no answer";
    }
    const nlohmann::json body = nlohmann::json::parse(r->body, nullptr, false);
    return body.is_object() && body.contains("error") ? body["error"].value("code", "")
                                                      : "not a JSON error: " + r->body;
  }

  // The CAP identifier of the published message whose name holds `part`.
  std::string CapIdentifier(const std::string& part) const {
    for (const auto& entry : std::filesystem::directory_iterator(ws_ / "cap")) {
      const std::string name = entry.path().filename().string();
      if (name.find(part) != std::string::npos && name.ends_with(".xml")) {
        return name.substr(0, name.size() - 4);
      }
    }
    return "";
  }

  std::filesystem::path ws_;
  std::string max_body_bytes_ = "4096";  // small, so that the limit is easy to pass
  std::filesystem::path dashboard_;
  int port_ = 0;
  std::unique_ptr<testing::ChildProcess> server_;
  std::string admin_, viewer_, ingest_, county_, district_, expired_, revoked_;
  std::string last_token_id_;
};

}  // namespace vigil::e2e
