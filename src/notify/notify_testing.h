// Test support: a fixture with a catalogue whose agency delivers to channels
// the test names (its own servers), warnings made by the real state machine
// acting by hand, and a store to enqueue their outbox items in.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "notify/outbox.h"
#include "store/memory_store.h"
#include "warn/machine.h"

namespace vigil::notify {

inline const Timestamp kT0 = ParseRfc3339("2024-03-01T08:00:00Z").value();

// One `channels:` entry of the catalogue; no secret_env when `secret_env` is empty.
inline std::string WebhookChannel(const std::string& url, const std::string& secret_env = "") {
  return secret_env.empty()
             ? fmt::format("      - {{ kind: webhook, target: \"{}\" }}\n", url)
             : fmt::format("      - {{ kind: webhook, target: \"{}\", secret_env: {} }}\n", url,
                           secret_env);
}

inline std::string AlertmanagerChannel(const std::string& url) {
  return fmt::format("      - {{ kind: alertmanager, target: \"{}\" }}\n", url);
}

class NotifyTest : public ::testing::Test {
 protected:
  // Loads a province XA with district XA-01, whose health agency "district"
  // has `channels` (WebhookChannel and AlertmanagerChannel lines).
  void LoadCatalogue(const std::string& channels) {
    const std::string text = fmt::format(R"(domains:
  - id: health
    name: Health
regions:
  - code: XA
    name: Province
  - code: XA-01
    name: District 1
    parent: XA
policies:
  - id: outbreak
    hazard: infectious-disease
    expire_after: 3d
indicators:
  - id: cases
    domain: health
    frequency: daily
    policy: outbreak
    detectors:
      - method: ears-c2
agencies:
  - id: district
    name: District 1 health office
    regions: [XA-01]
    domains: [health]
    channels:
{})",
                                         channels);
    Result<Catalogue> loaded = LoadCatalogueText(text, "notify-test.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    catalogue_ = std::make_unique<Catalogue>(std::move(loaded).value());
    rules_ = std::make_unique<warn::Rules>(*catalogue_);
  }

  // An operator issues (level > 0, no warning yet), updates (level > 0) or
  // cancels (level 0) the district's warning at `now`.
  warn::StepResult Act(int level, Timestamp now) {
    const warn::Warning* current = state_.Latest(warn::WarningKeyEqual::View(key_));
    warn::OperatorAction action{
        .actor = "duty-officer", .reason = "cases rising", .key = key_, .level = level};
    if (level == 0) {
      action.kind = warn::ActionKind::kCancel;
      action.reason = "outbreak contained";
    } else if (current != nullptr && current->active()) {
      action.kind = warn::ActionKind::kUpdate;
    }
    Result<warn::StepResult> step = warn::Step(*rules_, state_, action, now);
    EXPECT_TRUE(step.ok()) << step.status().message();
    return step.ok() ? std::move(step).value() : warn::StepResult{};
  }

  const warn::Warning& Latest() const { return *state_.Latest(warn::WarningKeyEqual::View(key_)); }

  // The outbox items of every notification of `step`.
  std::vector<OutboxItem> ItemsOf(const warn::StepResult& step) {
    std::vector<OutboxItem> items;
    for (const warn::Notification& n : step.notifications) {
      Result<std::vector<OutboxItem>> made =
          MakeOutboxItems(n, Latest(), *catalogue_, step.events.back().seq);
      EXPECT_TRUE(made.ok()) << made.status().message();
      if (made.ok()) {
        items.insert(items.end(), made->begin(), made->end());
      }
    }
    return items;
  }

  // Commits `items` to `store` in one transaction; returns them with their ids.
  static std::vector<OutboxItem> Enqueue(Store& store, std::vector<OutboxItem> items) {
    auto txn = store.Begin({"notify test", items.empty() ? kT0 : items[0].created});
    EXPECT_TRUE(txn.ok());
    EXPECT_TRUE((*txn)->EnqueueOutbox(items).ok());
    EXPECT_TRUE((*txn)->Commit().ok());
    return items;
  }

  // The stored item with `id`.
  static OutboxItem Stored(Store& store, std::int64_t id) {
    Result<std::vector<OutboxItem>> all = store.ReadOutbox({});
    EXPECT_TRUE(all.ok());
    for (const OutboxItem& item : *all) {
      if (item.id == id) {
        return item;
      }
    }
    ADD_FAILURE() << "no outbox item " << id;
    return {};
  }

  const warn::WarningKey key_{"health", "XA-01", "infectious-disease"};
  std::unique_ptr<Catalogue> catalogue_;
  std::unique_ptr<warn::Rules> rules_;
  warn::State state_;
  std::unique_ptr<Store> store_ = NewMemoryStore();
};

}  // namespace vigil::notify
