// The CAP routes of the API: the Atom feed of current messages and each
// message, served from the directory the workspace publishes into. A token
// restricted to a jurisdiction sees only the messages of warnings it covers:
// its feed is built from the log for it, and another warning's message is 403.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "engine/warning_ops.h"
#include "publish/atom_feed.h"
#include "server/api.h"
#include "server/static_files.h"

namespace vigil::server {
namespace {

constexpr std::string_view kFeedType = "application/atom+xml";
constexpr std::string_view kCapType = "application/cap+xml";

bool Covers(const Principal& caller, const Catalogue& catalogue,
            const publish::WarningMessage& message) {
  const Result<warn::WarningKey> key = ParseWarningKey(message.warning_id);
  return key.ok() && caller.Covers(catalogue, key->domain, key->region);
}

// The CAP messages of the committed log, as publishing builds them.
Result<std::vector<publish::WarningMessage>> MessagesOf(Store& store, const Catalogue& catalogue,
                                                        publish::CapStatus status) {
  VIGIL_ASSIGN_OR_RETURN(const std::vector<warn::Event> events, ReadPublishableEvents(store));
  return publish::BuildWarningMessages(events, catalogue, status);
}

}  // namespace

void Api::AddCapRoutes() {
  router_.Add({.method = "GET",
               .pattern = "/cap/feed.atom",
               .summary = "Atom feed of the current CAP messages (those of the token's "
                          "jurisdiction)",
               .response_type = std::string(kFeedType),
               .handler = [this](const Request& r) { return Feed(r); }});
  router_.Add({.method = "GET",
               .pattern = "/cap/{identifier}.xml",
               .summary = "One CAP 1.2 message, by its identifier",
               .response_type = std::string(kCapType),
               .handler = [this](const Request& r) { return CapMessage(r); }});
}

Response Api::Feed(const Request& request) {
  const Principal& caller = *request.principal;
  const std::filesystem::path published = context_.cap.dir / "index.atom";
  if (!caller.Restricted() && std::filesystem::exists(published)) {
    return ServeFile(published, kFeedType, "feed");
  }
  std::lock_guard lock(mutex_);
  Result<std::vector<publish::WarningMessage>> messages =
      MessagesOf(context_.store, context_.catalogue, context_.cap.status);
  if (!messages.ok()) {
    return ErrorResponse(messages.status());
  }
  std::erase_if(*messages, [&](const publish::WarningMessage& m) {
    return !Covers(caller, context_.catalogue, m);
  });
  const publish::FeedInput feed = publish::CurrentFeed(*messages, context_.catalogue.info(),
                                                       context_.cap, context_.clock.Now());
  return {.status = 200, .content_type = std::string(kFeedType), .body = WriteAtomFeed(feed)};
}

Response Api::CapMessage(const Request& request) {
  const std::string identifier = request.Param("identifier");
  // CAP identifiers Vigil writes are safe file names (publish/warning_cap.h).
  if (!SafeFileName(identifier)) {
    return ErrorResponse(404, "not_found", fmt::format("no CAP message '{}'", identifier));
  }
  const std::filesystem::path file = context_.cap.dir / (identifier + ".xml");
  const Principal& caller = *request.principal;
  if (caller.Restricted()) {
    std::lock_guard lock(mutex_);
    Result<std::vector<publish::WarningMessage>> messages =
        MessagesOf(context_.store, context_.catalogue, context_.cap.status);
    if (!messages.ok()) {
      return ErrorResponse(messages.status());
    }
    const auto it = std::ranges::find_if(*messages, [&](const publish::WarningMessage& m) {
      return m.alert.identifier == identifier;
    });
    if (it == messages->end()) {
      return ErrorResponse(404, "not_found", fmt::format("no CAP message '{}'", identifier));
    }
    if (!Covers(caller, context_.catalogue, *it)) {
      return ErrorResponse(
          403, "forbidden",
          fmt::format("token {} does not cover the warning of {}", caller.token.id, identifier));
    }
  }
  return ServeFile(file, kCapType, fmt::format("CAP message '{}'", identifier));
}

}  // namespace vigil::server
