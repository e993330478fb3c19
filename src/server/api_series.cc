// The read routes over what detection stored: one series over a time range
// (its observations and, from the signals its detectors wrote, the expected
// values, thresholds and verdicts), and the signals with filters, as `vigil
// signals --format json` lists them.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "engine/signal_json.h"
#include "server/api.h"

namespace vigil::server {
namespace {

using nlohmann::json;

// The from/to bounds of a request; InvalidArgument naming the bad one.
Status TimeRangeOf(const Request& r, SignalFilter& filter) {
  for (const auto& [name, bound] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
    if (const std::string text = r.Query(name); !text.empty()) {
      Result<Timestamp> time = ParseAnyTime(text);
      if (!time.ok()) {
        return InvalidArgument(fmt::format("{}: {}", name, time.status().message()));
      }
      *bound = *time;
    }
  }
  return Status::Ok();
}

// 403 unless the caller covers the indicator's domain in the region; an
// empty indicator or region is not checked.
std::optional<Response> Refusal(const Principal& caller, const Catalogue& catalogue,
                                const Indicator* indicator, std::string_view region) {
  if (indicator != nullptr && !caller.CoversDomain(indicator->domain)) {
    return ErrorResponse(
        403, "forbidden",
        fmt::format("token {} does not cover domain {}", caller.token.id, indicator->domain));
  }
  if (!region.empty() && !caller.CoversRegion(catalogue, region)) {
    return ErrorResponse(403, "forbidden",
                         fmt::format("token {} does not cover region {}", caller.token.id, region));
  }
  return std::nullopt;
}

// The indicator and region a request names, checked against the catalogue.
Result<const Indicator*> IndicatorOf(const Request& r, const Catalogue& catalogue, bool required) {
  const std::string id = r.Query("indicator");
  if (id.empty()) {
    return required ? Result<const Indicator*>(InvalidArgument("indicator: required"))
                    : Result<const Indicator*>(nullptr);
  }
  const Indicator* indicator = catalogue.FindIndicator(id);
  if (indicator == nullptr) {
    return InvalidArgument(fmt::format("indicator '{}' is not in the catalogue", id));
  }
  return indicator;
}

Status CheckRegion(const std::string& region, const Catalogue& catalogue, bool required) {
  if (region.empty()) {
    return required ? InvalidArgument("region: required") : Status::Ok();
  }
  return catalogue.FindRegion(region) == nullptr
             ? InvalidArgument(fmt::format("region '{}' is not in the catalogue", region))
             : Status::Ok();
}

json ObservationsJson(const std::vector<StoredObservation>& observations,
                      const Indicator& indicator) {
  json list = json::array();
  for (const StoredObservation& o : observations) {
    list.push_back({{"time", FormatEventTime(o.time, indicator.frequency)},
                    {"value", o.value},
                    {"denominator", o.denominator ? json(*o.denominator) : json(nullptr)},
                    {"source", o.source},
                    {"arrived", FormatRfc3339(o.arrived)}});
  }
  return list;
}

}  // namespace

void Api::AddSeriesRoutes() {
  router_.Add({.method = "GET",
               .pattern = "/api/v1/series",
               .summary = "One series over a time range: its observations (current versions) and "
                          "the signals of its detectors, with expected values, thresholds "
                          "(upperbound), scores and alarms",
               .query = {{"indicator", "the indicator (required)"},
                         {"region", "the region code (required)"},
                         {"from", "from this time on (2024-03-01, 2024-W09, 2024-03 or RFC 3339)"},
                         {"to", "before this time (same forms)"}},
               .handler = [this](const Request& r) { return Series(r); }});
  router_.Add({.method = "GET",
               .pattern = "/api/v1/signals",
               .summary = "Signals detection stored, in time order, as `vigil signals --format "
                          "json`, within the token's jurisdiction",
               .query = {{"indicator", "only this indicator"},
                         {"region", "only this region code"},
                         {"from", "from this time on (2024-03-01, 2024-W09, 2024-03 or RFC 3339)"},
                         {"to", "before this time (same forms)"},
                         {"alarms", "true: only signals that raised an alarm"},
                         {"limit", "only the N most recent"}},
               .handler = [this](const Request& r) { return Signals(r); }});
}

Response Api::Series(const Request& request) {
  const Catalogue& catalogue = context_.catalogue;
  Result<const Indicator*> indicator = IndicatorOf(request, catalogue, true);
  const std::string region = request.Query("region");
  SignalFilter filter{.region = region};
  for (const Status& status :
       {indicator.status(), CheckRegion(region, catalogue, true), TimeRangeOf(request, filter)}) {
    if (!status.ok()) {
      return ErrorResponse(status);
    }
  }
  if (auto refused = Refusal(*request.principal, catalogue, *indicator, region)) {
    return *refused;
  }
  filter.indicator = (*indicator)->id;
  json out = {{"indicator", filter.indicator},
              {"region", region},
              {"frequency", FrequencyName((*indicator)->frequency)},
              {"unit", (*indicator)->unit},
              {"observations", json::array()},
              {"signals", json::array()}};
  std::lock_guard lock(mutex_);
  Result<std::optional<SeriesId>> id = context_.store.FindSeries({filter.indicator, region});
  if (!id.ok()) {
    return ErrorResponse(id.status());
  }
  if (!id->has_value()) {
    return JsonResponse(out.dump(2) + "\n");
  }
  filter.series = **id;
  Result<std::vector<StoredObservation>> observations =
      context_.store.Read(**id, filter.from.value_or(Timestamp::min()),
                          filter.to.value_or(Timestamp::max()), std::nullopt);
  Result<std::vector<StoredSignal>> signals = context_.store.ReadSignals(filter);
  for (const Status& status : {observations.status(), signals.status()}) {
    if (!status.ok()) {
      return ErrorResponse(status);
    }
  }
  out["observations"] = ObservationsJson(*observations, **indicator);
  out["signals"] = json::parse(SignalListJson(*signals, catalogue));
  return JsonResponse(out.dump(2) + "\n");
}

Response Api::Signals(const Request& request) {
  const Catalogue& catalogue = context_.catalogue;
  Result<const Indicator*> indicator = IndicatorOf(request, catalogue, false);
  SignalFilter filter{.region = request.Query("region"), .newest_first = true};
  const std::string alarms = request.Query("alarms");
  filter.alarms_only = alarms == "true";
  Status limit = Status::Ok();
  if (const std::string text = request.Query("limit"); !text.empty()) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), filter.limit);
    if (error != std::errc() || end != text.data() + text.size() || filter.limit < 0) {
      limit = InvalidArgument(fmt::format("limit '{}' is not a whole number", text));
    }
  }
  for (const Status& status :
       {indicator.status(), CheckRegion(filter.region, catalogue, false),
        TimeRangeOf(request, filter), limit,
        alarms.empty() || alarms == "true" || alarms == "false"
            ? Status::Ok()
            : InvalidArgument(fmt::format("alarms '{}': use true or false", alarms))}) {
    if (!status.ok()) {
      return ErrorResponse(status);
    }
  }
  const Principal& caller = *request.principal;
  if (auto refused = Refusal(caller, catalogue, *indicator, filter.region)) {
    return *refused;
  }
  if (*indicator != nullptr) {
    filter.indicator = (*indicator)->id;
  }
  filter.admit = [&](const SeriesKey& key) {
    const Indicator* i = catalogue.FindIndicator(key.indicator);
    return i != nullptr && caller.Covers(catalogue, i->domain, key.region);
  };
  std::unique_lock lock(mutex_);
  Result<std::vector<StoredSignal>> signals = context_.store.ReadSignals(filter);
  lock.unlock();
  if (!signals.ok()) {
    return ErrorResponse(signals.status());
  }
  // Read newest first so that a limit keeps the most recent; shown in time order.
  std::ranges::reverse(*signals);
  return JsonResponse(SignalListJson(*signals, catalogue));
}

}  // namespace vigil::server
