// Rules of the warning log and outbox contract (store.h) that every Store
// implementation applies the same way, so that each states them once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
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

}  // namespace vigil
