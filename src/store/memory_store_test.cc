#include "store/memory_store.h"

#include "store/store_conformance.h"

namespace vigil {
namespace {

Result<std::unique_ptr<Store>> MakeMemoryStore(const std::filesystem::path&) {
  return NewMemoryStore();
}

INSTANTIATE_TEST_SUITE_P(Memory, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"memory", MakeMemoryStore}),
                         StoreFactoryName);

}  // namespace
}  // namespace vigil
