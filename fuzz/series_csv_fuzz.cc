// Fuzzes `vigil detect`'s input: the series CSV reader, then a streaming and a
// periodic detector over whatever series it accepts, as the command runs them.
// Extreme, missing and denormal values must never crash or trip UBSan.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detect/run.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const vigil::Result<vigil::SeriesTable> table = vigil::ParseSeriesCsv(text, "fuzz.csv");
  if (!table.ok()) {
    return 0;
  }
  if (table->times.size() != table->points.size()) {
    __builtin_trap();
  }
  for (const char* method : {"ears-c3", "cusum", "farrington"}) {
    const vigil::DetectRequest request{.method = method, .periods_per_year = 12};
    const vigil::Result<vigil::DetectResult> result = vigil::RunDetect(request, table->points);
    if (result.ok() && result->first_row + result->evaluations.size() > table->points.size()) {
      __builtin_trap();
    }
  }
  return 0;
}
