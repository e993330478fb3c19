// The API's routes over silences (list, create, end, as `vigil warnings
// silences/silence/unsilence`), the catalogue's agencies, and the escalation
// state of the active warnings. A silence or agency is a token's when its
// jurisdiction covers it; others are filtered out of lists and refused.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "engine/warning_json.h"
#include "engine/warning_ops.h"
#include "server/api.h"
#include "server/api_body.h"

namespace vigil::server {
namespace {

using nlohmann::json;

// A silence matcher left empty matches anything, so only a token without
// restriction on that side covers it.
bool CoversSilence(const Principal& caller, const Catalogue& catalogue, const warn::Silence& s) {
  return caller.Covers(catalogue, s.domain, s.region);
}

// Whether the agency's area and the token's overlap: one's regions within
// the other's, and a domain in common (no domains: every one).
bool Overlaps(const Principal& caller, const Catalogue& catalogue, const Agency& agency) {
  const std::vector<std::string>& domains = caller.token.domains;
  const bool domain = agency.domains.empty() || domains.empty() ||
                      std::ranges::any_of(agency.domains, [&](const std::string& d) {
                        return std::ranges::find(domains, d) != domains.end();
                      });
  const bool region = caller.token.regions.empty() ||
                      std::ranges::any_of(agency.regions, [&](const std::string& a) {
                        return std::ranges::any_of(caller.token.regions, [&](const std::string& t) {
                          return catalogue.IsWithin(a, t) || catalogue.IsWithin(t, a);
                        });
                      });
  return domain && region;
}

json AgencyJson(const Agency& agency) {
  json channels = json::array();
  for (const AgencyChannel& c : agency.channels) {
    // The signing secret stays in the environment; only whether there is one.
    channels.push_back({{"kind", c.kind}, {"target", c.target}, {"signed", !c.secret_env.empty()}});
  }
  return {{"id", agency.id},
          {"name", agency.name},
          {"regions", agency.regions},
          {"domains", agency.domains},
          {"escalate_to", agency.escalate_to.empty() ? json(nullptr) : json(agency.escalate_to)},
          {"channels", channels}};
}

json EscalationJson(const warn::Warning& w) {
  return {{"id", w.id},
          {"level", LevelColour(w.level)},
          {"agency", w.agency},
          {"tier", w.tier},
          {"escalated_to", w.escalated.empty() ? json(nullptr) : json(w.escalated)},
          {"acknowledged", w.acknowledged},
          {"acknowledged_by", w.acknowledged_by},
          {"next_deadline", w.ack_deadline ? json(FormatRfc3339(*w.ack_deadline)) : json(nullptr)},
          {"held", w.held}};
}

std::string OneSilenceJson(const warn::Silence& silence) {
  return json::parse(SilenceListJson({&silence}))[0].dump(2) + "\n";
}

}  // namespace

void Api::AddSilenceRoutes() {
  router_.Add({.method = "GET",
               .pattern = "/api/v1/silences",
               .summary = "The active silences within the token's jurisdiction, as `vigil "
                          "warnings silences --json`",
               .handler = [this](const Request& r) { return ListSilences(r); }});
  router_.Add({.method = "POST",
               .pattern = "/api/v1/silences",
               .access = Access::kAct,
               .summary = "Hold notifications of matching warnings until a time, as `vigil "
                          "warnings silence`: body {\"domain\", \"region\", \"hazard\" (each "
                          "optional: any), \"until\": \"+6h\" or RFC 3339, \"reason\"}",
               .body_types = {"application/json"},
               .handler = [this](const Request& r) { return CreateSilence(r); }});
  router_.Add({.method = "DELETE",
               .pattern = "/api/v1/silences/{silence}",
               .access = Access::kAct,
               .summary = "End a silence now, as `vigil warnings unsilence`",
               .query = {{"reason", "why (required)"}},
               .handler = [this](const Request& r) { return DeleteSilence(r); }});
}

void Api::AddAdminRoutes() {
  router_.Add({.method = "GET",
               .pattern = "/api/v1/agencies",
               .summary = "The catalogue's agencies whose area overlaps the token's jurisdiction: "
                          "regions, domains, escalation and channels (without secrets)",
               .handler = [this](const Request& r) { return Agencies(r); }});
  router_.Add({.method = "GET",
               .pattern = "/api/v1/escalations",
               .summary = "The escalation state of the active warnings within the token's "
                          "jurisdiction: agency, tier, acknowledgement and the next deadline",
               .handler = [this](const Request& r) { return Escalations(r); }});
}

Response Api::ListSilences(const Request& request) {
  std::lock_guard lock(mutex_);
  if (Status refreshed = context_.stage.Refresh(); !refreshed.ok()) {
    return ErrorResponse(refreshed);
  }
  std::vector<const warn::Silence*> silences;
  for (const auto& [id, s] : context_.stage.state().silences) {
    if (CoversSilence(*request.principal, context_.catalogue, s)) {
      silences.push_back(&s);
    }
  }
  return JsonResponse(SilenceListJson(silences));
}

Response Api::CreateSilence(const Request& request) {
  Result<json> body = JsonObjectBody(request.body);
  if (!body.ok()) {
    return ErrorResponse(body.status());
  }
  warn::OperatorAction action{.kind = warn::ActionKind::kSilence,
                              .actor = request.principal->token.name};
  Status parsed = [&]() -> Status {
    VIGIL_ASSIGN_OR_RETURN(action.silence.domain, StringField(*body, "domain", false));
    VIGIL_ASSIGN_OR_RETURN(action.silence.region, StringField(*body, "region", false));
    VIGIL_ASSIGN_OR_RETURN(action.silence.hazard, StringField(*body, "hazard", false));
    VIGIL_ASSIGN_OR_RETURN(action.reason, StringField(*body, "reason", false));
    VIGIL_ASSIGN_OR_RETURN(action.until, TimeField(*body, "until", context_.clock.Now(), true));
    return Status::Ok();
  }();
  if (!parsed.ok()) {
    return ErrorResponse(parsed);
  }
  const warn::Silence& s = action.silence;
  if (!CoversSilence(*request.principal, context_.catalogue, s)) {
    return ErrorResponse(403, "forbidden",
                         fmt::format("token {} may only silence within its jurisdiction: name its "
                                     "domain and a region it covers",
                                     request.principal->token.id));
  }
  auto any = [](const std::string& m) { return m.empty() ? std::string("*") : m; };
  const std::string target = fmt::format("{}/{}/{}", any(s.domain), any(s.region), any(s.hazard));
  std::lock_guard lock(mutex_);
  Result<warn::StepResult> committed = CommitLocked(request, action, "silence", target);
  if (!committed.ok()) {
    return ErrorResponse(committed.status());
  }
  for (const warn::Event& e : committed->events) {
    if (e.kind == warn::EventKind::kSilenceCreated) {
      Response created = JsonResponse(OneSilenceJson(e.silence));
      created.status = 201;
      return created;
    }
  }
  return ErrorResponse(Internal("the silence was committed without an event"));
}

Response Api::DeleteSilence(const Request& request) {
  const std::string id = request.Param("silence");
  std::lock_guard lock(mutex_);
  if (Status refreshed = context_.stage.Refresh(); !refreshed.ok()) {
    return ErrorResponse(refreshed);
  }
  const auto& silences = context_.stage.state().silences;
  const auto found = silences.find(id);
  if (found == silences.end()) {
    return ErrorResponse(404, "not_found", fmt::format("no active silence '{}'", id));
  }
  if (!CoversSilence(*request.principal, context_.catalogue, found->second)) {
    return ErrorResponse(
        403, "forbidden",
        fmt::format("token {} does not cover silence {}", request.principal->token.id, id));
  }
  const warn::Silence ended = found->second;
  warn::OperatorAction action{.kind = warn::ActionKind::kExpireSilence,
                              .actor = request.principal->token.name,
                              .reason = request.Query("reason")};
  action.silence.id = id;
  Result<warn::StepResult> committed = CommitLocked(request, action, "unsilence", id);
  if (!committed.ok()) {
    return ErrorResponse(committed.status());
  }
  return JsonResponse(OneSilenceJson(ended));
}

Response Api::Agencies(const Request& request) const {
  json out = json::array();
  for (const Agency& agency : context_.catalogue.agencies()) {
    if (Overlaps(*request.principal, context_.catalogue, agency)) {
      out.push_back(AgencyJson(agency));
    }
  }
  return JsonResponse(out.dump(2) + "\n");
}

Response Api::Escalations(const Request& request) {
  json out = json::array();
  std::lock_guard lock(mutex_);
  if (Status refreshed = context_.stage.Refresh(); !refreshed.ok()) {
    return ErrorResponse(refreshed);
  }
  for (const warn::Warning* w : vigil::ListWarnings(context_.stage.state(), false)) {
    if (request.principal->Covers(context_.catalogue, w->key.domain, w->key.region)) {
      out.push_back(EscalationJson(*w));
    }
  }
  return JsonResponse(out.dump(2) + "\n");
}

}  // namespace vigil::server
