#include "notify/deliverer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "core/log.h"
#include "core/metrics.h"
#include "core/url.h"
#include "notify/http_post.h"
#include "notify/signature.h"

namespace vigil::notify {
namespace {

// Enough of a refusal to tell why, without storing whole error pages.
constexpr size_t kErrorBodyBytes = 200;

// Uniform in [0, 1) from the top 53 bits, the same on every standard library.
double UnitRandom(std::mt19937_64& random) {
  return static_cast<double>(random() >> 11) * 0x1.0p-53;
}

// Counts an attempt in the process's metrics; `outcome` is "delivered",
// "retrying" or "abandoned".
void CountAttempt(const OutboxItem& item, std::string_view outcome) {
  static metrics::Family<metrics::Counter>& attempts = metrics::DefaultRegistry().AddCounter(
      "vigil_notify_delivery_attempts_total",
      "Delivery attempts of outbox items, by channel and outcome.", {"channel", "outcome"});
  attempts.With({item.channel, outcome}).Inc();
}

}  // namespace

Duration RetryDelay(const RetryPolicy& policy, int attempts, double random) {
  Duration delay = policy.first_delay;
  for (int i = 1; i < attempts && delay < policy.max_delay; ++i) {
    delay *= 2;
  }
  delay = std::min(delay, policy.max_delay);
  return delay - Duration(static_cast<Duration::rep>(static_cast<double>(delay.count()) *
                                                     policy.jitter * random));
}

Deliverer::Deliverer(Store& store, const Catalogue& catalogue, const Clock& clock,
                     DeliveryOptions options)
    : store_(store), clock_(clock), options_(std::move(options)), random_(options_.seed) {
  for (const Agency& agency : catalogue.agencies()) {
    for (const AgencyChannel& channel : agency.channels) {
      if (channel.kind == "webhook") {
        secret_env_.emplace(std::pair(agency.id, channel.target), channel.secret_env);
      }
    }
  }
}

DeliveryReport& DeliveryReport::operator+=(const DeliveryReport& pass) {
  attempted += pass.attempted;
  delivered += pass.delivered;
  retrying += pass.retrying;
  abandoned += pass.abandoned;
  return *this;
}

Result<DeliveryReport> Deliverer::DeliverAllDue(const std::function<bool()>& go_on) {
  DeliveryReport total;
  while (!go_on || go_on()) {
    VIGIL_ASSIGN_OR_RETURN(const DeliveryReport pass, DeliverDue());
    total += pass;
    if (pass.attempted == 0) {
      break;
    }
  }
  return total;
}

Result<DeliveryReport> Deliverer::DeliverDue() {
  DeliveryReport report;
  VIGIL_ASSIGN_OR_RETURN(
      std::vector<OutboxItem> due,
      store_.ReadOutbox(
          {.state = OutboxState::kPending, .due_by = clock_.Now(), .limit = options_.batch}));
  for (const OutboxItem& item : due) {
    const DeliveryAttempt attempt = Outcome(item, Send(item));
    if (Status recorded = store_.RecordDelivery(attempt); !recorded.ok()) {
      return recorded.WithContext(
          fmt::format("recording the delivery of {}", item.notification_id));
    }
    ++report.attempted;
    // The target is not logged: webhook URLs often carry access tokens.
    const auto fields = {LogField("notification", item.notification_id),
                         LogField("agency", item.agency), LogField("channel", item.channel),
                         LogField("attempt", item.attempts + 1)};
    if (attempt.state == OutboxState::kDelivered) {
      ++report.delivered;
      CountAttempt(item, "delivered");
      LogInfo("notification delivered", fields);
    } else if (attempt.state == OutboxState::kPending) {
      ++report.retrying;
      CountAttempt(item, "retrying");
      LogWarn(fmt::format("notification not delivered ({}); retrying at {}", attempt.error,
                          FormatRfc3339(attempt.next_attempt)),
              fields);
    } else {
      ++report.abandoned;
      CountAttempt(item, "abandoned");
      LogError(fmt::format("notification abandoned ({})", attempt.error), fields);
    }
  }
  return report;
}

Status Deliverer::Send(const OutboxItem& item) const {
  VIGIL_ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(item.target));
  std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Vigil-Delivery", item.notification_id}};
  if (item.channel == "webhook") {
    const std::string timestamp = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count());
    headers.emplace_back("X-Vigil-Timestamp", timestamp);
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> secret, SecretFor(item));
    if (secret) {
      VIGIL_ASSIGN_OR_RETURN(std::string signature,
                             WebhookSignature(*secret, timestamp, item.payload));
      headers.emplace_back("X-Vigil-Signature", std::move(signature));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(internal::HttpResponse response,
                         internal::HttpPost(url, headers, item.payload,
                                            {.connect_timeout = options_.connect_timeout,
                                             .io_timeout = options_.io_timeout,
                                             .ca_file = options_.ca_file}));
  if (response.status < 200 || response.status > 299) {
    response.body.resize(std::min(response.body.size(), kErrorBodyBytes));
    return Unavailable(fmt::format("HTTP {}: {}", response.status, response.body));
  }
  return Status::Ok();
}

Result<std::optional<std::string>> Deliverer::SecretFor(const OutboxItem& item) const {
  const auto it = secret_env_.find(std::pair(item.agency, item.target));
  if (it == secret_env_.end()) {
    return FailedPrecondition(fmt::format(
        "agency '{}' has no webhook channel with this target in the catalogue", item.agency));
  }
  const std::string& name = it->second;
  if (name.empty()) {
    return std::optional<std::string>();
  }
  const char* secret = std::getenv(name.c_str());
  if (secret == nullptr || *secret == '\0') {
    return FailedPrecondition(
        fmt::format("environment variable {} (the webhook secret of agency '{}') is not set", name,
                    item.agency));
  }
  return std::optional<std::string>(secret);
}

DeliveryAttempt Deliverer::Outcome(const OutboxItem& item, const Status& sent) {
  const Timestamp now = clock_.Now();
  DeliveryAttempt attempt{.id = item.id, .at = now, .next_attempt = now, .error = sent.message()};
  const RetryPolicy& retry = options_.retry;
  const int attempts = item.attempts + 1;
  if (sent.ok()) {
    attempt.state = OutboxState::kDelivered;
  } else if (attempts >= retry.max_attempts || now - item.created >= retry.max_age) {
    attempt.state = OutboxState::kAbandoned;
  } else {
    attempt.state = OutboxState::kPending;
    attempt.next_attempt = now + RetryDelay(retry, attempts, UnitRandom(random_));
  }
  return attempt;
}

}  // namespace vigil::notify
