// Internal to notify/: one HTTP POST through cpp-httplib, which no other
// header exposes.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "core/url.h"

namespace vigil::notify::internal {

struct HttpPostOptions {
  Duration connect_timeout;
  Duration io_timeout;  // each read and each write
  std::string ca_file;  // PEM CA bundle for https; empty: the system's
};

struct HttpResponse {
  int status = 0;
  std::string body;
};

// Posts `body` as application/json with `headers`; redirects are not followed.
// Unavailable, saying why, when no response arrived (connection refused,
// timeout, TLS failure or a certificate that does not verify).
Result<HttpResponse> HttpPost(const HttpUrl& url,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              std::string_view body, const HttpPostOptions& options);

}  // namespace vigil::notify::internal
