// Test helpers: build a detector from a method name and `NAME=VALUE` params,
// and feed a streaming detector a sequence of values.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "detect/detector.h"

namespace vigil::testing {

inline std::unique_ptr<Detector> Build(
    const std::string& method, const std::vector<std::pair<std::string, std::string>>& given,
    int periods_per_year = 52) {
  const MethodSpec* spec = FindMethod(method);
  EXPECT_NE(spec, nullptr) << method;
  Result<ParamSet> params = ParamSet::Parse(*spec, given);
  EXPECT_TRUE(params.ok()) << params.status().ToString();
  Result<std::unique_ptr<Detector>> detector =
      MakeDetector(*spec, *params, SeriesContext{.periods_per_year = periods_per_year});
  EXPECT_TRUE(detector.ok()) << detector.status().ToString();
  return std::move(detector).value();
}

// Feeds `values` in order through fresh state; one evaluation per value. The
// i-th value is sampled at i * `spacing` after the epoch.
inline std::vector<Evaluation> Feed(const Detector& detector, const std::vector<double>& values,
                                    Duration spacing = Duration{0}) {
  const auto& streaming = dynamic_cast<const StreamingDetector&>(detector);
  std::vector<std::uint64_t> words((streaming.state_size() + 7) / 8);
  const std::span<std::byte> state(reinterpret_cast<std::byte*>(words.data()),
                                   streaming.state_size());
  streaming.InitState(state);
  std::vector<Evaluation> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Timestamp time{spacing * static_cast<std::int64_t>(i)};
    out.push_back(streaming.Update(state, Point{.time = time, .value = values[i]}));
  }
  return out;
}

}  // namespace vigil::testing
