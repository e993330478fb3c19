// Fuzzes the warning log's event decoder, which reads events back from the
// store. A decoded event must encode to text that decodes to the same text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "warn/event_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  vigil::Result<vigil::warn::Event> event = vigil::warn::DecodeEvent(text);
  if (!event.ok()) {
    return 0;
  }
  const std::string encoded = vigil::warn::EncodeEvent(*event);
  vigil::Result<vigil::warn::Event> again = vigil::warn::DecodeEvent(encoded);
  if (!again.ok() || vigil::warn::EncodeEvent(*again) != encoded) {
    __builtin_trap();
  }
  return 0;
}
