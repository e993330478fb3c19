#include "store/store_checks.h"

#include <fmt/format.h>

#include <algorithm>

namespace vigil {

Status CheckWarningEventSeqs(const std::vector<WarningEventRecord>& events, std::int64_t last,
                             const std::function<Result<bool>(std::int64_t)>& written) {
  for (auto it = events.begin(); it != events.end(); ++it) {
    const std::int64_t seq = it->seq;
    if (seq > last) {
      last = seq;
      continue;
    }
    // Only a rejected event gets here, so scanning the call's earlier events
    // costs nothing on the accepted path.
    bool repeated = std::any_of(events.begin(), it,
                                [seq](const WarningEventRecord& e) { return e.seq == seq; });
    if (!repeated) {
      VIGIL_ASSIGN_OR_RETURN(repeated, written(seq));
    }
    if (repeated) {
      return AlreadyExists(fmt::format("warning event seq {} is already written", seq));
    }
    return InvalidArgument(
        fmt::format("warning event seq {} is not above the last one written, {}", seq, last));
  }
  return Status::Ok();
}

void MarkPending(OutboxItem& item) {
  item.state = OutboxState::kPending;
  item.attempts = 0;
  item.delivered_at.reset();
  item.last_error.clear();
}

Status CheckDeliverable(std::int64_t id, std::optional<OutboxState> state) {
  if (!state) {
    return NotFound(fmt::format("outbox item {} does not exist", id));
  }
  if (*state != OutboxState::kPending) {
    return FailedPrecondition(
        fmt::format("outbox item {} is {}, no longer pending", id, OutboxStateName(*state)));
  }
  return Status::Ok();
}

Status CheckTokenChangeAllowed(bool transaction_open) {
  return transaction_open ? FailedPrecondition("a token cannot change while a transaction is open")
                          : Status::Ok();
}

Status CheckNewToken(const TokenRecord& token, bool id_taken, bool hash_taken) {
  if (token.id.empty() || token.hash.empty()) {
    return InvalidArgument("a token needs an id and a hash");
  }
  if (id_taken) {
    return AlreadyExists(fmt::format("token id {} is taken", token.id));
  }
  if (hash_taken) {
    return AlreadyExists(fmt::format("another token has the hash of token {}", token.id));
  }
  return Status::Ok();
}

Status CheckRevocable(std::string_view id, const std::optional<TokenRecord>& token) {
  if (!token) {
    return NotFound(fmt::format("no token {} (list them with `vigil token list`)", id));
  }
  if (token->revoked) {
    return FailedPrecondition(fmt::format("token {} is revoked already", id));
  }
  return Status::Ok();
}

}  // namespace vigil
