// The dashboard's routes: its page and assets, public because they hold no
// data (the page's API calls carry the token), and who the calling token is,
// so that the page offers only what the token's role may do.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "server/api.h"
#include "server/static_files.h"

namespace vigil::server {
namespace {

// The types of what a Vite build writes; anything else is served as bytes.
std::string_view ContentType(const std::filesystem::path& file) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}};
  const std::string extension = file.extension().string();
  for (const auto& [ext, type] : kTypes) {
    if (extension == ext) {
      return type;
    }
  }
  return "application/octet-stream";
}

// The page reaches nothing but this server: no tiles, fonts or scripts from
// elsewhere. MapLibre runs its workers from blob: URLs.
constexpr std::string_view kPolicy =
    "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; worker-src blob:; "
    "child-src blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'";

Response DashboardFile(const std::filesystem::path& file, std::string_view cache_control) {
  Response r = ServeFile(file, ContentType(file),
                         fmt::format("dashboard file '{}' (is the dashboard built? see "
                                     "docs/DASHBOARD.md)",
                                     file.filename().string()));
  if (r.status == 200) {
    r.headers.emplace_back("Cache-Control", std::string(cache_control));
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Content-Security-Policy", std::string(kPolicy));
  }
  return r;
}

Response WhoAmI(const Request& request) {
  const Principal& caller = *request.principal;
  const nlohmann::json out = {{"id", caller.token.id},
                              {"name", caller.token.name},
                              {"role", RoleName(caller.role)},
                              {"regions", caller.token.regions},
                              {"domains", caller.token.domains},
                              {"may",
                               {{"read", RoleAllows(caller.role, Access::kRead)},
                                {"act", RoleAllows(caller.role, Access::kAct)},
                                {"ingest", RoleAllows(caller.role, Access::kIngest)},
                                {"admin", RoleAllows(caller.role, Access::kAdmin)}}}};
  return JsonResponse(out.dump(2) + "\n");
}

}  // namespace

void Api::AddDashboardRoutes() {
  router_.Add({.method = "GET",
               .pattern = "/",
               .access = Access::kPublic,
               .summary = "The dashboard's page (docs/DASHBOARD.md)",
               .response_type = "text/html",
               .handler = [this](const Request&) {
                 // Revalidated each time: it names the current build's assets.
                 return DashboardFile(context_.dashboard / "index.html", "no-cache");
               }});
  router_.Add({.method = "GET",
               .pattern = "/assets/{file}",
               .access = Access::kPublic,
               .summary = "The dashboard's scripts and styles, named by their content's hash",
               .response_type = "application/octet-stream",
               .handler = [this](const Request& r) {
                 const std::string file = r.Param("file");
                 if (!SafeFileName(file)) {
                   return ErrorResponse(404, "not_found",
                                        fmt::format("no dashboard file '{}'", file));
                 }
                 // A changed asset gets a new name, so a cached one never goes stale.
                 return DashboardFile(context_.dashboard / "assets" / file,
                                      "public, max-age=31536000, immutable");
               }});
  router_.Add({.method = "GET",
               .pattern = "/api/v1/whoami",
               .summary = "The calling token: its name, role and jurisdiction, and what the "
                          "role may do",
               .handler = [](const Request& r) { return WhoAmI(r); }});
}

}  // namespace vigil::server
