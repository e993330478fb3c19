// Fuzzes the decoding of row blocks (sqlite/row_blocks.h) as both row
// kinds. A block that decodes must pack back to the same bytes: the format
// has one encoding per list of rows.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sqlite/row_blocks.h"

namespace {

template <class Row>
void Check(std::span<const std::byte> block) {
  std::vector<Row> rows;
  if (!vigil::sqlite::UnpackRows(block, std::nullopt, rows).ok()) {
    return;
  }
  std::vector<std::byte> packed;
  vigil::sqlite::PackRows(std::span<const Row>(rows), packed);
  if (!std::equal(packed.begin(), packed.end(), block.begin(), block.end())) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> block(reinterpret_cast<const std::byte*>(data), size);
  Check<vigil::sqlite::ObservationRow>(block);
  Check<vigil::sqlite::SignalRow>(block);
  return 0;
}
