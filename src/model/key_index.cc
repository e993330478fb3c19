#include "model/key_index.h"

#include <bit>
#include <functional>

namespace vigil {

void KeyIndex::Build(const std::vector<std::string_view>& keys) {
  slots_.assign(std::bit_ceil(std::max<std::size_t>(2 * keys.size(), 8)), Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::uint64_t hash = std::hash<std::string_view>{}(keys[i]);
    for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
      Slot& slot = slots_[s];
      if (slot.position == kEmpty) {
        slot = {hash, keys[i], i};
        break;
      }
      if (slot.hash == hash && slot.key == keys[i]) {
        break;
      }
    }
  }
}

std::optional<std::size_t> KeyIndex::Find(std::string_view key) const {
  if (slots_.empty()) {
    return std::nullopt;
  }
  const std::uint64_t hash = std::hash<std::string_view>{}(key);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    const Slot& slot = slots_[s];
    if (slot.position == kEmpty) {
      return std::nullopt;
    }
    if (slot.hash == hash && slot.key == key) {
      return slot.position;
    }
  }
}

}  // namespace vigil
