// The OpenAPI 3.0 description of a route table, generated from it so that it
// lists every route: per route its path and query parameters, whether it
// needs a bearer token and which roles may call it, the body types it takes
// and the responses it can give.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/router.h"

namespace vigil::server {

// The document as JSON text. A "{name+}" parameter appears as "{name}".
std::string OpenApiJson(const std::vector<Route>& routes, std::string_view title,
                        std::string_view version);

}  // namespace vigil::server
