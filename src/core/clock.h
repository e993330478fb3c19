// The only place that reads the wall clock. Everything else takes a Clock&
// so that tests, backtests and replays run on simulated time.
#pragma once

#include <atomic>

#include "core/time.h"

namespace vigil {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// The system's real-time clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_ns_(start.time_since_epoch().count()) {}
  Timestamp Now() const override { return Timestamp{Duration{now_ns_.load()}}; }
  void Set(Timestamp t) { now_ns_.store(t.time_since_epoch().count()); }
  void Advance(Duration d) { now_ns_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> now_ns_;
};

}  // namespace vigil
