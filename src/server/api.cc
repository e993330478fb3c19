#include "server/api.h"

#include <nlohmann/json.hpp>

#include "server/openapi.h"

namespace vigil::server {
namespace {

using nlohmann::json;

// A region's geometry as JSON; null when it has none. The loader checked it.
json Geometry(const Region& region) {
  return region.geometry_geojson.empty() ? json(nullptr)
                                         : json::parse(region.geometry_geojson, nullptr, false);
}

json RegionJson(const Region& r) {
  json out = {{"code", r.code}, {"name", r.name}, {"geometry", Geometry(r)}};
  out["parent"] = r.parent.empty() ? json(nullptr) : json(r.parent);
  out["population"] = r.population ? json(*r.population) : json(nullptr);
  return out;
}

json IndicatorJson(const Indicator& i) {
  return {{"id", i.id},
          {"name", i.name},
          {"domain", i.domain},
          {"unit", i.unit},
          {"frequency", FrequencyName(i.frequency)},
          {"direction", DirectionName(i.direction)},
          {"value_kind", ValueKindName(i.value_kind)},
          {"policy", i.policy}};
}

}  // namespace

Api::Api(ApiContext context)
    : context_(std::move(context)),
      events_({.read =
                   [this](std::int64_t after, std::int64_t limit) {
                     std::lock_guard lock(mutex_);
                     return context_.store.ReadWarningEvents({.after_seq = after, .limit = limit});
                   },
               .last_seq =
                   [this] {
                     std::lock_guard lock(mutex_);
                     return context_.store.LastWarningEventSeq();
                   }}) {
  AddMetaRoutes();
  AddIngestRoutes();
  AddSeriesRoutes();
  AddWarningRoutes();
  AddSilenceRoutes();
  AddAdminRoutes();
  AddCapRoutes();
  AddEventRoutes();
  AddMetricsRoute();
  AddDashboardRoutes();
}

Response Api::Handle(Request& request) {
  const metrics::Stopwatch watch;
  Admission admit;
  if (context_.rate_limiter != nullptr) {
    admit = [limiter = context_.rate_limiter](const Principal& caller) {
      return limiter->Admit(caller);
    };
  }
  Response response = router_.Dispatch(
      request,
      [this](std::string_view token) {
        std::lock_guard lock(mutex_);
        return Authenticate(context_.store, token, context_.clock.Now());
      },
      admit);
  CountRequest(request, response, watch.Seconds());
  return response;
}

void Api::AddMetaRoutes() {
  router_.Add({.method = "GET",
               .pattern = "/healthz",
               .access = Access::kPublic,
               .summary = "Liveness: the process answers",
               .handler = [](const Request&) { return JsonResponse(R"({"status":"ok"})"); }});
  router_.Add({.method = "GET",
               .pattern = "/readyz",
               .access = Access::kPublic,
               .summary = "Readiness: the store answers",
               .handler = [this](const Request&) { return Ready(); }});
  router_.Add({.method = "GET",
               .pattern = "/api/v1/openapi.json",
               .access = Access::kPublic,
               .summary = "This API's OpenAPI 3 description, generated from its route table",
               .handler = [this](const Request&) {
                 return JsonResponse(OpenApiJson(router_.routes(), "Vigil API", "v1"));
               }});
  router_.Add({.method = "GET",
               .pattern = "/api/v1/catalogue",
               .summary = "Domains, regions with their geometry, and indicators, within the "
                          "token's jurisdiction",
               .handler = [this](const Request& r) { return CatalogueJson(r); }});
}

Response Api::Ready() {
  std::lock_guard lock(mutex_);
  const Result<std::int64_t> last = context_.store.LastWarningEventSeq();
  if (!last.ok()) {
    return ErrorResponse(503, "unavailable", last.status().message());
  }
  return JsonResponse(R"({"status":"ready"})");
}

Response Api::CatalogueJson(const Request& request) const {
  const Catalogue& catalogue = context_.catalogue;
  const Principal& caller = *request.principal;
  json out = {{"workspace", catalogue.info().name},
              {"domains", json::array()},
              {"regions", json::array()},
              {"indicators", json::array()}};
  for (const Domain& d : catalogue.domains()) {
    if (caller.CoversDomain(d.id)) {
      out["domains"].push_back({{"id", d.id}, {"name", d.name}, {"cap_category", d.cap_category}});
    }
  }
  for (const Region& r : catalogue.regions()) {
    if (caller.CoversRegion(catalogue, r.code)) {
      out["regions"].push_back(RegionJson(r));
    }
  }
  for (const Indicator& i : catalogue.indicators()) {
    if (caller.CoversDomain(i.domain)) {
      out["indicators"].push_back(IndicatorJson(i));
    }
  }
  return JsonResponse(out.dump(2) + "\n");
}

}  // namespace vigil::server
