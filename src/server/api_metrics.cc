// GET /metrics: the API's own metrics (requests, warnings, the outbox, the
// process) and the process's registry (ingest, detectors, deliveries) in the
// Prometheus text format. docs/SERVER.md ("Metrics") lists them.
#include <array>
#include <string>
#include <vector>

#include "core/log.h"
#include "engine/warning_ops.h"
#include "server/api.h"
#include "server/event_stream.h"

namespace vigil::server {
namespace {

// The method as a label: one of the standard ones, else "other", so that a
// client cannot make a series per made-up method.
std::string_view MethodLabel(std::string_view method) {
  for (const std::string_view known :
       {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    if (method == known) {
      return known;
    }
  }
  return "other";
}

}  // namespace

void Api::AddMetricsRoute() {
  requests_ = &metrics_.AddCounter("vigil_http_requests_total",
                                   "HTTP requests answered, by method, route pattern and status "
                                   "code; route is \"unmatched\" when no route took the request.",
                                   {"method", "route", "code"});
  durations_ = &metrics_.AddHistogram(
      "vigil_http_request_duration_seconds",
      "Time from a parsed request to its response, by method and route pattern.",
      {"method", "route"}, metrics::LatencyBuckets());
  metrics_.AddComputed(
      metrics::Kind::kGauge, "vigil_warnings_active",
      "Active warnings, by level (blue, yellow, orange, red).", {"level"}, [this] {
        std::array<int, kWarningLevels> counts{};
        {
          std::lock_guard lock(mutex_);
          if (Status refreshed = context_.stage.Refresh(); !refreshed.ok()) {
            LogError("metrics: reading the warning log failed", {{"error", refreshed.message()}});
            return std::vector<metrics::Sample>{};
          }
          for (const warn::Warning* w : vigil::ListWarnings(context_.stage.state(), false)) {
            ++counts[static_cast<std::size_t>(w->level - 1)];
          }
        }
        std::vector<metrics::Sample> samples;
        for (int level = 1; level <= kWarningLevels; ++level) {
          samples.push_back({{std::string(LevelColour(level))},
                             static_cast<double>(counts[static_cast<std::size_t>(level - 1)])});
        }
        return samples;
      });
  metrics_.AddComputed(
      metrics::Kind::kGauge, "vigil_outbox_pending",
      "Outbox items waiting for delivery (the notification queue's depth).", {}, [this] {
        std::lock_guard lock(mutex_);
        Result<std::int64_t> pending = context_.store.CountPendingOutbox();
        if (!pending.ok()) {
          LogError("metrics: reading the outbox failed", {{"error", pending.status().message()}});
          return std::vector<metrics::Sample>{};
        }
        return std::vector<metrics::Sample>{{{}, static_cast<double>(*pending)}};
      });
  metrics_.AddComputed(metrics::Kind::kGauge, "vigil_event_stream_subscribers",
                       "Open event streams (GET /api/v1/events).", {}, [] {
                         return std::vector<metrics::Sample>{
                             {{}, static_cast<double>(ReadEventStreamStats().subscribers)}};
                       });
  metrics_.AddComputed(metrics::Kind::kCounter, "vigil_event_stream_dropped_clients_total",
                       "Event streams dropped for not keeping up with their queue.", {}, [] {
                         return std::vector<metrics::Sample>{
                             {{}, static_cast<double>(ReadEventStreamStats().dropped_clients)}};
                       });
  metrics_.AddComputed(metrics::Kind::kCounter, "vigil_event_stream_dropped_events_total",
                       "Warning events that dropped event streams did not get.", {}, [] {
                         return std::vector<metrics::Sample>{
                             {{}, static_cast<double>(ReadEventStreamStats().dropped_events)}};
                       });
  metrics::AddProcessMetrics(metrics_);
  router_.Add({.method = "GET",
               .pattern = "/metrics",
               .access = context_.metrics_need_token ? Access::kRead : Access::kPublic,
               .summary = "Metrics in the Prometheus text exposition format 0.0.4",
               .response_type = std::string(metrics::kExpositionContentType),
               .handler = [this](const Request&) {
                 return Response{.content_type = std::string(metrics::kExpositionContentType),
                                 .body = metrics_.Expose() + metrics::DefaultRegistry().Expose()};
               }});
}

void Api::CountRequest(const Request& request, const Response& response, double seconds) {
  // Both sides views: a std::string side would make the result a temporary.
  const std::string_view route =
      request.route.empty() ? std::string_view("unmatched") : std::string_view(request.route);
  const std::string_view method = MethodLabel(request.method);
  requests_->With({method, route, std::to_string(response.status)}).Inc();
  durations_->With({method, route}).Observe(seconds);
}

}  // namespace vigil::server
