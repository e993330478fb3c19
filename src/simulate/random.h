// Deterministic random numbers for the simulator: xoshiro256** seeded through
// splitmix64, and the distributions the scenarios draw from, implemented here
// rather than with <random>'s distributions, whose output differs between
// standard libraries. The same seed and stream give the same draws everywhere
// (given a libm whose exp/log/cos/lgamma agree, as they do on glibc).
//
// Not thread-safe: give each thread, or each series, its own Rng.
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil::sim {

// One step of splitmix64 on `state`, returning the mixed output.
std::uint64_t SplitMix64(std::uint64_t& state);

// 64-bit FNV-1a of `text`: a stable name-to-number map for stream names.
std::uint64_t Fnv1a64(std::string_view text);

class Rng {
 public:
  // A generator for `stream` (e.g. a series name) under `seed`. Different
  // streams of one seed are independent for practical purposes, so each series
  // can draw without depending on the order the others are generated in.
  Rng(std::uint64_t seed, std::string_view stream);

  std::uint64_t Next();
  // Uniform on [0, 1), 53 random bits.
  double Uniform();
  // Uniform on (0, 1): never 0, so its logarithm is finite.
  double UniformOpen();
  // Uniform on [lo, hi).
  double Uniform(double lo, double hi);
  // Uniform integer on [0, n) without modulo bias; n > 0.
  std::uint64_t Below(std::uint64_t n);
  // Uniform integer on [lo, hi], inclusive.
  std::int64_t Between(std::int64_t lo, std::int64_t hi);

 private:
  std::uint64_t s_[4];
};

// Normal(mean, sd) by Box-Muller (one draw per call, no cached spare).
double Normal(Rng& rng, double mean = 0, double sd = 1);
// exp(Normal(meanlog, sdlog)).
double LogNormal(Rng& rng, double meanlog, double sdlog);
// Gamma with `shape` > 0 and `scale` > 0 (mean shape * scale) by Marsaglia and
// Tsang (2000); shapes below 1 use the boost Gamma(shape + 1) * U^(1 / shape).
double Gamma(Rng& rng, double shape, double scale);
// Poisson(lambda), lambda >= 0: multiplication method below 10, Hormann's
// transformed rejection (PTRS, 1993) above.
std::int64_t Poisson(Rng& rng, double lambda);
// Negative binomial with mean `mu` and variance `phi * mu` (phi >= 1; phi = 1
// is Poisson), as a gamma-Poisson mixture: size mu / (phi - 1).
std::int64_t NegativeBinomial(Rng& rng, double mu, double phi);

}  // namespace vigil::sim
