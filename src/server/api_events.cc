// The event stream route of the API: warning changes as Server-Sent Events,
// within the caller's jurisdiction (event_stream.h).
#include <fmt/format.h>

#include <charconv>

#include "engine/warning_ops.h"
#include "server/api.h"

namespace vigil::server {
namespace {

// The Last-Event-ID a reconnecting client sends: the seq it saw last.
Result<std::optional<std::int64_t>> LastEventId(const Request& request) {
  const std::string text = request.Header("last-event-id");
  if (text.empty()) {
    return std::optional<std::int64_t>();
  }
  std::int64_t seq = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (error != std::errc() || end != text.data() + text.size() || seq < 0) {
    return InvalidArgument(fmt::format(
        "Last-Event-ID '{}' is not the id of an event this stream sent (a number)", text));
  }
  return std::optional<std::int64_t>(seq);
}

}  // namespace

void Api::AddEventRoutes() {
  router_.Add({.method = "GET",
               .pattern = "/api/v1/events",
               .summary = "Warning changes within the token's jurisdiction as Server-Sent Events "
                          "(id: the event's sequence number, event: its kind, data: the event "
                          "as the warning timeline shows it); Last-Event-ID replays what came "
                          "after it",
               .response_type = "text/event-stream",
               .handler = [this](const Request& r) { return Events(r); }});
}

Response Api::Events(const Request& request) {
  Result<std::optional<std::int64_t>> after = LastEventId(request);
  if (!after.ok()) {
    return ErrorResponse(after.status());
  }
  // Warning changes only: evidence and silences name no warning.
  EventFilter in_jurisdiction = [&catalogue = context_.catalogue,
                                 caller = *request.principal](const WarningEventRecord& event) {
    if (event.warning_id.empty()) {
      return false;
    }
    const Result<warn::WarningKey> key = ParseWarningKey(event.key);
    return key.ok() && caller.Covers(catalogue, key->domain, key->region);
  };
  Result<std::shared_ptr<ResponseStream>> stream =
      events_.Subscribe(*after, std::move(in_jurisdiction));
  if (!stream.ok()) {
    return ErrorResponse(stream.status());
  }
  Response response{.content_type = "text/event-stream"};
  response.stream = std::move(stream).value();
  return response;
}

}  // namespace vigil::server
