// HTTP URLs as the catalogue writes them (webhook and Alertmanager targets),
// split into the parts an HTTP client needs. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

struct HttpUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // a name, an IPv4 address or a bracketed IPv6 address
  int port = 0;        // as written, or 80 / 443 by scheme
  std::string target;  // the path and query, "/" when the URL has neither

  // "scheme://host:port", what an HTTP client connects to.
  std::string Origin() const;
};

// Parses an absolute http:// or https:// URL. InvalidArgument, with a message
// that says what is wrong, for another scheme, a missing host, a bad port,
// credentials (user:password@; secrets never belong in the catalogue), a
// fragment, or spaces and control characters.
Result<HttpUrl> ParseHttpUrl(std::string_view text);

}  // namespace vigil
