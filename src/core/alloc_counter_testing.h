// Test support: counts calls of the global operator new, so that a test can
// check that a hot path makes no heap allocations.
//
// Linking the vigil_alloc_counter_testing object library replaces the global
// operator new and delete of the whole test binary; a binary that links it
// must define no other replacement.
#pragma once

#include <cstdint>

namespace vigil::testing {

// Calls of operator new in this process so far; safe from any thread.
std::int64_t AllocationCount();

}  // namespace vigil::testing
