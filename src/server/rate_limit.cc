#include "server/rate_limit.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace vigil::server {

Status ValidateRateLimit(const RateLimitOptions& o) {
  if (!(o.per_second >= 0) || !std::isfinite(o.per_second)) {
    return InvalidArgument(fmt::format("rate limit {} is not a rate of 0 or more", o.per_second));
  }
  if (o.per_second > 0 && !(o.burst >= 1)) {
    return InvalidArgument(fmt::format("rate burst {} must be at least 1", o.burst));
  }
  return Status::Ok();
}

RateLimiter::RateLimiter(RateLimitOptions options, const Clock& clock)
    : options_(options), clock_(clock) {}

std::optional<Response> RateLimiter::Admit(const Principal& caller) {
  if (options_.per_second <= 0) {
    return std::nullopt;
  }
  const Timestamp now = clock_.Now();
  double wait_seconds = 0;
  {
    std::lock_guard lock(mutex_);
    auto [it, fresh] = buckets_.try_emplace(caller.token.id, Bucket{options_.burst, now});
    Bucket& bucket = it->second;
    // A clock stepped back refills nothing rather than draining the bucket.
    const double elapsed =
        std::max(0.0, std::chrono::duration<double>(now - bucket.refilled).count());
    bucket.tokens = std::min(options_.burst, bucket.tokens + elapsed * options_.per_second);
    bucket.refilled = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return std::nullopt;
    }
    wait_seconds = (1 - bucket.tokens) / options_.per_second;
  }
  // Retry-After takes whole seconds; rounding up keeps the retry admissible.
  const auto retry_after = static_cast<long long>(std::max(1.0, std::ceil(wait_seconds)));
  Response refused = ErrorResponse(
      429, "rate_limited",
      fmt::format("token {} is limited to {} requests per second (burst {}); retry after {} s",
                  caller.token.id, options_.per_second, options_.burst, retry_after));
  refused.headers.emplace_back("Retry-After", std::to_string(retry_after));
  return refused;
}

}  // namespace vigil::server
