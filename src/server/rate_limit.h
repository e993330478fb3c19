// A request rate limit per bearer token: a token bucket for each token id
// that refills at `per_second` up to `burst` requests. A request that finds
// its bucket empty is answered 429 with Retry-After, before its handler runs.
//
// Thread safety: Admit may run on several threads at once.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "server/router.h"

namespace vigil::server {

struct RateLimitOptions {
  double per_second = 200;  // refill rate; 0 turns the limit off
  double burst = 400;       // bucket size: requests allowed at once after a pause
};

// InvalidArgument for a negative rate, or a burst below 1 with a rate.
Status ValidateRateLimit(const RateLimitOptions& options);

class RateLimiter {
 public:
  // Borrows `clock` (the real time of the requests, not the workspace's
  // --now), which must outlive it. `options` must be valid.
  RateLimiter(RateLimitOptions options, const Clock& clock);

  // Takes a request from the caller's bucket: nullopt when there was one,
  // otherwise the 429 to answer.
  std::optional<Response> Admit(const Principal& caller);

 private:
  struct Bucket {
    double tokens = 0;
    Timestamp refilled;
  };

  const RateLimitOptions options_;
  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, Bucket, std::less<>> buckets_;  // by token id
};

}  // namespace vigil::server
