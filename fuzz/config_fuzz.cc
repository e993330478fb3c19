// Feeds arbitrary bytes to the catalogue loader: it must report problems, never
// crash, hang or leak, whatever the YAML.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  vigil::CatalogueCheck check = vigil::CheckCatalogueText(text, "fuzz.yaml");
  for (const vigil::ConfigProblem& p : check.problems) {
    (void)p.ToString();
  }
  // A catalogue that loads must have an acyclic hierarchy the lookups can walk.
  for (const vigil::Region& r : check.catalogue.regions()) {
    (void)check.catalogue.Ancestors(r.code);
  }
  return 0;
}
