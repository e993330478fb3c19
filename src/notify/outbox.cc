#include "notify/outbox.h"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "core/url.h"

namespace vigil::notify {
namespace {

// Keys in the order written, so that payloads read top-down.
using Json = nlohmann::ordered_json;

struct Context {
  const warn::Notification& notification;
  const warn::Warning& warning;
  const WarningPolicy& policy;
  std::string summary;
};

// "Yellow infectious-disease warning for District 2 (XA-02), Health: issued".
Result<std::string> Summary(const warn::Notification& n, const Catalogue& catalogue) {
  const Region* region = catalogue.FindRegion(n.key.region);
  const Domain* domain = catalogue.FindDomain(n.key.domain);
  if (region == nullptr || domain == nullptr) {
    return NotFound(fmt::format("warning {}: region '{}' or domain '{}' is not in the catalogue",
                                n.warning_id, n.key.region, n.key.domain));
  }
  std::string colour(LevelColour(n.level));
  colour[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(colour[0])));
  const std::string where =
      region->name.empty() ? region->code : fmt::format("{} ({})", region->name, region->code);
  return fmt::format("{} {} warning for {}, {}: {}", colour, n.key.hazard, where,
                     domain->name.empty() ? domain->id : domain->name,
                     warn::NotifyKindName(n.kind));
}

Json OptionalTime(const std::optional<Timestamp>& t) {
  return t ? Json(FormatRfc3339(*t)) : Json(nullptr);
}

std::string WebhookPayload(const Context& c, const std::string& notification_id) {
  const warn::Notification& n = c.notification;
  const warn::Warning& w = c.warning;
  // What the top level does not already say.
  const Json warning = {{"status", warn::WarningStatusName(w.status)},
                        {"policy", w.policy},
                        {"issued_at", FormatRfc3339(w.issued_at)},
                        {"changed_at", FormatRfc3339(w.changed_at)},
                        {"changes", w.changes},
                        {"manual", w.manual},
                        {"agency", w.agency},  // responsible; an escalation goes elsewhere
                        {"escalated", w.escalated},
                        {"acknowledged", w.acknowledged},
                        {"acknowledged_by", w.acknowledged_by},
                        {"ack_deadline", OptionalTime(w.ack_deadline)},
                        {"held", w.held}};
  const Json doc = {
      {"version", kWebhookPayloadVersion},
      {"notification_id", notification_id},
      {"kind", warn::NotifyKindName(n.kind)},
      {"warning_id", n.warning_id},
      {"key", {{"domain", n.key.domain}, {"region", n.key.region}, {"hazard", n.key.hazard}}},
      {"level", n.level},
      {"colour", LevelColour(n.level)},
      {"agency", n.agency},
      {"tier", n.tier},
      {"time", FormatRfc3339(n.at)},
      {"reason", n.reason},
      {"summary", c.summary},
      {"warning", warning}};
  return doc.dump();
}

Json Alert(const Context& c, int level, Timestamp ends_at) {
  const warn::Notification& n = c.notification;
  return {{"labels",
           {{"alertname", "VigilWarning"},
            {"domain", n.key.domain},
            {"region", n.key.region},
            {"hazard", n.key.hazard},
            {"level", LevelColour(level)},
            {"agency", n.agency},
            {"warning_id", n.warning_id}}},
          {"annotations", {{"summary", c.summary}, {"description", n.reason}}},
          {"startsAt", FormatRfc3339(c.warning.issued_at)},
          {"endsAt", FormatRfc3339(ends_at)}};
}

// Alertmanager knows an alert by its labels, the level among them. So every
// notification after the first also resolves the warning's alerts at the other
// levels: whichever one Alertmanager last saw (a held notification may have
// skipped some) stops firing. An ending resolves the current level as well.
std::string AlertmanagerPayload(const Context& c) {
  const warn::Notification& n = c.notification;
  const bool ends = n.kind == warn::NotifyKind::kCancelled || n.kind == warn::NotifyKind::kExpired;
  Json alerts = Json::array();
  alerts.push_back(Alert(c, n.level, ends ? n.at : n.at + c.policy.expire_after));
  if (n.kind != warn::NotifyKind::kIssued) {
    for (int level = 1; level <= kWarningLevels; ++level) {
      if (level != n.level) {
        alerts.push_back(Alert(c, level, n.at));
      }
    }
  }
  return alerts.dump();
}

Result<OutboxItem> MakeItem(const Context& c, const AgencyChannel& channel, std::string id) {
  if (Result<HttpUrl> url = ParseHttpUrl(channel.target); !url.ok()) {
    return url.status();
  }
  const warn::Notification& n = c.notification;
  OutboxItem item{.notification_id = std::move(id),
                  .warning_id = n.warning_id,
                  .agency = n.agency,
                  .channel = channel.kind,
                  .created = n.at,
                  .next_attempt = n.at};
  if (channel.kind == "webhook") {
    item.target = channel.target;
    item.payload = WebhookPayload(c, item.notification_id);
  } else if (channel.kind == "alertmanager") {
    std::string_view base = channel.target;
    while (base.ends_with('/')) {
      base.remove_suffix(1);
    }
    item.target = fmt::format("{}{}", base, kAlertmanagerAlertsPath);
    item.payload = AlertmanagerPayload(c);
  } else {
    return InvalidArgument(fmt::format("unknown channel kind '{}'", channel.kind));
  }
  return item;
}

}  // namespace

Result<std::vector<OutboxItem>> MakeOutboxItems(const warn::Notification& notification,
                                                const warn::Warning& warning,
                                                const Catalogue& catalogue,
                                                std::int64_t event_seq) {
  const warn::Notification& n = notification;
  if (n.agency.empty()) {
    return std::vector<OutboxItem>{};
  }
  if (warning.id != n.warning_id) {
    return InvalidArgument(
        fmt::format("notification about {} given warning {}", n.warning_id, warning.id));
  }
  if (n.level < 1 || n.level > kWarningLevels) {
    return InvalidArgument(
        fmt::format("warning {}: level {} is not 1 to {}", n.warning_id, n.level, kWarningLevels));
  }
  const Agency* agency = catalogue.FindAgency(n.agency);
  const WarningPolicy* policy = catalogue.FindPolicy(warning.policy);
  if (agency == nullptr || policy == nullptr) {
    return NotFound(fmt::format("warning {}: agency '{}' or policy '{}' is not in the catalogue",
                                n.warning_id, n.agency, warning.policy));
  }
  VIGIL_ASSIGN_OR_RETURN(std::string summary, Summary(n, catalogue));
  const Context context{n, warning, *policy, std::move(summary)};
  std::vector<OutboxItem> items;
  for (size_t i = 0; i < agency->channels.size(); ++i) {
    std::string id = fmt::format("{}#{}/{}/{}/{}", n.warning_id, event_seq,
                                 warn::NotifyKindName(n.kind), n.agency, i);
    Result<OutboxItem> item = MakeItem(context, agency->channels[i], std::move(id));
    if (!item.ok()) {
      return item.status().WithContext(fmt::format("agency {} channel {}", n.agency, i));
    }
    item->event_seq = event_seq;
    items.push_back(std::move(item).value());
  }
  return items;
}

}  // namespace vigil::notify
