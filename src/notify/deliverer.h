// Delivering the outbox: each pass POSTs every due pending item once and
// records the attempt in the store at once, so a restart neither loses a
// retry nor sends a delivered item again. A 2xx answer delivers the item;
// anything else (another status, no answer, a missing secret) leaves it
// pending for a later pass, after an exponential backoff with jitter, until
// too many attempts or too much age abandon it. docs/NOTIFY.md describes the
// requests and the guarantees.
//
// Webhook requests are signed (signature.h) with the secret held in the
// environment variable the catalogue names for the channel; secrets are read
// when sending, never stored or logged.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "core/clock.h"
#include "core/status.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace vigil::notify {

struct RetryPolicy {
  Duration first_delay = std::chrono::seconds(10);  // after the first failed attempt
  Duration max_delay = std::chrono::hours(1);       // the doubling stops here
  double jitter = 0.2;    // each delay is shortened by a random fraction of it, up to this
  int max_attempts = 20;  // a failed attempt that makes this many abandons
  Duration max_age = std::chrono::hours(24);  // so does one this long after the item was made
};

// The wait after the `attempts`-th failed attempt (1 for the first):
// first_delay doubled for each attempt after the first, at most max_delay,
// shortened by jitter * `random` of itself. `random` is in [0, 1).
Duration RetryDelay(const RetryPolicy& policy, int attempts, double random);

struct DeliveryOptions {
  RetryPolicy retry;
  Duration connect_timeout = std::chrono::seconds(5);
  Duration io_timeout = std::chrono::seconds(10);  // each read and each write
  std::string ca_file;       // a PEM CA bundle trusted for https targets; empty: the system's
  std::int64_t batch = 100;  // at most this many items per pass, oldest first
  std::uint64_t seed = 1;    // of the jitter source, so that delays are reproducible
};

// What one pass did.
struct DeliveryReport {
  int attempted = 0;
  int delivered = 0;
  int retrying = 0;  // failed, still pending
  int abandoned = 0;

  DeliveryReport& operator+=(const DeliveryReport& pass);
};

// Not thread-safe: one pass at a time, and the store must have no open
// transaction during a pass (Store::RecordDelivery). Borrows the store, the
// catalogue (which names each webhook's secret_env) and the clock; each must
// outlive the Deliverer.
class Deliverer {
 public:
  Deliverer(Store& store, const Catalogue& catalogue, const Clock& clock,
            DeliveryOptions options = {});

  // Sends every pending item due by now, once. Errors: those of reading the
  // outbox and of recording an attempt (FailedPrecondition for an item that
  // another deliverer recorded meanwhile: run one per store); the pass stops
  // there, and the attempts recorded so far stay.
  Result<DeliveryReport> DeliverDue();

  // One round: passes until a pass attempts nothing, so that every item due
  // has been tried once (one that fails is due again only after its
  // backoff). `go_on`, when given, is asked before each pass; false ends the
  // round there. The sum of the passes; errors as DeliverDue's.
  Result<DeliveryReport> DeliverAllDue(const std::function<bool()>& go_on = nullptr);

 private:
  Status Send(const OutboxItem& item) const;
  // The webhook's secret; nullopt for a channel without secret_env.
  Result<std::optional<std::string>> SecretFor(const OutboxItem& item) const;
  DeliveryAttempt Outcome(const OutboxItem& item, const Status& sent);

  Store& store_;
  const Clock& clock_;
  DeliveryOptions options_;
  // (agency, target) -> secret_env of each webhook channel in the catalogue.
  std::map<std::pair<std::string, std::string>, std::string> secret_env_;
  std::mt19937_64 random_;
};

}  // namespace vigil::notify
