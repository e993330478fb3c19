// End-to-end: warning notifications leave through `vigil deliver` to a real
// webhook receiver and to the real Alertmanager, signed, once, and survive a
// crash of the sender with their delivery id intact.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>

#include "e2e_testing.h"
#include "notify/service_testing.h"

namespace vigil::e2e {
namespace {

using vigil::testing::AlertmanagerProcess;
using vigil::testing::ChildProcess;
using vigil::testing::ReceivedRequest;
using vigil::testing::RecordingServer;

constexpr const char* kSecret = "e2e-webhook-secret";
constexpr const char* kKey = "health/XA-01/infectious-disease";

std::string Catalogue(const std::string& webhook, const std::string& alertmanager) {
  return fmt::format(R"(workspace:
  name: Test
  sender: warnings@test.example
domains:
  - id: health
    name: Health
    cap_category: Health
  - id: supply
    name: Supply
    cap_category: Other
regions:
  - code: XA
    name: Province
  - code: XA-01
    name: One
    parent: XA
policies:
  - id: outbreak
    hazard: infectious-disease
    levels: {{ blue: 1 }}
  - id: shortage
    hazard: shortage
    levels: {{ blue: 1 }}
indicators:
  - id: cases
    name: Cases
    domain: health
    unit: cases
    frequency: weekly
    direction: higher-is-worse
    value_kind: count
    policy: outbreak
  - id: stock
    name: Stock
    domain: supply
    unit: days
    frequency: daily
    direction: lower-is-worse
    value_kind: level
    policy: shortage
agencies:
  - id: health-office
    name: Health office
    regions: [XA]
    domains: [health]
    channels:
      - {{ kind: webhook, target: "{}", secret_env: VIGIL_E2E_SECRET }}
  - id: supply-office
    name: Supply office
    regions: [XA]
    domains: [supply]
    channels:
      - {{ kind: alertmanager, target: "{}" }}
)",
                     webhook, alertmanager);
}

std::string HexHmac(const std::string& key, const std::string& text) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &size);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += fmt::format("{:02x}", mac[i]);
  }
  return hex;
}

class NotifyE2eTest : public VigilTest {
 protected:
  void SetUp() override {
    VigilTest::SetUp();
    ::setenv("VIGIL_E2E_SECRET", kSecret, 1);
    ws_ = root_ / "ws";
  }
  void TearDown() override {
    ::unsetenv("VIGIL_E2E_SECRET");
    VigilTest::TearDown();
  }

  void Workspace(const std::string& webhook, const std::string& alertmanager) {
    WriteFile(ws_ / "workspace.yaml", Catalogue(webhook, alertmanager));
  }

  RunResult At(const std::string& time, const std::string& args) {
    return Run(ws_, fmt::format("--now {} {}", time, args));
  }

  std::filesystem::path ws_;
};

TEST_F(NotifyE2eTest, WebhookIsSignedDeliveredOnceAndNeverAgain) {
  RecordingServer receiver;
  Workspace(receiver.Url("/hook"), "http://127.0.0.1:1");
  ASSERT_EQ(At("2025-01-01T08:00:00Z",
               fmt::format("warnings issue {} --level red --by duty --reason 'cases rising'", kKey))
                .exit_code,
            0);
  const RunResult delivered = At("2025-01-01T08:00:05Z", "deliver");
  ASSERT_EQ(delivered.exit_code, 0) << delivered.err;
  EXPECT_NE(delivered.out.find("delivered 1"), std::string::npos) << delivered.out;

  const std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const ReceivedRequest& r = requests[0];
  EXPECT_EQ(r.path, "/hook");
  EXPECT_EQ(r.Header("X-Vigil-Signature"),
            "sha256=" + HexHmac(kSecret, r.Header("X-Vigil-Timestamp") + "." + r.body));
  EXPECT_FALSE(r.Header("X-Vigil-Delivery").empty());
  const nlohmann::json body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["kind"], "issued");
  EXPECT_EQ(body["warning_id"], std::string(kKey) + "/1");

  // Later rounds, and a later change, send only what is new.
  ASSERT_EQ(At("2025-01-01T08:01:00Z", "deliver").exit_code, 0);
  EXPECT_EQ(receiver.Requests().size(), 1u);
  ASSERT_EQ(At("2025-01-01T09:00:00Z",
               fmt::format("warnings cancel {} --by duty --reason 'contained'", kKey))
                .exit_code,
            0);
  ASSERT_EQ(At("2025-01-01T09:00:05Z", "deliver").exit_code, 0);
  ASSERT_EQ(receiver.Requests().size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(receiver.Requests()[1].body)["kind"], "cancelled");
}

