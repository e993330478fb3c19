// A read-only map from string keys to positions in a vector, for the
// catalogue's look-ups on the ingest path: one flat open-addressing array, so
// a look-up touches one slot (and then the entry it finds) instead of the
// bucket, node and entry of a node-based map. Keys are views into the
// entries, which must outlive the index and not move.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace vigil {

class KeyIndex {
 public:
  // Indexes keys[i] -> i. A repeated key keeps its first position.
  void Build(const std::vector<std::string_view>& keys);
  std::optional<std::size_t> Find(std::string_view key) const;

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::string_view key;
    std::size_t position = kEmpty;
  };
  static constexpr std::size_t kEmpty = ~std::size_t{0};

  std::vector<Slot> slots_;  // power-of-two size, at most half full
};

}  // namespace vigil
