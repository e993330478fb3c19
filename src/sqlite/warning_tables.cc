#include "sqlite/warning_tables.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "store/store_checks.h"

namespace vigil::sqlite {
namespace {

// The columns of ReadStatements' warning event queries.
WarningEventRecord EventRow(const Statement& row) {
  return {row.ColumnInt64(0),
          FromNanos(row.ColumnInt64(1)),
          std::string(row.ColumnText(2)),
          std::string(row.ColumnText(3)),
          std::string(row.ColumnText(4)),
          std::string(row.ColumnText(5)),
          std::string(row.ColumnText(6))};
}

// The schema's CHECK admits only the three names; anything else was written
// around it.
Result<OutboxState> ParseOutboxState(std::string_view name) {
  for (const OutboxState state :
       {OutboxState::kPending, OutboxState::kDelivered, OutboxState::kAbandoned}) {
    if (OutboxStateName(state) == name) {
      return state;
    }
  }
  return Corruption(fmt::format("outbox state \"{}\" is not one this vigil knows", name));
}

// The columns of ReadStatements' outbox queries.
Result<OutboxItem> OutboxRow(const Statement& row) {
  OutboxItem item;
  item.id = row.ColumnInt64(0);
  item.notification_id = row.ColumnText(1);
  item.event_seq = row.ColumnInt64(2);
  item.warning_id = row.ColumnText(3);
  item.agency = row.ColumnText(4);
  item.channel = row.ColumnText(5);
  item.target = row.ColumnText(6);
  item.payload = row.ColumnText(7);
  item.created = FromNanos(row.ColumnInt64(8));
  VIGIL_ASSIGN_OR_RETURN(item.state, ParseOutboxState(row.ColumnText(9)));
  item.attempts = static_cast<int>(row.ColumnInt64(10));
  item.next_attempt = FromNanos(row.ColumnInt64(11));
  if (const std::optional<std::int64_t> at = row.ColumnOptionalInt64(12)) {
    item.delivered_at = FromNanos(*at);
  }
  item.last_error = row.ColumnText(13);
  return item;
}

// The state of outbox item `id`; absent when there is none.
Result<std::optional<OutboxState>> ItemState(Statement& query, std::int64_t id) {
  ResetOnExit reset(query);
  query.BindInt64(1, id);
  VIGIL_ASSIGN_OR_RETURN(const bool row, query.Step());
  if (!row) {
    return std::optional<OutboxState>();
  }
  VIGIL_ASSIGN_OR_RETURN(const OutboxState state, ParseOutboxState(query.ColumnText(0)));
  return std::optional<OutboxState>(state);
}

}  // namespace

Status AppendWarningEvents(WriteStatements& w, const std::vector<WarningEventRecord>& events) {
  VIGIL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> last,
                         QueryOptionalInt64(w.last_event_seq));
  VIGIL_RETURN_IF_ERROR(
      CheckWarningEventSeqs(events, last.value_or(0), [&w](std::int64_t seq) -> Result<bool> {
        w.event_exists.BindInt64(1, seq);
        VIGIL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> found,
                               QueryOptionalInt64(w.event_exists));
        return found.has_value();
      }));
  Statement& insert = w.insert_event;
  for (const WarningEventRecord& e : events) {
    insert.BindInt64(1, e.seq);
    insert.BindInt64(2, Nanos(e.at));
    insert.BindText(3, e.kind);
    insert.BindText(4, e.key);
    insert.BindText(5, e.warning_id);
    insert.BindText(6, e.actor);
    insert.BindText(7, e.body);
    VIGIL_RETURN_IF_ERROR(insert.Run());
  }
  return Status::Ok();
}

Status EnqueueOutbox(WriteStatements& w, const Database& writer, std::vector<OutboxItem>& items) {
  Statement& insert = w.insert_outbox;
  for (OutboxItem& item : items) {
    MarkPending(item);
    insert.BindText(1, item.notification_id);
    insert.BindInt64(2, item.event_seq);
    insert.BindText(3, item.warning_id);
    insert.BindText(4, item.agency);
    insert.BindText(5, item.channel);
    insert.BindText(6, item.target);
    insert.BindText(7, item.payload);
    insert.BindInt64(8, Nanos(item.created));
    insert.BindText(9, OutboxStateName(item.state));
    insert.BindInt64(10, item.attempts);
    insert.BindInt64(11, Nanos(item.next_attempt));
    insert.BindOptionalInt64(12, std::nullopt);
    insert.BindText(13, item.last_error);
    VIGIL_RETURN_IF_ERROR(insert.Run());
    item.id = writer.LastInsertRowid();
  }
  return Status::Ok();
}

Result<std::vector<WarningEventRecord>> ReadWarningEvents(ReadStatements& r,
                                                          const WarningEventFilter& f) {
  Statement& query = !f.warning_id.empty() ? r.events_by_warning
                     : !f.key.empty()      ? r.events_by_key
                                           : r.events;
  query.BindInt64(1, f.after_seq);
  query.BindText(2, f.key);
  query.BindText(3, f.warning_id);
  query.BindInt64(4, f.limit > 0 ? f.limit : -1);
  return QueryRows<WarningEventRecord>(query, EventRow);
}

Result<std::int64_t> LastWarningEventSeq(ReadStatements& r) {
  VIGIL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> last,
                         QueryOptionalInt64(r.last_event_seq));
  return last.value_or(0);
}

Result<std::vector<OutboxItem>> ReadOutbox(ReadStatements& r, const OutboxFilter& f) {
  Statement& query = f.due_by ? r.outbox_due : r.outbox;
  query.BindText(1, f.state ? OutboxStateName(*f.state) : "");
  if (f.due_by) {
    query.BindInt64(2, Nanos(*f.due_by));
  }
  query.BindText(3, f.warning_id);
  query.BindInt64(4, f.limit > 0 ? f.limit : -1);
  return QueryRows<OutboxItem>(query, OutboxRow);
}

Result<std::int64_t> CountPendingOutbox(ReadStatements& r) {
  VIGIL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> count,
                         QueryOptionalInt64(r.outbox_pending_count));
  return count.value_or(0);
}

// The UPDATE changes only a pending row; when it changes none, the item's
// state says why.
Status RecordDelivery(WriteStatements& w, const Database& writer, const DeliveryAttempt& a) {
  Statement& update = w.record_delivery;
  update.BindInt64(1, a.id);
  update.BindText(2, OutboxStateName(a.state));
  update.BindInt64(3, Nanos(a.next_attempt));
  update.BindOptionalInt64(
      4, a.state == OutboxState::kDelivered ? std::optional(Nanos(a.at)) : std::nullopt);
  update.BindText(5, a.error);
  const std::int64_t before = writer.TotalChanges();
  VIGIL_RETURN_IF_ERROR(update.Run());
  if (writer.TotalChanges() != before) {
    return Status::Ok();
  }
  VIGIL_ASSIGN_OR_RETURN(const std::optional<OutboxState> state, ItemState(w.outbox_state, a.id));
  return CheckDeliverable(a.id, state);
}

}  // namespace vigil::sqlite
