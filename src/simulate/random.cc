#include "simulate/random.h"

#include <cmath>
#include <numbers>

namespace vigil::sim {
namespace {

std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// Poisson by counting uniforms until their product falls below exp(-lambda);
// exact and fast for small means.
std::int64_t PoissonMultiplication(Rng& rng, double lambda) {
  const double limit = std::exp(-lambda);
  std::int64_t k = 0;
  double product = rng.Uniform();
  while (product > limit) {
    ++k;
    product *= rng.Uniform();
  }
  return k;
}

// Hormann (1993), "The transformed rejection method for generating Poisson
// random variables", algorithm PTRS; valid for lambda >= 10.
std::int64_t PoissonPtrs(Rng& rng, double lambda) {
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  while (true) {
    const double u = rng.Uniform() - 0.5;
    const double v = rng.UniformOpen();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) {
      return static_cast<std::int64_t>(k);
    }
    if (k < 0 || (us < 0.013 && v > us)) {
      continue;
    }
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -lambda + k * loglam - std::lgamma(k + 1)) {
      return static_cast<std::int64_t>(k);
    }
  }
}

}  // namespace

std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t Fnv1a64(std::string_view text) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const char c : text) {
    h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ULL;
  }
  return h;
}

Rng::Rng(std::uint64_t seed, std::string_view stream) {
  std::uint64_t mix = seed;
  std::uint64_t state = SplitMix64(mix) ^ Fnv1a64(stream);
  for (std::uint64_t& word : s_) {
    word = SplitMix64(state);
  }
}

std::uint64_t Rng::Next() {
  const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

double Rng::UniformOpen() { return (static_cast<double>(Next() >> 11) + 0.5) * 0x1.0p-53; }

double Rng::Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }

std::uint64_t Rng::Below(std::uint64_t n) {
  // Reject the lowest (2^64 mod n) values so every residue is equally likely.
  const std::uint64_t threshold = (0 - n) % n;
  while (true) {
    const std::uint64_t x = Next();
    if (x >= threshold) {
      return x % n;
    }
  }
}

std::int64_t Rng::Between(std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
}

double Normal(Rng& rng, double mean, double sd) {
  const double radius = std::sqrt(-2 * std::log(rng.UniformOpen()));
  return mean + sd * radius * std::cos(2 * std::numbers::pi * rng.Uniform());
}

double LogNormal(Rng& rng, double meanlog, double sdlog) {
  return std::exp(Normal(rng, meanlog, sdlog));
}

double Gamma(Rng& rng, double shape, double scale) {
  if (shape < 1) {
    const double boost = std::pow(rng.UniformOpen(), 1 / shape);
    return Gamma(rng, shape + 1, scale) * boost;
  }
  const double d = shape - 1.0 / 3;
  const double c = 1 / std::sqrt(9 * d);
  while (true) {
    const double x = Normal(rng);
    const double v0 = 1 + c * x;
    if (v0 <= 0) {
      continue;
    }
    const double v = v0 * v0 * v0;
    const double u = rng.UniformOpen();
    if (u < 1 - 0.0331 * x * x * x * x || std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) {
      return d * v * scale;
    }
  }
}

std::int64_t Poisson(Rng& rng, double lambda) {
  if (lambda <= 0) {
    return 0;
  }
  return lambda < 10 ? PoissonMultiplication(rng, lambda) : PoissonPtrs(rng, lambda);
}

std::int64_t NegativeBinomial(Rng& rng, double mu, double phi) {
  if (mu <= 0) {
    return 0;
  }
  if (phi <= 1) {
    return Poisson(rng, mu);
  }
  const double size = mu / (phi - 1);
  return Poisson(rng, Gamma(rng, size, mu / size));
}

}  // namespace vigil::sim
