// Fuzzes the CSV reader and the CSV record reader with validation, through a
// window small enough that records straddle refills.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/csv.h"
#include "ingest/ingest_testing.h"
#include "ingest/record_reader.h"
#include "ingest/validate.h"

namespace {

const vigil::Catalogue& TestCatalogue() {
  static const vigil::Catalogue catalogue = vigil::testing_catalogue::Make();
  return catalogue;
}

void ReadCsv(std::string_view input, std::size_t capacity) {
  vigil::StringSource source(input);
  vigil::InputBuffer buffer(source, capacity, 1 << 16);
  vigil::CsvReader reader(buffer);
  vigil::CsvRecord record;
  std::int64_t last_line = 0;
  for (;;) {
    vigil::Result<bool> more = reader.Next(record);
    if (!more.ok() || !*more) {
      return;
    }
    if (record.line <= last_line) {
      __builtin_trap();  // records come in line order
    }
    last_line = record.line;
  }
}

void ReadRecords(std::string_view input, std::size_t capacity) {
  vigil::StringSource source(input);
  vigil::InputBuffer buffer(source, capacity, 1 << 16);
  auto reader = vigil::OpenCsvRecordReader(buffer, "fuzz.csv");
  if (!reader.ok()) {
    return;
  }
  vigil::Validator validator(TestCatalogue());
  vigil::RawRecord record;
  std::string rejects = (*reader)->RejectHeader();
  for (;;) {
    vigil::Result<bool> more = (*reader)->Next(record);
    if (!more.ok() || !*more) {
      return;
    }
    if (!validator.Validate(record).ok()) {
      (*reader)->AppendReject("reason", rejects);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t capacity = 1 + data[0] % 64;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  ReadCsv(input, capacity);
  ReadRecords(input, capacity);
  return 0;
}
