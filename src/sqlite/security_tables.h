// The audit log and the API tokens of the SQLite store: what the Store
// methods of the same names do, on the store's prepared statements. Internal
// to the sqlite adapter; the contracts are in store.h.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sqlite/store_statements.h"
#include "store/store.h"

namespace vigil::sqlite {

// Inside the open transaction of the writer connection.
Status AppendAudit(WriteStatements& w, const AuditEntry& entry);

// On the writer connection with no transaction open: each runs in a
// transaction of its own, with its audit record.
Status CreateToken(WriteStatements& w, const TokenRecord& token, const AuditEntry& audit);
Status RevokeToken(WriteStatements& w, std::string_view id, Timestamp at, const AuditEntry& audit);

// On the reader connection: committed data only.
Result<std::vector<AuditRecord>> ReadAudit(ReadStatements& r, const AuditFilter& filter);
Result<std::vector<TokenRecord>> ListTokens(ReadStatements& r);
Result<std::optional<TokenRecord>> FindTokenByHash(ReadStatements& r, std::string_view hash);

}  // namespace vigil::sqlite
