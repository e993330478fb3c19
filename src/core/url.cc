#include "core/url.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace vigil {
namespace {

Status Bad(std::string_view text, std::string_view why) {
  return InvalidArgument(fmt::format("'{}' is not a valid URL: {}", text, why));
}

// Splits "host[:port]" (host possibly "[v6]"); returns what is wrong, or "".
std::string_view SplitAuthority(std::string_view authority, std::string_view& host, int& port) {
  size_t host_end = std::min(authority.find(':'), authority.size());
  if (authority.starts_with('[')) {
    host_end = authority.find(']');
    if (host_end == std::string_view::npos) {
      return "an IPv6 address must end with ']'";
    }
    ++host_end;
  }
  host = authority.substr(0, host_end);
  std::string_view rest = authority.substr(host_end);
  if (host.empty() || host == "[]") {
    return "it has no host";
  }
  if (rest.empty()) {
    return "";
  }
  rest.remove_prefix(rest.starts_with(':') ? 1 : 0);
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), port);
  const bool ok =
      ec == std::errc() && end == rest.data() + rest.size() && port >= 1 && port <= 65535;
  return ok ? "" : "the port must be a number from 1 to 65535";
}

}  // namespace

std::string HttpUrl::Origin() const { return fmt::format("{}://{}:{}", scheme, host, port); }

Result<HttpUrl> ParseHttpUrl(std::string_view text) {
  HttpUrl url;
  std::string_view rest = text;
  if (rest.starts_with("http://")) {
    url.scheme = "http";
    url.port = 80;
  } else if (rest.starts_with("https://")) {
    url.scheme = "https";
    url.port = 443;
  } else {
    return Bad(text, "it must start with http:// or https://");
  }
  rest.remove_prefix(url.scheme.size() + 3);
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; })) {
    return Bad(text, "it contains spaces or control characters");
  }
  if (text.find('#') != std::string_view::npos) {
    return Bad(text, "a fragment (#...) is never sent to the server");
  }
  const size_t authority_end = std::min(rest.find_first_of("/?"), rest.size());
  const std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return Bad(text, "credentials (user@) must not be written in it");
  }
  std::string_view host;
  if (std::string_view error = SplitAuthority(authority, host, url.port); !error.empty()) {
    return Bad(text, error);
  }
  url.host = host;
  const std::string_view target = rest.substr(authority_end);
  url.target = target.starts_with('/') ? std::string(target) : "/" + std::string(target);
  return url;
}

}  // namespace vigil
