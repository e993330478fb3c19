// Rules of the warning log, outbox and token contract (store.h) that every Store
// implementation applies the same way, so that each states them once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace vigil {

// Checks that `events` may follow `last`, the highest sequence number already
// written (0 when none), with the Status that AppendWarningEvents names.
// `written(seq)` tells whether a sequence number at or below `last` is
// written; its error, if any, is returned as is.
Status CheckWarningEventSeqs(const std::vector<WarningEventRecord>& events, std::int64_t last,
                             const std::function<Result<bool>(std::int64_t)>& written);

// Sets what EnqueueOutbox writes back, but the id: pending, no attempt yet.
void MarkPending(OutboxItem& item);

// Whether RecordDelivery may record an attempt on item `id`, whose state is
// `state` (absent when there is no such item).
Status CheckDeliverable(std::int64_t id, std::optional<OutboxState> state);

// Whether a token may change: not while a transaction is open.
Status CheckTokenChangeAllowed(bool transaction_open);

// Whether CreateToken may store `token`, given whether its id or its hash is
// taken already.
Status CheckNewToken(const TokenRecord& token, bool id_taken, bool hash_taken);

// Whether RevokeToken may revoke token `id`, found as `token` (absent when
// there is no such token).
Status CheckRevocable(std::string_view id, const std::optional<TokenRecord>& token);

}  // namespace vigil
