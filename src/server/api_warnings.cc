// The warning routes of the API: the list with its filters, one warning with
// its timeline and evidence, and the operator's actions on it: issue by
// hand, update, cancel and acknowledge.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <variant>

#include "core/digest.h"
#include "core/log.h"
#include "engine/warning_json.h"
#include "engine/warning_ops.h"
#include "server/api.h"
#include "server/api_body.h"

namespace vigil::server {
namespace {

constexpr std::string_view kStatuses[] = {"active", "cancelled", "expired", "all"};

// The list filters of a request; InvalidArgument naming a bad one.
struct WarningFilter {
  std::string status = "active";
  std::string domain;
  std::string region;
  int level = 0;  // 0: any

  bool Matches(const warn::Warning& w, const Catalogue& catalogue) const {
    return (status == "all" || warn::WarningStatusName(w.status) == status) &&
           (domain.empty() || w.key.domain == domain) &&
           (region.empty() || catalogue.IsWithin(w.key.region, region)) &&
           (level == 0 || w.level == level);
  }
};

Result<WarningFilter> FilterOf(const Request& r, const Catalogue& catalogue) {
  WarningFilter f;
  if (const std::string status = r.Query("status"); !status.empty()) {
    if (std::ranges::find(kStatuses, status) == std::end(kStatuses)) {
      return InvalidArgument(
          fmt::format("status '{}': use active, cancelled, expired or all", status));
    }
    f.status = status;
  }
  f.domain = r.Query("domain");
  if (!f.domain.empty() && catalogue.FindDomain(f.domain) == nullptr) {
    return InvalidArgument(fmt::format("domain '{}' is not in the catalogue", f.domain));
  }
  f.region = r.Query("region");
  if (!f.region.empty() && catalogue.FindRegion(f.region) == nullptr) {
    return InvalidArgument(fmt::format("region '{}' is not in the catalogue", f.region));
  }
  if (const std::string level = r.Query("level"); !level.empty()) {
    VIGIL_ASSIGN_OR_RETURN(f.level, ParseLevel(level));
  }
  return f;
}

// The warning key `text` names, if the caller's jurisdiction covers it;
// otherwise the answer to give.
std::variant<warn::WarningKey, Response> KeyInJurisdiction(const Request& r,
                                                           const Catalogue& catalogue,
                                                           std::string_view text) {
  Result<warn::WarningKey> key = ParseWarningKey(text);
  if (!key.ok()) {
    return ErrorResponse(key.status());
  }
  if (!r.principal->Covers(catalogue, key->domain, key->region)) {
    return ErrorResponse(403, "forbidden",
                         fmt::format("token {} does not cover {} in region {}",
                                     r.principal->token.id, key->domain, key->region));
  }
  return *key;
}

// The action a body asks of the warning `key`: a reason for every kind, and
// a level and an optional end of manual control for issue and update.
Result<warn::OperatorAction> ActionOf(const Request& r, warn::ActionKind kind,
                                      const warn::WarningKey& key, Timestamp now) {
  VIGIL_ASSIGN_OR_RETURN(const nlohmann::json body, JsonObjectBody(r.body));
  warn::OperatorAction action{.kind = kind, .actor = r.principal->token.name, .key = key};
  VIGIL_ASSIGN_OR_RETURN(action.reason, StringField(body, "reason", false));
  if (kind == warn::ActionKind::kIssue || kind == warn::ActionKind::kUpdate) {
    VIGIL_ASSIGN_OR_RETURN(action.level, LevelField(body));
    VIGIL_ASSIGN_OR_RETURN(action.until, TimeField(body, "until", now, false));
  }
  return action;
}

// The warning a committed step was about.
std::string WarningIdOf(const warn::StepResult& step) {
  for (const warn::Event& e : step.events) {
    if (!e.warning.id.empty()) {
      return e.warning.id;
    }
  }
  return "";
}

}  // namespace

void Api::AddWarningRoutes() {
  router_.Add({.method = "GET",
               .pattern = "/api/v1/warnings",
               .summary = "Warnings within the token's jurisdiction, most severe first",
               .query = {{"status", "active (the default), cancelled, expired or all"},
                         {"domain", "only this domain"},
                         {"region", "only this region and the regions beneath it"},
                         {"level", "only this level: 1-4 or blue, yellow, orange, red"}},
               .handler = [this](const Request& r) { return ListWarnings(r); }});
  router_.Add({.method = "GET",
               .pattern = "/api/v1/warnings/{id+}",
               .summary = "One warning with its timeline and evidence, as `vigil warnings show "
                          "--json` gives it",
               .handler = [this](const Request& r) { return ShowWarning(r); }});
  router_.Add({.method = "POST",
               .pattern = "/api/v1/warnings/{id+}/ack",
               .access = Access::kAct,
               .summary = "Acknowledge a warning (by id or key), which stops its escalation; "
                          "the body may give a reason",
               .body_types = {"application/json"},
               .handler = [this](const Request& r) {
                 return ChangeWarning(r, warn::ActionKind::kAcknowledge, "ack");
               }});
  router_.Add({.method = "POST",
               .pattern = "/api/v1/warnings",
               .access = Access::kAct,
               .summary = "Issue a warning by hand, as `vigil warnings issue`: body {\"key\": "
                          "\"domain/region/hazard\", \"level\": \"orange\", \"reason\": "
                          "\"...\", \"until\": \"+6h\" (optional)}",
               .body_types = {"application/json"},
               .handler = [this](const Request& r) { return IssueWarning(r); }});
  router_.Add({.method = "POST",
               .pattern = "/api/v1/warnings/{id+}/update",
               .access = Access::kAct,
               .summary = "Change a warning's level by hand, as `vigil warnings update`: body "
                          "{\"level\": \"red\", \"reason\": \"...\", \"until\": \"+6h\" "
                          "(optional)}",
               .body_types = {"application/json"},
               .handler = [this](const Request& r) {
                 return ChangeWarning(r, warn::ActionKind::kUpdate, "update");
               }});
  router_.Add({.method = "POST",
               .pattern = "/api/v1/warnings/{id+}/cancel",
               .access = Access::kAct,
               .summary = "Cancel a warning by hand, as `vigil warnings cancel`: body "
                          "{\"reason\": \"...\"}",
               .body_types = {"application/json"},
               .handler = [this](const Request& r) {
                 return ChangeWarning(r, warn::ActionKind::kCancel, "cancel");
               }});
}

Response Api::ListWarnings(const Request& request) {
  Result<WarningFilter> filter = FilterOf(request, context_.catalogue);
  if (!filter.ok()) {
    return ErrorResponse(filter.status());
  }
  std::lock_guard lock(mutex_);
  if (Status refreshed = context_.stage.Refresh(); !refreshed.ok()) {
    return ErrorResponse(refreshed);
  }
  std::vector<const warn::Warning*> list;
  for (const warn::Warning* w : vigil::ListWarnings(context_.stage.state(), true)) {
    if (filter->Matches(*w, context_.catalogue) &&
        request.principal->Covers(context_.catalogue, w->key.domain, w->key.region)) {
      list.push_back(w);
    }
  }
  return JsonResponse(WarningListJson(list));
}

Response Api::ShowWarning(const Request& request) {
  const auto key = KeyInJurisdiction(request, context_.catalogue, request.Param("id"));
  if (const Response* refused = std::get_if<Response>(&key)) {
    return *refused;
  }
  std::lock_guard lock(mutex_);
  Result<WarningTimeline> timeline = ReadWarningTimeline(context_.store, request.Param("id"));
  if (!timeline.ok()) {
    return ErrorResponse(timeline.status());
  }
  return JsonResponse(WarningTimelineJson(timeline->warning, timeline->events));
}

Response Api::IssueWarning(const Request& request) {
  Result<nlohmann::json> body = JsonObjectBody(request.body);
  if (!body.ok()) {
    return ErrorResponse(body.status());
  }
  Result<std::string> key_text = StringField(*body, "key", true);
  if (!key_text.ok()) {
    return ErrorResponse(key_text.status());
  }
  const auto key = KeyInJurisdiction(request, context_.catalogue, *key_text);
  if (const Response* refused = std::get_if<Response>(&key)) {
    return *refused;
  }
  Result<warn::OperatorAction> action = ActionOf(
      request, warn::ActionKind::kIssue, std::get<warn::WarningKey>(key), context_.clock.Now());
  if (!action.ok()) {
    return ErrorResponse(action.status());
  }
  return CommitAction(request, *action, "issue", *key_text);
}

Response Api::ChangeWarning(const Request& request, warn::ActionKind kind, std::string_view what) {
  const auto key = KeyInJurisdiction(request, context_.catalogue, request.Param("id"));
  if (const Response* refused = std::get_if<Response>(&key)) {
    return *refused;
  }
  Result<warn::OperatorAction> action =
      ActionOf(request, kind, std::get<warn::WarningKey>(key), context_.clock.Now());
  if (!action.ok()) {
    return ErrorResponse(action.status());
  }
  return CommitAction(request, *action, what, request.Param("id"));
}

Response Api::CommitAction(const Request& request, const warn::OperatorAction& action,
                           std::string_view what, const std::string& target) {
  std::lock_guard lock(mutex_);
  Result<warn::StepResult> committed = CommitLocked(request, action, what, target);
  if (!committed.ok()) {
    return ErrorResponse(committed.status());
  }
  const std::string id = WarningIdOf(*committed);
  if (id.empty()) {
    return ErrorResponse(Internal(fmt::format("the {} was committed without an event", what)));
  }
  Result<WarningTimeline> timeline = ReadWarningTimeline(context_.store, id);
  if (!timeline.ok()) {
    return ErrorResponse(timeline.status());
  }
  return JsonResponse(WarningTimelineJson(timeline->warning, timeline->events));
}

Result<warn::StepResult> Api::CommitLocked(const Request& request, const warn::Input& input,
                                           std::string_view what, const std::string& target) {
  const Principal& caller = *request.principal;
  const Timestamp now = context_.clock.Now();
  VIGIL_ASSIGN_OR_RETURN(
      warn::StepResult committed,
      CommitWarningStep(context_.stage, context_.store, input,
                        {.origin = fmt::format("api {}", caller.Actor()), .arrived = now},
                        {.at = now,
                         .actor = caller.Actor(),
                         .action = fmt::format("warnings.{}", what),
                         .target = target,
                         .payload_digest = Sha256Hex(request.body)}));
  Republish(now);
  return committed;
}

void Api::Republish(Timestamp now) {
  if (auto published = PublishWarningLog(context_.store, context_.catalogue, context_.cap, now);
      !published.ok()) {
    LogError("publishing CAP after a write failed", {{"error", published.status().message()}});
  }
}

}  // namespace vigil::server
