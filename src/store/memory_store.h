// MemoryStore: the in-memory Store, for tests of the modules that consume a
// Store. It keeps the whole contract of store.h (revisions, as-of reads,
// all-or-nothing transactions) but nothing survives the object.
#pragma once

#include <memory>

#include "store/store.h"

namespace vigil {

// A new, empty in-memory store. Safe to use from one thread at a time; a
// transaction must not outlive the store that began it.
std::unique_ptr<Store> NewMemoryStore();

}  // namespace vigil
