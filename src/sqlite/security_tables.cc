#include "sqlite/security_tables.h"

#include <functional>
#include <string>

#include "store/audit.h"
#include "store/store_checks.h"

namespace vigil::sqlite {
namespace {

// Codes and ids hold no commas (config/ checks them), so a comma joins them.
std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += (out.empty() ? "" : ",") + item;
  }
  return out;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    items.emplace_back(text.substr(0, comma));
    text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
  }
  return items;
}

std::optional<Timestamp> OptionalTime(const Statement& row, int column) {
  const std::optional<std::int64_t> ns = row.ColumnOptionalInt64(column);
  return ns ? std::optional<Timestamp>(FromNanos(*ns)) : std::nullopt;
}

// The columns of the token queries (kTokenColumns).
TokenRecord TokenRow(const Statement& row) {
  return {.id = std::string(row.ColumnText(0)),
          .name = std::string(row.ColumnText(1)),
          .role = std::string(row.ColumnText(2)),
          .regions = SplitList(row.ColumnText(3)),
          .domains = SplitList(row.ColumnText(4)),
          .hash = std::string(row.ColumnText(5)),
          .created = FromNanos(row.ColumnInt64(6)),
          .expires = OptionalTime(row, 7),
          .revoked = OptionalTime(row, 8)};
}

// The columns of the audit queries.
AuditRecord AuditRow(const Statement& row) {
  return {row.ColumnInt64(0),
          {FromNanos(row.ColumnInt64(1)), std::string(row.ColumnText(2)),
           std::string(row.ColumnText(3)), std::string(row.ColumnText(4)),
           std::string(row.ColumnText(5))},
          std::string(row.ColumnText(6)),
          std::string(row.ColumnText(7))};
}

// The first row of `query` (already bound) as a T; absent when it has none.
template <typename T, typename RowFn>
Result<std::optional<T>> QueryOne(Statement& query, RowFn row_of) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<T> rows, QueryRows<T>(query, row_of));
  return rows.empty() ? std::nullopt : std::optional<T>(std::move(rows.front()));
}

// Runs `body` in a transaction of its own: committed when it succeeds,
// rolled back when it fails.
Status InOwnTransaction(WriteStatements& w, const std::function<Status()>& body) {
  VIGIL_RETURN_IF_ERROR(w.begin.Run());
  Status status = body();
  if (status.ok()) {
    status = w.commit.Run();
  }
  if (!status.ok()) {
    (void)w.rollback.Run();
  }
  return status;
}

}  // namespace

Status AppendAudit(WriteStatements& w, const AuditEntry& entry) {
  struct Last {
    std::int64_t seq = 0;
    std::string hash{kAuditGenesisHash};
  };
  VIGIL_ASSIGN_OR_RETURN(const std::optional<Last> last,
                         QueryOne<Last>(w.last_audit, [](const Statement& row) {
                           return Last{row.ColumnInt64(0), std::string(row.ColumnText(1))};
                         }));
  const Last previous = last.value_or(Last{});
  const AuditRecord record = ChainAudit(previous.seq, previous.hash, entry);
  Statement& insert = w.insert_audit;
  insert.BindInt64(1, record.seq);
  insert.BindInt64(2, Nanos(record.entry.at));
  insert.BindText(3, record.entry.actor);
  insert.BindText(4, record.entry.action);
  insert.BindText(5, record.entry.target);
  insert.BindText(6, record.entry.payload_digest);
  insert.BindText(7, record.prev_hash);
  insert.BindText(8, record.hash);
  return insert.Run();
}

Status CreateToken(WriteStatements& w, const TokenRecord& token, const AuditEntry& audit) {
  return InOwnTransaction(w, [&]() -> Status {
    w.token_by_id.BindText(1, token.id);
    VIGIL_ASSIGN_OR_RETURN(const std::optional<TokenRecord> same_id,
                           QueryOne<TokenRecord>(w.token_by_id, TokenRow));
    w.token_by_hash.BindText(1, token.hash);
    VIGIL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> same_hash,
                           QueryOptionalInt64(w.token_by_hash));
    VIGIL_RETURN_IF_ERROR(CheckNewToken(token, same_id.has_value(), same_hash.has_value()));
    const std::string regions = JoinList(token.regions);
    const std::string domains = JoinList(token.domains);
    Statement& insert = w.insert_token;
    insert.BindText(1, token.id);
    insert.BindText(2, token.name);
    insert.BindText(3, token.role);
    insert.BindText(4, regions);
    insert.BindText(5, domains);
    insert.BindText(6, token.hash);
    insert.BindInt64(7, Nanos(token.created));
    insert.BindOptionalInt64(8,
                             token.expires ? std::optional(Nanos(*token.expires)) : std::nullopt);
    insert.BindOptionalInt64(9,
                             token.revoked ? std::optional(Nanos(*token.revoked)) : std::nullopt);
    VIGIL_RETURN_IF_ERROR(insert.Run());
    return AppendAudit(w, audit);
  });
}

Status RevokeToken(WriteStatements& w, std::string_view id, Timestamp at, const AuditEntry& audit) {
  return InOwnTransaction(w, [&]() -> Status {
    w.token_by_id.BindText(1, id);
    VIGIL_ASSIGN_OR_RETURN(const std::optional<TokenRecord> token,
                           QueryOne<TokenRecord>(w.token_by_id, TokenRow));
    VIGIL_RETURN_IF_ERROR(CheckRevocable(id, token));
    w.revoke_token.BindText(1, id);
    w.revoke_token.BindInt64(2, Nanos(at));
    VIGIL_RETURN_IF_ERROR(w.revoke_token.Run());
    return AppendAudit(w, audit);
  });
}

Result<std::vector<AuditRecord>> ReadAudit(ReadStatements& r, const AuditFilter& filter) {
  Statement& query = filter.newest_first ? r.audit_newest_first : r.audit_oldest_first;
  query.BindInt64(1, filter.after_seq);
  query.BindInt64(2, filter.limit > 0 ? filter.limit : -1);
  return QueryRows<AuditRecord>(query, AuditRow);
}

Result<std::vector<TokenRecord>> ListTokens(ReadStatements& r) {
  return QueryRows<TokenRecord>(r.tokens, TokenRow);
}

Result<std::optional<TokenRecord>> FindTokenByHash(ReadStatements& r, std::string_view hash) {
  r.token_by_hash.BindText(1, hash);
  return QueryOne<TokenRecord>(r.token_by_hash, TokenRow);
}

}  // namespace vigil::sqlite
