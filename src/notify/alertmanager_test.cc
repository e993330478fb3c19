// End to end through the real Alertmanager (Debian prometheus-alertmanager):
// an issued warning's outbox item fires an alert that Alertmanager passes on
// to its webhook receiver (this test's server), and the cancel resolves it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "notify/deliverer.h"
#include "notify/notify_testing.h"
#include "notify/service_testing.h"

namespace vigil::notify {
namespace {

using nlohmann::json;
using vigil::testing::AlertmanagerProcess;
using vigil::testing::ReceivedRequest;

class AlertmanagerTest : public NotifyTest {
 protected:
  void SetUp() override {
    const std::string binary = vigil::testing::FindOnPath(AlertmanagerProcess::kBinary);
    if (binary.empty()) {
      GTEST_SKIP() << AlertmanagerProcess::kBinary << " is not installed";
    }
    Result<std::unique_ptr<AlertmanagerProcess>> am =
        AlertmanagerProcess::Start(binary, dir_.path(), receiver_.Url("/alertmanager"));
    ASSERT_TRUE(am.ok()) << am.status().message();
    alertmanager_ = std::move(am).value();
    LoadCatalogue(AlertmanagerChannel(alertmanager_->Url()));
  }

  // Enqueues the items of `step` and delivers them to Alertmanager.
  void Deliver(const warn::StepResult& step) {
    Enqueue(*store_, ItemsOf(step));
    Deliverer deliverer(*store_, *catalogue_, clock_);
    Result<DeliveryReport> report = deliverer.DeliverDue();
    ASSERT_TRUE(report.ok()) << report.status().message();
    EXPECT_EQ(report->delivered, 1) << alertmanager_->Log();
  }

  // Whether Alertmanager has told the receiver that the warning's alert at
  // `level` is `status` ("firing" or "resolved"), with every label Vigil set.
  bool Told(std::string_view status, int level) const {
    const json labels = {{"alertname", "VigilWarning"}, {"domain", key_.domain},
                         {"region", key_.region},       {"hazard", key_.hazard},
                         {"level", LevelColour(level)}, {"agency", "district"},
                         {"warning_id", Latest().id}};
    return receiver_.WaitFor([&](const std::vector<ReceivedRequest>& requests) {
      for (const ReceivedRequest& r : requests) {
        const json body = json::parse(r.body, nullptr, false);
        for (const json& alert : body.is_object() ? body.value("alerts", json::array()) : json()) {
          if (alert.value("status", "") == status && alert.value("labels", json()) == labels) {
            return true;
          }
        }
      }
      return false;
    });
  }

  vigil::testing::TempDir dir_;
  vigil::testing::RecordingServer receiver_;
  std::unique_ptr<AlertmanagerProcess> alertmanager_;
  // Alertmanager judges startsAt and endsAt by its own clock, so this test runs on real time.
  SystemClock clock_;
};

TEST_F(AlertmanagerTest, IssuedWarningFiresAndItsCancelResolves) {
  Deliver(Act(2, clock_.Now()));
  EXPECT_TRUE(Told("firing", 2)) << alertmanager_->Log();
  EXPECT_EQ(receiver_.Requests().at(0).path, "/alertmanager");

  Deliver(Act(0, clock_.Now()));
  EXPECT_TRUE(Told("resolved", 2)) << alertmanager_->Log();
}

}  // namespace
}  // namespace vigil::notify
