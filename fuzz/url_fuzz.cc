// Fuzzes the URL parser that checks webhook, Alertmanager and CAP targets. An
// accepted URL's origin and target must parse again to the same parts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  vigil::Result<vigil::HttpUrl> url = vigil::ParseHttpUrl(text);
  if (!url.ok()) {
    return 0;
  }
  vigil::Result<vigil::HttpUrl> again = vigil::ParseHttpUrl(url->Origin() + url->target);
  if (!again.ok() || again->scheme != url->scheme || again->host != url->host ||
      again->port != url->port || again->target != url->target) {
    __builtin_trap();
  }
  return 0;
}
