// From a warning notification to the outbox items that deliver it: one per
// channel of the notified agency, with the request body built at once so that
// every retry sends the same bytes. docs/NOTIFY.md shows both payloads.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/catalogue.h"
#include "store/store.h"
#include "warn/warning.h"

namespace vigil::notify {

// The version of the webhook document; a receiver checks it before reading on.
inline constexpr int kWebhookPayloadVersion = 1;
// Where Alertmanager takes alerts, below the channel's base URL.
inline constexpr std::string_view kAlertmanagerAlertsPath = "/api/v2/alerts";

// The items that send `notification` through every channel of the agency it
// names, pending from the notification's time; none when it names no agency.
// `warning` is the warning it is about, as the step left it, and `event_seq`
// the last event of that step. Each item's notification_id is
// "<warning id>#<event seq>/<kind>/<agency>/<channel index>": stable, and
// unique because a step notifies an agency of one warning once per kind.
//
// Errors: NotFound for an agency, region, domain or policy missing from the
// catalogue; InvalidArgument for a warning that is not the notification's, a
// level outside 1..4, a channel of unknown kind or a target that is not a URL.
Result<std::vector<OutboxItem>> MakeOutboxItems(const warn::Notification& notification,
                                                const warn::Warning& warning,
                                                const Catalogue& catalogue, std::int64_t event_seq);

}  // namespace vigil::notify
