// The warning event log and the notification outbox of the SQLite store:
// what the Store methods of the same names do, on the store's prepared
// statements. Internal to the sqlite adapter; the contracts are in store.h.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "sqlite/sqlite_db.h"
#include "sqlite/store_statements.h"
#include "store/store.h"

namespace vigil::sqlite {

// Inside the open transaction of the writer connection.
Status AppendWarningEvents(WriteStatements& w, const std::vector<WarningEventRecord>& events);
Status EnqueueOutbox(WriteStatements& w, const Database& writer, std::vector<OutboxItem>& items);

// On the reader connection: committed data only.
Result<std::vector<WarningEventRecord>> ReadWarningEvents(ReadStatements& r,
                                                          const WarningEventFilter& filter);
Result<std::int64_t> LastWarningEventSeq(ReadStatements& r);
Result<std::vector<OutboxItem>> ReadOutbox(ReadStatements& r, const OutboxFilter& filter);
Result<std::int64_t> CountPendingOutbox(ReadStatements& r);

// On the writer connection with no transaction open: one statement that is
// its own durable transaction.
Status RecordDelivery(WriteStatements& w, const Database& writer, const DeliveryAttempt& attempt);

}  // namespace vigil::sqlite
