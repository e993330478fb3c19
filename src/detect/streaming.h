// Plumbing shared by Vigil's streaming detectors: the configured method and
// parameters, and typed views of the caller-owned state bytes.
//
// A detector's state is a trivially copyable header struct followed by a
// ring of doubles (the recent observations some methods keep). InitState()
// constructs both in the caller's bytes; Update() reaches them again through
// StateHeader()/StateRing() without allocating.
#pragma once

#include <cstddef>
#include <new>
#include <span>
#include <type_traits>

#include "detect/detector.h"

namespace vigil {

class StreamingMethod : public StreamingDetector {
 public:
  StreamingMethod(const MethodSpec& method, const ParamSet& params)
      : method_(method), params_(params) {}
  const MethodSpec& method() const override { return method_; }
  const ParamSet& params() const override { return params_; }

 protected:
  // Bytes for a header of type T followed by `ring` doubles.
  template <typename T>
  static constexpr std::size_t StateBytes(std::size_t ring) {
    return HeaderBytes<T>() + ring * sizeof(double);
  }
  // Constructs a default T and a ring of NaN in `state`.
  template <typename T>
  static void ConstructState(std::span<std::byte> state, std::size_t ring) {
    static_assert(std::is_trivially_copyable_v<T>);
    new (state.data()) T{};
    double* values = new (state.data() + HeaderBytes<T>()) double[ring];
    for (std::size_t i = 0; i < ring; ++i) {
      values[i] = kMissing;
    }
  }
  template <typename T>
  static T& StateHeader(std::span<std::byte> state) {
    return *std::launder(reinterpret_cast<T*>(state.data()));
  }
  template <typename T>
  static std::span<double> StateRing(std::span<std::byte> state, std::size_t ring) {
    return {std::launder(reinterpret_cast<double*>(state.data() + HeaderBytes<T>())), ring};
  }

 private:
  template <typename T>
  static constexpr std::size_t HeaderBytes() {
    return (sizeof(T) + alignof(double) - 1) / alignof(double) * alignof(double);
  }

  MethodSpec method_;
  ParamSet params_;
};

}  // namespace vigil
