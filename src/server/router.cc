#include "server/router.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <variant>

namespace vigil::server {
namespace {

// One segment of a route pattern: a literal, or a parameter with a suffix.
struct Segment {
  std::string literal;
  std::string param;  // empty for a literal
  bool greedy = false;
  std::string suffix;
};

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.starts_with('/')) {
    path.remove_prefix(1);
  }
  while (true) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      return segments;
    }
    path.remove_prefix(slash + 1);
  }
}

std::vector<Segment> ParsePattern(std::string_view pattern) {
  std::vector<Segment> segments;
  for (const std::string_view text : Split(pattern)) {
    Segment s;
    const size_t close = text.find('}');
    if (!text.starts_with('{') || close == std::string_view::npos) {
      s.literal = text;
    } else {
      s.param = text.substr(1, close - 1);
      s.suffix = text.substr(close + 1);
      s.greedy = s.param.ends_with('+');
      if (s.greedy) {
        s.param.pop_back();
      }
    }
    segments.push_back(std::move(s));
  }
  return segments;
}

using Params = std::map<std::string, std::string>;

// Whether path[j..] matches pattern[i..], collecting raw parameter values. A
// greedy parameter tries the shortest span first.
bool MatchFrom(const std::vector<Segment>& pattern, size_t i,
               const std::vector<std::string_view>& path, size_t j, Params& params) {
  if (i == pattern.size()) {
    return j == path.size();
  }
  const Segment& p = pattern[i];
  if (p.param.empty()) {
    return j < path.size() && path[j] == p.literal &&
           MatchFrom(pattern, i + 1, path, j + 1, params);
  }
  const size_t most = p.greedy ? path.size() - j : std::min<size_t>(1, path.size() - j);
  std::string joined;
  for (size_t take = 1; take <= most; ++take) {
    joined += (take > 1 ? "/" : "") + std::string(path[j + take - 1]);
    if (joined.size() <= p.suffix.size() || !joined.ends_with(p.suffix) ||
        path[j + take - 1].empty()) {
      continue;
    }
    if (MatchFrom(pattern, i + 1, path, j + take, params)) {
      params[p.param] = joined.substr(0, joined.size() - p.suffix.size());
      return true;
    }
  }
  return false;
}

std::string Lowercase(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "application/json; charset=utf-8" -> "application/json".
Response Unauthorized(std::string_view message) {
  Response r = ErrorResponse(401, "unauthorized", message);
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

// Who calls, as the Authorization header says: the principal, or the answer
// to give instead.
std::variant<Principal, Response> Authorise(const Request& request, const Route& route,
                                            const Authenticator& authenticate) {
  const std::string header = request.Header("authorization");
  if (header.empty()) {
    return Unauthorized("this route needs a token: send Authorization: Bearer <token>");
  }
  if (header.size() < 7 || Lowercase(header.substr(0, 7)) != "bearer ") {
    return Unauthorized("the Authorization header must be 'Bearer <token>'");
  }
  Result<Authentication> authenticated = authenticate(header.substr(7));
  if (!authenticated.ok()) {
    return ErrorResponse(authenticated.status());
  }
  if (!authenticated->principal) {
    return Unauthorized(authenticated->refusal);
  }
  const Principal& principal = *authenticated->principal;
  if (!RoleAllows(principal.role, route.access)) {
    return ErrorResponse(
        403, "forbidden",
        fmt::format("the role {} of token {} does not allow {} {}", RoleName(principal.role),
                    principal.token.id, request.method, request.path));
  }
  return principal;
}

}  // namespace

std::string Request::Header(std::string_view lowercase_name) const {
  const auto it = headers.find(std::string(lowercase_name));
  return it == headers.end() ? "" : it->second;
}

std::string Request::Param(std::string_view name) const {
  const auto it = params.find(std::string(name));
  return it == params.end() ? "" : it->second;
}

std::string Request::Query(std::string_view name) const {
  const auto it = query.find(std::string(name));
  return it == query.end() ? "" : it->second;
}

std::string MediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') {
    type.remove_suffix(1);
  }
  return Lowercase(type);
}

Response ErrorResponse(int status, std::string_view code, std::string_view message) {
  const nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  // A message may quote the client's bytes (its path), which need not be
  // UTF-8: those are replaced rather than thrown on.
  return {.status = status,
          .body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"};
}

Response ErrorResponse(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return ErrorResponse(400, "bad_request", status.message());
    case StatusCode::kNotFound:
      return ErrorResponse(404, "not_found", status.message());
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return ErrorResponse(409, "conflict", status.message());
    case StatusCode::kUnavailable:
    case StatusCode::kIoError:
      return ErrorResponse(503, "unavailable", status.message());
    default:
      return ErrorResponse(500, "internal", status.message());
  }
}

Response JsonResponse(std::string body) { return {.body = std::move(body)}; }

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

Response Router::Dispatch(Request& request, const Authenticator& authenticate,
                          const Admission& admit) const {
  const std::vector<std::string_view> path = Split(request.path);
  const Route* route = nullptr;
  std::vector<std::string> allowed;
  Params raw;
  for (const Route& r : routes_) {
    Params params;
    if (!MatchFrom(ParsePattern(r.pattern), 0, path, 0, params)) {
      continue;
    }
    allowed.push_back(r.method);
    if (route == nullptr && r.method == request.method) {
      route = &r;
      raw = std::move(params);
    }
  }
  if (allowed.empty()) {
    return ErrorResponse(404, "not_found", fmt::format("no route for {}", request.path));
  }
  if (route == nullptr) {
    Response r = ErrorResponse(405, "method_not_allowed",
                               fmt::format("{} takes {}", request.path, fmt::join(allowed, ", ")));
    r.headers.emplace_back("Allow", fmt::format("{}", fmt::join(allowed, ", ")));
    return r;
  }
  request.route = route->pattern;
  for (const auto& [name, value] : raw) {
    Result<std::string> decoded = PercentDecode(value);
    if (!decoded.ok()) {
      return ErrorResponse(400, "bad_request",
                           fmt::format("{}: {}", name, decoded.status().message()));
    }
    request.params[name] = std::move(decoded).value();
  }
  if (route->access != Access::kPublic) {
    std::variant<Principal, Response> caller = Authorise(request, *route, authenticate);
    if (Response* refused = std::get_if<Response>(&caller)) {
      return std::move(*refused);
    }
    request.principal = std::move(std::get<Principal>(caller));
    if (admit) {
      if (std::optional<Response> refused = admit(*request.principal)) {
        return std::move(*refused);
      }
    }
  }
  if (!request.body.empty() &&
      std::ranges::find(route->body_types, MediaType(request.Header("content-type"))) ==
          route->body_types.end()) {
    return ErrorResponse(415, "unsupported_media_type",
                         route->body_types.empty()
                             ? fmt::format("{} {} takes no body", request.method, request.path)
                             : fmt::format("{} {} takes a body of type {}", request.method,
                                           request.path, fmt::join(route->body_types, " or ")));
  }
  return route->handler(request);
}

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else if (i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      return InvalidArgument(fmt::format("malformed %-escape in '{}'", text));
    }
  }
  return out;
}

Result<std::map<std::string, std::string>> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    if (pair.empty()) {
      continue;
    }
    const size_t equals = pair.find('=');
    VIGIL_ASSIGN_OR_RETURN(std::string name, PercentDecode(pair.substr(0, equals), true));
    VIGIL_ASSIGN_OR_RETURN(
        std::string value,
        PercentDecode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true));
    out[std::move(name)] = std::move(value);
  }
  return out;
}

}  // namespace vigil::server
