#include "server/rate_limit.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vigil::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Timestamp kStart = *ParseRfc3339("2025-01-01T00:00:00Z");

Principal Caller(std::string id) {
  Principal p;
  p.token.id = std::move(id);
  return p;
}

// How many of `n` requests at the clock's time are admitted.
int Admitted(RateLimiter& limiter, const Principal& caller, int n) {
  int admitted = 0;
  for (int i = 0; i < n; ++i) {
    admitted += limiter.Admit(caller) ? 0 : 1;
  }
  return admitted;
}

TEST(RateLimitTest, ABurstIsAdmittedThenRequestsAre429WithRetryAfterAndAJsonError) {
  FakeClock clock(kStart);
  RateLimiter limiter({.per_second = 2, .burst = 5}, clock);
  EXPECT_EQ(Admitted(limiter, Caller("a"), 5), 5);
  const std::optional<Response> refused = limiter.Admit(Caller("a"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(nlohmann::json::parse(refused->body)["error"]["code"], "rate_limited");
  ASSERT_EQ(refused->headers.size(), 1u);
  EXPECT_EQ(refused->headers[0], (std::pair<std::string, std::string>{"Retry-After", "1"}));
}

TEST(RateLimitTest, TheBucketRefillsAtTheRateUpToTheBurst) {
  FakeClock clock(kStart);
  RateLimiter limiter({.per_second = 2, .burst = 5}, clock);
  ASSERT_EQ(Admitted(limiter, Caller("a"), 6), 5);
  clock.Advance(milliseconds(1500));
  EXPECT_EQ(Admitted(limiter, Caller("a"), 5), 3);
  clock.Advance(std::chrono::hours(1));
  EXPECT_EQ(Admitted(limiter, Caller("a"), 10), 5) << "no more than the burst after a pause";
}

TEST(RateLimitTest, RetryAfterRoundsTheWaitUpToWholeSeconds) {
  FakeClock clock(kStart);
  RateLimiter limiter({.per_second = 0.25, .burst = 1}, clock);
  ASSERT_EQ(Admitted(limiter, Caller("a"), 1), 1);
  clock.Advance(seconds(1));
  const std::optional<Response> refused = limiter.Admit(Caller("a"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->headers[0].second, "3");
}

TEST(RateLimitTest, EachTokenHasItsOwnBucket) {
  FakeClock clock(kStart);
  RateLimiter limiter({.per_second = 1, .burst = 2}, clock);
  EXPECT_EQ(Admitted(limiter, Caller("a"), 3), 2);
  EXPECT_EQ(Admitted(limiter, Caller("b"), 3), 2);
}

TEST(RateLimitTest, ARateOfZeroAdmitsEverything) {
  FakeClock clock(kStart);
  RateLimiter limiter({.per_second = 0, .burst = 0}, clock);
  EXPECT_EQ(Admitted(limiter, Caller("a"), 10000), 10000);
}

TEST(RateLimitTest, NegativeRatesAndABurstBelowOneAreRefused) {
  EXPECT_FALSE(ValidateRateLimit({.per_second = -1, .burst = 1}).ok());
  EXPECT_FALSE(ValidateRateLimit({.per_second = 5, .burst = 0.5}).ok());
  EXPECT_TRUE(ValidateRateLimit({.per_second = 0, .burst = 0}).ok());
  EXPECT_TRUE(ValidateRateLimit({}).ok());
}

}  // namespace
}  // namespace vigil::server
