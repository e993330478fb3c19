// Outbox items from the state machine's notifications: ids, targets and the
// webhook and Alertmanager payloads.
#include "notify/outbox.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "notify/notify_testing.h"

namespace vigil::notify {
namespace {

using nlohmann::json;

constexpr const char* kWebhookUrl = "https://ops.example.org/vigil?team=north";
constexpr const char* kAlertmanagerUrl = "http://127.0.0.1:9093/";

class OutboxTest : public NotifyTest {
 protected:
  void SetUp() override {
    LoadCatalogue(WebhookChannel(kWebhookUrl, "NORTH_SECRET") +
                  AlertmanagerChannel(kAlertmanagerUrl));
  }
  Duration ExpireAfter() const { return catalogue_->FindPolicy("outbreak")->expire_after; }

  // The Alertmanager alerts of a hand action at `at` after a yellow warning
  // issued at kT0, whose one notification must be of `kind`.
  nlohmann::json AlertsAfterIssue(int level, Timestamp at, warn::NotifyKind kind);
};

json PayloadOf(const std::vector<OutboxItem>& items, std::string_view channel) {
  for (const OutboxItem& item : items) {
    if (item.channel == channel) {
      return json::parse(item.payload);
    }
  }
  ADD_FAILURE() << "no " << channel << " item";
  return json();
}

nlohmann::json OutboxTest::AlertsAfterIssue(int level, Timestamp at, warn::NotifyKind kind) {
  Act(2, kT0);
  const warn::StepResult step = Act(level, at);
  EXPECT_EQ(step.notifications.size(), 1u);
  EXPECT_EQ(step.notifications.at(0).kind, kind);
  const json alerts = PayloadOf(ItemsOf(step), "alertmanager");
  EXPECT_EQ(alerts.size(), static_cast<size_t>(kWarningLevels));
  return alerts;
}

TEST_F(OutboxTest, OneItemPerChannelWithStableUniqueIds) {
  const warn::StepResult step = Act(2, kT0);
  ASSERT_EQ(step.notifications.size(), 1u);
  const std::vector<OutboxItem> items = ItemsOf(step);
  ASSERT_EQ(items.size(), 2u);
  const std::int64_t seq = step.events.back().seq;
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i].notification_id,
              fmt::format("{}#{}/issued/district/{}", Latest().id, seq, i));
    EXPECT_EQ(items[i].event_seq, seq);
    EXPECT_EQ(items[i].warning_id, Latest().id);
    EXPECT_EQ(items[i].agency, "district");
    EXPECT_EQ(items[i].created, kT0);
    EXPECT_EQ(items[i].next_attempt, kT0);
    EXPECT_EQ(items[i].state, OutboxState::kPending);
  }
  EXPECT_EQ(items[0].channel, "webhook");
  EXPECT_EQ(items[0].target, kWebhookUrl);
  EXPECT_EQ(items[1].channel, "alertmanager");
  EXPECT_EQ(items[1].target, "http://127.0.0.1:9093/api/v2/alerts");
  const std::vector<OutboxItem> again = ItemsOf(step);
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(again[i].notification_id, items[i].notification_id);
    EXPECT_EQ(again[i].payload, items[i].payload) << "a retry must send the same bytes";
  }
}

TEST_F(OutboxTest, WebhookPayloadDescribesTheNotification) {
  const warn::StepResult step = Act(2, kT0);
  const std::vector<OutboxItem> items = ItemsOf(step);
  const json doc = PayloadOf(items, "webhook");
  const warn::Notification& n = step.notifications[0];
  EXPECT_EQ(doc["version"], kWebhookPayloadVersion);
  EXPECT_EQ(doc["notification_id"], items[0].notification_id);
  EXPECT_EQ(doc["kind"], "issued");
  EXPECT_EQ(doc["warning_id"], n.warning_id);
  EXPECT_EQ(doc["key"],
            json({{"domain", "health"}, {"region", "XA-01"}, {"hazard", "infectious-disease"}}));
  EXPECT_EQ(doc["level"], 2);
  EXPECT_EQ(doc["colour"], LevelColour(2));
  EXPECT_EQ(doc["agency"], "district");
  EXPECT_EQ(doc["tier"], 0);
  EXPECT_EQ(doc["time"], FormatRfc3339(kT0));
  EXPECT_EQ(doc["reason"], n.reason);
  const std::string summary = doc["summary"];
  for (const char* part : {"Yellow", "infectious-disease", "District 1 (XA-01)", "Health"}) {
    EXPECT_NE(summary.find(part), std::string::npos) << summary;
  }
  const json& warning = doc["warning"];
  EXPECT_EQ(warning["status"], "active");
  EXPECT_EQ(warning["policy"], "outbreak");
  EXPECT_EQ(warning["issued_at"], FormatRfc3339(kT0));
  EXPECT_EQ(warning["acknowledged"], false);
  EXPECT_EQ(warning["manual"], true);
  EXPECT_EQ(warning["ack_deadline"], FormatRfc3339(*Latest().ack_deadline));
}

