#include "backtest/evaluate.h"

#include <algorithm>

namespace vigil::backtest {
namespace {

// The series' judged periods, in time order (signals come in time order).
SeriesTrace TraceOf(const SeriesSignals& series, std::span<const Label> labels) {
  SeriesTrace t{.key = series.key};
  for (const Label& label : labels) {
    if (label.region == series.key.region &&
        (label.indicator.empty() || label.indicator == series.key.indicator)) {
      t.labels.push_back(label);
    }
  }
  for (const SignalRecord& s : series.signals) {
    if (!s.note.empty()) {
      continue;  // not evaluated: not a judged period
    }
    if (t.periods.empty() || t.periods.back() != s.time) {
      t.periods.push_back(s.time);
      t.observed.push_back(s.observed);
      t.expected.emplace_back();
      t.upperbound.emplace_back();
      t.alarms.push_back(false);
      t.first_alarms.push_back(false);
    }
    if (s.detector == 0) {
      t.expected.back() = s.expected;
      t.upperbound.back() = s.upperbound;
      t.first_alarms.back() = s.alarm;
    }
    if (s.alarm && !t.alarms.back()) {
      t.alarms.back() = true;
      ++t.alarm_count;
    }
  }
  return t;
}

Scores* Find(std::vector<Scores>& scores, std::string_view name) {
  const auto it =
      std::find_if(scores.begin(), scores.end(), [&](const Scores& s) { return s.name == name; });
  return it == scores.end() ? nullptr : &*it;
}

// Empty scores for every indicator and domain with series, in catalogue order.
void Prepare(const Catalogue& catalogue, const ReplayResult& replay, Evaluation& e) {
  const auto has_series = [&](const Indicator& i) {
    return std::any_of(replay.series.begin(), replay.series.end(),
                       [&](const SeriesSignals& s) { return s.key.indicator == i.id; });
  };
  for (const Domain& d : catalogue.domains()) {
    for (const Indicator& i : catalogue.indicators()) {
      if (i.domain == d.id && has_series(i)) {
        if (Find(e.domains, d.id) == nullptr) {
          e.domains.push_back({.name = d.id});
        }
      }
    }
  }
  for (const Indicator& i : catalogue.indicators()) {
    if (has_series(i)) {
      e.indicators.push_back({.name = i.id});
    }
  }
}

void AddWarnings(const Catalogue& catalogue, const ReplayResult& replay, const Range& range,
                 Evaluation& e) {
  for (const WarningSummary& w : SummariseWarnings(replay.events, range, replay.end)) {
    e.overall.warnings.Add(w.metrics);
    if (Scores* domain = Find(e.domains, w.key.domain)) {
      domain->warnings.Add(w.metrics);
    }
    for (const Indicator& i : catalogue.indicators()) {
      const WarningPolicy* policy = catalogue.FindPolicy(i.policy);
      Scores* scores = Find(e.indicators, i.id);
      if (scores != nullptr && policy != nullptr && i.domain == w.key.domain &&
          policy->hazard == w.key.hazard) {
        scores->warnings.Add(w.metrics);
      }
    }
  }
}

}  // namespace

Evaluation Evaluate(const Catalogue& catalogue, const ReplayResult& replay,
                    std::span<const Label> labels, const Range& range) {
  Evaluation e;
  Prepare(catalogue, replay, e);
  for (const SeriesSignals& series : replay.series) {
    SeriesTrace trace = TraceOf(series, labels);
    const DetectionMetrics m =
        ScoreSeries({.periods = trace.periods, .alarms = trace.alarms}, trace.labels, range);
    const Indicator* indicator = catalogue.FindIndicator(series.key.indicator);
    Find(e.indicators, indicator->id)->detection.Add(m);
    Find(e.domains, indicator->domain)->detection.Add(m);
    e.overall.detection.Add(m);
    e.traces.push_back(std::move(trace));
  }
  AddWarnings(catalogue, replay, range, e);
  return e;
}

}  // namespace vigil::backtest
