// The conformance suite of the Store contract (store.h), written once and run
// against every implementation. To run it for a new store, instantiate it in
// that store's test file:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//                            ::testing::Values(StoreFactory{"sqlite", OpenInDir}),
//                            StoreFactoryName);
//
// and link the vigil_store_conformance object library into the test binary.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "store/store.h"

namespace vigil {

// Makes a new, empty store. `dir` is an empty directory owned by the test (and
// removed after it) for stores that need files.
struct StoreFactory {
  std::string name;
  std::function<Result<std::unique_ptr<Store>>(const std::filesystem::path& dir)> make;
};

// Names each instantiation after its factory.
std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info);

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Interns `key` and commits it in a batch of its own.
  SeriesId CommitSeries(const SeriesKey& key);
  // Appends each observation in one batch arriving at `arrived` and commits it.
  BatchRecord CommitBatch(Timestamp arrived, const std::vector<Observation>& observations);

  // The times the cases use: three consecutive weeks, and days in the first.
  static constexpr Timestamp kWeek1 = Timestamp{} + std::chrono::days(19'786);  // 2024-03-04
  static constexpr Timestamp kWeek2 = kWeek1 + std::chrono::days(7);
  static constexpr Timestamp kWeek3 = kWeek1 + std::chrono::days(14);
  static constexpr Timestamp kDay1 = kWeek1 + std::chrono::days(3);
  static constexpr Timestamp kDay2 = kDay1 + std::chrono::days(1);
  static constexpr Timestamp kDay3 = kDay1 + std::chrono::days(2);

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace vigil
