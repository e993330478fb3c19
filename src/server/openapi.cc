#include "server/openapi.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace vigil::server {
namespace {

using nlohmann::json;

const Role kRoles[] = {Role::kViewer, Role::kOperator, Role::kIngest, Role::kAdmin};

struct PathParam {
  std::string name;
  bool greedy = false;
};

// The OpenAPI path of a pattern, and its parameters.
std::pair<std::string, std::vector<PathParam>> OpenApiPath(std::string_view pattern) {
  std::string path;
  std::vector<PathParam> params;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      path += pattern[i];
      continue;
    }
    const size_t close = pattern.find('}', i);
    std::string name(pattern.substr(i + 1, close - i - 1));
    const bool greedy = name.ends_with('+');
    if (greedy) {
      name.pop_back();
    }
    path += "{" + name + "}";
    params.push_back({name, greedy});
    i = close;
  }
  return {path, params};
}

json Roles(Access access) {
  json roles = json::array();
  for (const Role role : kRoles) {
    if (RoleAllows(role, access)) {
      roles.push_back(RoleName(role));
    }
  }
  return roles;
}

json ErrorReply(std::string_view description) {
  return {
      {"description", description},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

json Operation(const Route& route, const std::vector<PathParam>& path_params) {
  json op = {
      {"summary", route.summary},
      {"operationId", fmt::format("{} {}", route.method, route.pattern)},
      {"parameters", json::array()},
      {"responses",
       {{"200", {{"description", "OK"}, {"content", {{route.response_type, json::object()}}}}},
        {"400", ErrorReply("Malformed request")}}}};
  for (const PathParam& p : path_params) {
    op["parameters"].push_back(
        {{"name", p.name},
         {"in", "path"},
         {"required", true},
         {"schema", {{"type", "string"}}},
         {"description", p.greedy ? "may hold '/', as is or written %2F" : ""}});
  }
  for (const QueryParam& q : route.query) {
    op["parameters"].push_back({{"name", q.name},
                                {"in", "query"},
                                {"required", false},
                                {"schema", {{"type", "string"}}},
                                {"description", q.description}});
  }
  json& responses = op["responses"];
  if (route.access == Access::kPublic) {
    op["security"] = json::array();
  } else {
    op["x-vigil-roles"] = Roles(route.access);
    responses["401"] = ErrorReply("No token, or a malformed, unknown, expired or revoked one");
    responses["403"] = ErrorReply("The token's role or jurisdiction does not allow this");
  }
  if (!path_params.empty()) {
    responses["404"] = ErrorReply("Not found");
  }
  if (!route.body_types.empty()) {
    json content = json::object();
    for (const std::string& type : route.body_types) {
      content[type] = json::object();
    }
    op["requestBody"] = {{"required", false}, {"content", content}};
    responses["413"] = ErrorReply("Body too large");
    responses["415"] = ErrorReply("Body of a type the route does not take");
  }
  return op;
}

}  // namespace

std::string OpenApiJson(const std::vector<Route>& routes, std::string_view title,
                        std::string_view version) {
  json doc = {
      {"openapi", "3.0.3"},
      {"info", {{"title", title}, {"version", version}}},
      {"paths", json::object()},
      {"security", json::array({{{"bearer", json::array()}}})},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", {"error"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"required", {"code", "message"}},
                {"properties",
                 {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}}}}}}};
  for (const Route& route : routes) {
    const auto [path, params] = OpenApiPath(route.pattern);
    std::string method = route.method;
    std::ranges::transform(method, method.begin(), [](unsigned char c) { return std::tolower(c); });
    doc["paths"][path][method] = Operation(route, params);
  }
  return doc.dump(2) + "\n";
}

}  // namespace vigil::server