TEST_F(NotifyE2eTest, FailedDeliveryRetriesAfterBackoff) {
  RecordingServer receiver;
  receiver.Answer({503});
  Workspace(receiver.Url("/hook"), "http://127.0.0.1:1");
  ASSERT_EQ(At("2025-01-01T08:00:00Z",
               fmt::format("warnings issue {} --level red --by duty --reason r", kKey))
                .exit_code,
            0);
  RunResult r = At("2025-01-01T08:00:01Z", "deliver");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("retrying 1"), std::string::npos) << r.out;
  r = At("2025-01-01T08:00:02Z", "deliver --pending");
  EXPECT_NE(r.out.find("503"), std::string::npos) << r.out;
  // Not due again before the backoff has passed; then delivered.
  ASSERT_EQ(At("2025-01-01T08:00:03Z", "deliver").exit_code, 0);
  EXPECT_EQ(receiver.Requests().size(), 1u);
  ASSERT_EQ(At("2025-01-01T08:01:00Z", "deliver").exit_code, 0);
  ASSERT_EQ(receiver.Requests().size(), 2u);
  EXPECT_EQ(receiver.Requests()[0].Header("X-Vigil-Delivery"),
            receiver.Requests()[1].Header("X-Vigil-Delivery"));
  r = At("2025-01-01T08:02:00Z", "deliver --pending");
  EXPECT_NE(r.out.find("no pending notifications"), std::string::npos) << r.out;
}

// A sender killed with its request in flight has not recorded the delivery:
// the restarted sender sends it again with the same delivery id (receivers
// deduplicate on it), and once recorded it is never sent again.
TEST_F(NotifyE2eTest, CrashInFlightResendsOnceWithTheSameDeliveryId) {
  RecordingServer receiver;
  Workspace(receiver.Url("/hook"), "http://127.0.0.1:1");
  ASSERT_EQ(At("2025-01-01T08:00:00Z",
               fmt::format("warnings issue {} --level red --by duty --reason r", kKey))
                .exit_code,
            0);
  receiver.Stall(true);
  Result<std::unique_ptr<ChildProcess>> sender =
      ChildProcess::Start({bin_, "-w", ws_.string(), "--now", "2025-01-01T08:00:05Z", "deliver"},
                          root_ / "deliver.log");
  ASSERT_TRUE(sender.ok()) << sender.status().ToString();
  ASSERT_TRUE(receiver.WaitFor([](const auto& requests) { return requests.size() == 1; }));
  (*sender)->Kill();
  receiver.Stall(false);

  ASSERT_EQ(At("2025-01-01T08:00:06Z", "deliver").exit_code, 0);
  ASSERT_EQ(At("2025-01-01T09:00:00Z", "deliver").exit_code, 0);
  const std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Header("X-Vigil-Delivery"), requests[1].Header("X-Vigil-Delivery"));
  EXPECT_EQ(requests[0].body, requests[1].body);
}

TEST_F(NotifyE2eTest, AlertmanagerReceivesAndResolvesTheWarning) {
  const std::string binary = vigil::testing::FindOnPath(AlertmanagerProcess::kBinary);
  if (binary.empty()) {
    GTEST_SKIP() << "prometheus-alertmanager is not installed (scripts/setup installs it)";
  }
  RecordingServer receiver;
  Result<std::unique_ptr<AlertmanagerProcess>> am =
      AlertmanagerProcess::Start(binary, root_ / "am", receiver.Url("/am"));
  ASSERT_TRUE(am.ok()) << am.status().ToString();
  Workspace(receiver.Url("/hook"), (*am)->Url());

  // Alertmanager works in wall-clock time: the warning must be current.
  const std::string key = "supply/XA-01/shortage";
  ASSERT_EQ(Run(ws_, fmt::format("warnings issue {} --level orange --by duty --reason low", key))
                .exit_code,
            0);
  RunResult r = Run(ws_, "deliver");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("delivered 1"), std::string::npos) << r.out << (*am)->Log();
  auto alert_with = [&](const std::string& status) {
    return [&, status](const std::vector<ReceivedRequest>& requests) {
      for (const ReceivedRequest& q : requests) {
        const nlohmann::json body = nlohmann::json::parse(q.body, nullptr, false);
        if (body.is_discarded()) {
          continue;
        }
        for (const nlohmann::json& a : body.value("alerts", nlohmann::json::array())) {
          if (a["status"] == status && a["labels"].value("warning_id", "") == key + "/1" &&
              a["labels"].value("agency", "") == "supply-office") {
            return true;
          }
        }
      }
      return false;
    };
  };
  EXPECT_TRUE(receiver.WaitFor(alert_with("firing"))) << (*am)->Log();

  ASSERT_EQ(Run(ws_, fmt::format("warnings cancel {} --by duty --reason restocked", key)).exit_code,
            0);
  ASSERT_EQ(Run(ws_, "deliver").exit_code, 0);
  EXPECT_TRUE(receiver.WaitFor(alert_with("resolved"))) << (*am)->Log();
}

}  // namespace
}  // namespace vigil::e2e
