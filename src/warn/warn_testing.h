// Test support: a fixture with the scenarios' province catalogue compiled into Rules.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "config/config.h"
#include "warn/rules.h"

namespace vigil::warn {

inline const std::filesystem::path kScenarioDir = VIGIL_WARN_SCENARIOS;

class ProvinceTest : public testing::Test {
 protected:
  void SetUp() override {
    Result<Catalogue> loaded = LoadCatalogueFile(kScenarioDir / "province.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    catalogue_ = std::make_unique<Catalogue>(std::move(loaded).value());
    rules_ = std::make_unique<Rules>(*catalogue_);
  }
  std::unique_ptr<Catalogue> catalogue_;
  std::unique_ptr<Rules> rules_;
};

}  // namespace vigil::warn
