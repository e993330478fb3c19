// Requests, responses and the route table of the HTTP API, free of any HTTP
// library: the server (http_server.h) parses bytes into a Request, the
// Router finds the route, checks who is calling and runs its handler.
//
// Dispatch, in order: no route for the path 404; no route for the method
// 405; a route that is not public wants "Authorization: Bearer <token>" (401
// when it is missing, malformed, unknown, expired or revoked) whose role
// allows the route (403); a body must be of a type the route accepts (415).
// Errors are JSON: {"error": {"code": "...", "message": "..."}}.
//
// Thread safety: a Router is built once, then Dispatch may run on any thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "server/auth.h"

namespace vigil::server {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // as received, still percent-encoded; without the query
  std::map<std::string, std::string> query;    // decoded
  std::map<std::string, std::string> headers;  // names in lowercase
  std::string body;
  // Filled in by Dispatch: the route's path parameters (decoded), its
  // pattern and, for a route that is not public, who is calling.
  std::map<std::string, std::string> params;
  std::optional<Principal> principal;
  std::string route;  // the pattern of the route that matched; "" when none did

  std::string Header(std::string_view lowercase_name) const;
  std::string Param(std::string_view name) const;
  std::string Query(std::string_view name) const;  // "" when absent
};

// The body of a response written over time, as its chunks come (the event
// stream): the server sends the head, then asks for chunk after chunk until
// the stream ends or the connection closes.
//
// Thread safety: Next and Close may be called from any thread.
class ResponseStream {
 public:
  // Receives the next chunk, or nullopt when the stream has ended.
  using Sink = std::function<void(std::optional<std::string> chunk)>;
  virtual ~ResponseStream() = default;
  // Asks for the next chunk: `sink` is called once, on any thread, at once
  // or when the chunk is there; unless Close comes first. One Next at a time.
  virtual void Next(Sink sink) = 0;
  // The connection is gone: a pending sink is dropped uncalled. Idempotent.
  virtual void Close() = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond type and length
  // When set, the body is this stream, not `body`.
  std::shared_ptr<ResponseStream> stream;
};

// A JSON error body with `status`; `code` is a stable word for programs
// ("not_found"), `message` a sentence for people.
Response ErrorResponse(int status, std::string_view code, std::string_view message);
// The HTTP status and error code a Status maps to: InvalidArgument 400,
// NotFound 404, AlreadyExists and FailedPrecondition 409, Unavailable 503,
// the rest 500.
Response ErrorResponse(const Status& status);
// The media type of a Content-Type header, lowercase, without parameters:
// "text/csv; charset=utf-8" is "text/csv".
std::string MediaType(std::string_view content_type);

// `body` as a 200 JSON response.
Response JsonResponse(std::string body);

using Handler = std::function<Response(const Request&)>;

// A parameter of the query string, for the API's description.
struct QueryParam {
  std::string name;
  std::string description;
};

struct Route {
  std::string method;
  // Segments are literals or parameters: "{name}" takes one segment,
  // "{name+}" one or more (a warning id holds slashes), and a parameter may
  // carry a literal suffix ("{identifier}.xml").
  std::string pattern;
  Access access = Access::kRead;
  std::string summary;
  std::vector<QueryParam> query;
  std::vector<std::string> body_types;  // accepted Content-Types of a body; empty: none taken
  std::string response_type = "application/json";
  Handler handler;
};

// Checks a bearer token; the store behind it may fail.
using Authenticator = std::function<Result<Authentication>(std::string_view token)>;
// Admits an authorised caller, or answers for it (429 when over its rate).
using Admission = std::function<std::optional<Response>(const Principal& caller)>;

class Router {
 public:
  void Add(Route route);
  const std::vector<Route>& routes() const { return routes_; }

  // Finds the route of `request`, authenticates and authorises its caller,
  // admits it (when `admit` is given), and runs the handler; or answers with
  // the error the header describes.
  Response Dispatch(Request& request, const Authenticator& authenticate,
                    const Admission& admit = nullptr) const;

 private:
  std::vector<Route> routes_;
};

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, as query
// strings write it). InvalidArgument for a malformed escape.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space = false);

// Splits "a=1&b=two" into decoded names and values.
Result<std::map<std::string, std::string>> ParseQuery(std::string_view query);

}  // namespace vigil::server
