// The warning routes of the API: the list with its filters, one warning with
// its timeline and evidence, and acknowledgement.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <variant>

#include "core/digest.h"
#include "core/log.h"
#include "engine/warning_json.h"
#include "engine/warning_ops.h"
#include "server/api.h"

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

// The warning key an {id} names, if the caller's jurisdiction covers it;
// otherwise the answer to give.
std::variant<warn::WarningKey, Response> KeyInJurisdiction(const Request& r,
                                                           const Catalogue& catalogue) {
  Result<warn::WarningKey> key = ParseWarningKey(r.Param("id"));
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

// What an acknowledgement may carry: {"reason": "..."}, or nothing.
Result<std::string> ReasonOf(const std::string& body) {
  if (body.empty()) {
    return std::string();
  }
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_object() || (parsed.contains("reason") && !parsed["reason"].is_string())) {
    return InvalidArgument(R"(the body must be a JSON object such as {"reason": "..."})");
  }
  return parsed.value("reason", "");
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
               .handler = [this](const Request& r) { return Acknowledge(r); }});
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
  const auto key = KeyInJurisdiction(request, context_.catalogue);
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

Response Api::Acknowledge(const Request& request) {
  const auto key = KeyInJurisdiction(request, context_.catalogue);
  if (const Response* refused = std::get_if<Response>(&key)) {
    return *refused;
  }
  Result<std::string> reason = ReasonOf(request.body);
  if (!reason.ok()) {
    return ErrorResponse(reason.status());
  }
  const Principal& caller = *request.principal;
  std::lock_guard lock(mutex_);
  const Timestamp now = context_.clock.Now();
  const warn::OperatorAction action{.kind = warn::ActionKind::kAcknowledge,
                                    .actor = caller.token.name,
                                    .reason = *reason,
                                    .key = std::get<warn::WarningKey>(key)};
  Result<warn::StepResult> committed =
      CommitWarningStep(context_.stage, context_.store, action,
                        {.origin = fmt::format("api {}", caller.Actor()), .arrived = now},
                        {.at = now,
                         .actor = caller.Actor(),
                         .action = "warnings.ack",
                         .target = request.Param("id"),
                         .payload_digest = Sha256Hex(request.body)});
  if (!committed.ok()) {
    return ErrorResponse(committed.status());
  }
  // The acknowledgement stands once committed; a CAP file that could not be
  // written is the next publication's to write.
  if (auto published = PublishWarningLog(context_.store, context_.catalogue, context_.cap, now);
      !published.ok()) {
    LogError("publishing CAP after an acknowledgement failed",
             {{"error", published.status().message()}});
  }
  const std::string id = WarningIdOf(*committed);
  if (id.empty()) {
    return ErrorResponse(Internal("the acknowledgement was committed without an event"));
  }
  Result<WarningTimeline> timeline = ReadWarningTimeline(context_.store, id);
  if (!timeline.ok()) {
    return ErrorResponse(timeline.status());
  }
  return JsonResponse(WarningTimelineJson(timeline->warning, timeline->events));
}

}  // namespace vigil::server
