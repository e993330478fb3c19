// Fuzzes the JSON Lines record reader with validation and reject output.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/ingest_testing.h"
#include "ingest/record_reader.h"
#include "ingest/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const vigil::Catalogue catalogue = vigil::testing_catalogue::Make();
  if (size == 0) {
    return 0;
  }
  vigil::StringSource source(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  vigil::InputBuffer buffer(source, 1 + data[0] % 64, 1 << 16);
  auto reader = vigil::OpenJsonlRecordReader(buffer);
  if (!reader.ok()) {
    return 0;
  }
  vigil::Validator validator(catalogue);
  vigil::RawRecord record;
  std::string rejects;
  for (;;) {
    vigil::Result<bool> more = (*reader)->Next(record);
    if (!more.ok() || !*more) {
      return 0;
    }
    if (!validator.Validate(record).ok()) {
      (*reader)->AppendReject("reason", rejects);
    }
  }
}
