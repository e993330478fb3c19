// Feeds arbitrary bytes to the CAP validator: well-formedness, DOCTYPE
// rejection, schema and prose rules must never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "publish/cap_validate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const vigil::publish::CapValidation validation =
      vigil::publish::ValidateCap(std::string_view(reinterpret_cast<const char*>(data), size));
  // Every finding must be reportable: a message and a path.
  for (const vigil::publish::CapFinding& finding : validation.findings) {
    if (finding.message.empty() || finding.path.empty()) {
      __builtin_trap();
    }
  }
  return 0;
}
