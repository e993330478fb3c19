#include "backtest/evaluate.h"

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace vigil::backtest {
namespace {

// The labels of each region, in file order, so that each series looks up
// its own instead of scanning them all.
using LabelsByRegion = std::unordered_map<std::string_view, std::vector<const Label*>>;

LabelsByRegion IndexLabels(std::span<const Label> labels) {
  LabelsByRegion by_region;
  for (const Label& label : labels) {
    by_region[label.region].push_back(&label);
  }
  return by_region;
}

// The series' judged periods, in time order (signals come in time order).
SeriesTrace TraceOf(const SeriesSignals& series, const LabelsByRegion& labels) {
  SeriesTrace t{.key = series.key};
  if (const auto it = labels.find(series.key.region); it != labels.end()) {
    for (const Label* label : it->second) {
      if (label->indicator.empty() || label->indicator == series.key.indicator) {
        t.labels.push_back(*label);
      }
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

// The scores of an Evaluation by name, and those of the indicators a
// warning's (domain, hazard) counts for. Points into the Evaluation, whose
// lists are complete before this is built.
class ScoreIndex {
 public:
  ScoreIndex(const Catalogue& catalogue, Evaluation& e) {
    for (Scores& s : e.domains) {
      domains_.emplace(s.name, &s);
    }
    for (Scores& s : e.indicators) {
      indicators_.emplace(s.name, &s);
      const Indicator* indicator = catalogue.FindIndicator(s.name);
      if (const WarningPolicy* policy = catalogue.FindPolicy(indicator->policy)) {
        by_hazard_[HazardKey(indicator->domain, policy->hazard)].push_back(&s);
      }
    }
  }

  Scores& IndicatorScores(std::string_view id) { return *indicators_.at(id); }
  Scores& DomainScores(std::string_view id) { return *domains_.at(id); }
  Scores* FindDomainScores(std::string_view id) {
    const auto it = domains_.find(id);
    return it == domains_.end() ? nullptr : it->second;
  }
  std::span<Scores* const> ForHazard(std::string_view domain, std::string_view hazard) const {
    const auto it = by_hazard_.find(HazardKey(domain, hazard));
    return it == by_hazard_.end() ? std::span<Scores* const>() : it->second;
  }

 private:
  static std::string HazardKey(std::string_view domain, std::string_view hazard) {
    return std::string(domain) + '\0' + std::string(hazard);
  }

  std::unordered_map<std::string_view, Scores*> indicators_;
  std::unordered_map<std::string_view, Scores*> domains_;
  std::unordered_map<std::string, std::vector<Scores*>> by_hazard_;
};

// Empty scores for every indicator and domain with series, in catalogue order.
void Prepare(const Catalogue& catalogue, const ReplayResult& replay, Evaluation& e) {
  std::unordered_set<std::string_view> with_series;
  for (const SeriesSignals& s : replay.series) {
    with_series.insert(s.key.indicator);
  }
  std::unordered_set<std::string_view> domains_with_series;
  for (const Indicator& i : catalogue.indicators()) {
    if (with_series.contains(i.id)) {
      e.indicators.push_back({.name = i.id});
      domains_with_series.insert(i.domain);
    }
  }
  for (const Domain& d : catalogue.domains()) {
    if (domains_with_series.contains(d.id)) {
      e.domains.push_back({.name = d.id});
    }
  }
}

void AddWarnings(const ReplayResult& replay, const Range& range, ScoreIndex& index, Evaluation& e) {
  for (const WarningSummary& w : SummariseWarnings(replay.events, range, replay.end)) {
    e.overall.warnings.Add(w.metrics);
    if (Scores* domain = index.FindDomainScores(w.key.domain)) {
      domain->warnings.Add(w.metrics);
    }
    for (Scores* scores : index.ForHazard(w.key.domain, w.key.hazard)) {
      scores->warnings.Add(w.metrics);
    }
  }
}

}  // namespace

Evaluation Evaluate(const Catalogue& catalogue, const ReplayResult& replay,
                    std::span<const Label> labels, const Range& range) {
  Evaluation e;
  Prepare(catalogue, replay, e);
  ScoreIndex index(catalogue, e);
  const LabelsByRegion labels_by_region = IndexLabels(labels);
  for (const SeriesSignals& series : replay.series) {
    SeriesTrace trace = TraceOf(series, labels_by_region);
    const DetectionMetrics m =
        ScoreSeries({.periods = trace.periods, .alarms = trace.alarms}, trace.labels, range);
    const Indicator* indicator = catalogue.FindIndicator(series.key.indicator);
    index.IndicatorScores(indicator->id).detection.Add(m);
    index.DomainScores(indicator->domain).detection.Add(m);
    e.overall.detection.Add(m);
    e.traces.push_back(std::move(trace));
  }
  AddWarnings(replay, range, index, e);
  return e;
}

}  // namespace vigil::backtest