TEST_F(OutboxTest, IssuedIsOneFiringAlertUntilTheExpiry) {
  const warn::StepResult step = Act(2, kT0);
  const json alerts = PayloadOf(ItemsOf(step), "alertmanager");
  ASSERT_TRUE(alerts.is_array());
  ASSERT_EQ(alerts.size(), 1u);
  const json& alert = alerts[0];
  EXPECT_EQ(alert["labels"], json({{"alertname", "VigilWarning"},
                                   {"domain", "health"},
                                   {"region", "XA-01"},
                                   {"hazard", "infectious-disease"},
                                   {"level", LevelColour(2)},
                                   {"agency", "district"},
                                   {"warning_id", Latest().id}}));
  EXPECT_EQ(alert["annotations"]["description"], step.notifications[0].reason);
  EXPECT_EQ(alert["annotations"]["summary"], PayloadOf(ItemsOf(step), "webhook")["summary"]);
  EXPECT_EQ(alert["startsAt"], FormatRfc3339(kT0));
  EXPECT_EQ(alert["endsAt"], FormatRfc3339(kT0 + ExpireAfter()));
}

TEST_F(OutboxTest, RaiseFiresTheNewLevelAndResolvesTheOthers) {
  const Timestamp raised = kT0 + std::chrono::hours(2);
  const json alerts = AlertsAfterIssue(3, raised, warn::NotifyKind::kRaised);
  ASSERT_EQ(alerts.size(), static_cast<size_t>(kWarningLevels));
  EXPECT_EQ(alerts[0]["labels"]["level"], LevelColour(3));
  EXPECT_EQ(alerts[0]["endsAt"], FormatRfc3339(raised + ExpireAfter()));
  std::set<std::string> resolved;
  for (size_t i = 1; i < alerts.size(); ++i) {
    EXPECT_EQ(alerts[i]["endsAt"], FormatRfc3339(raised));
    EXPECT_EQ(alerts[i]["startsAt"], FormatRfc3339(kT0));
    resolved.insert(alerts[i]["labels"]["level"].get<std::string>());
  }
  EXPECT_EQ(resolved, (std::set<std::string>{"blue", "yellow", "red"}));
}

TEST_F(OutboxTest, CancelResolvesEveryLevelAtTheCancelTime) {
  const Timestamp cancelled = kT0 + std::chrono::hours(5);
  const json alerts = AlertsAfterIssue(0, cancelled, warn::NotifyKind::kCancelled);
  ASSERT_EQ(alerts.size(), static_cast<size_t>(kWarningLevels));
  EXPECT_EQ(alerts[0]["labels"]["level"], LevelColour(2));
  for (const json& alert : alerts) {
    EXPECT_EQ(alert["endsAt"], FormatRfc3339(cancelled));
  }
}

TEST_F(OutboxTest, NotificationWithoutAgencyMakesNoItems) {
  const warn::StepResult step = Act(2, kT0);
  warn::Notification n = step.notifications[0];
  n.agency.clear();
  Result<std::vector<OutboxItem>> items = MakeOutboxItems(n, Latest(), *catalogue_, 1);
  ASSERT_TRUE(items.ok());
  EXPECT_TRUE(items->empty());
}

TEST_F(OutboxTest, UnknownAgencyIsNotFound) {
  warn::Notification n = Act(2, kT0).notifications[0];
  n.agency = "nobody";
  EXPECT_EQ(MakeOutboxItems(n, Latest(), *catalogue_, 1).status().code(), StatusCode::kNotFound);
}

TEST_F(OutboxTest, WarningOfAnotherNotificationIsRefused) {
  const warn::Notification n = Act(2, kT0).notifications[0];
  warn::Warning other = Latest();
  other.id = "health/XA-01/infectious-disease/7";
  EXPECT_EQ(MakeOutboxItems(n, other, *catalogue_, 1).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::notify
