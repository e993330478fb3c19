#include "store/store.h"

namespace vigil {

std::string_view OutboxStateName(OutboxState state) {
  switch (state) {
    case OutboxState::kPending:
      return "pending";
    case OutboxState::kDelivered:
      return "delivered";
    case OutboxState::kAbandoned:
      return "abandoned";
  }
  return "unknown";
}

}  // namespace vigil
