// Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>", keyed with the
// channel's secret, sent as X-Vigil-Signature: sha256=<hex>. Signing the
// timestamp with the body lets a receiver refuse replays of old requests.
// docs/NOTIFY.md gives the receiver's recipe.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil::notify {

// "sha256=" and the lowercase hex HMAC-SHA256 of "<timestamp>.<body>".
// Internal when OpenSSL cannot compute it.
Result<std::string> WebhookSignature(std::string_view secret, std::string_view timestamp,
                                     std::string_view body);

}  // namespace vigil::notify
