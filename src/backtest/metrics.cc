#include "backtest/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "ingest/csv.h"
#include "ingest/input.h"

namespace vigil::backtest {
namespace {

std::optional<double> Ratio(std::int64_t numerator, std::int64_t denominator) {
  if (denominator == 0) {
    return std::nullopt;
  }
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

constexpr std::string_view kColumns[] = {"indicator", "region", "start", "end", "kind", "detail"};

Result<Timestamp> LabelTime(const Catalogue& catalogue, std::string_view indicator,
                            std::string_view text) {
  if (const Indicator* found = catalogue.FindIndicator(indicator)) {
    return ParseEventTime(text, found->frequency);
  }
  return ParseAnyTime(text);
}

// The label of one CSV record, `columns` mapping kColumns to field indexes.
Result<Label> LabelOf(const Catalogue& catalogue, const std::string& path, const CsvRecord& record,
                      const std::vector<int>& columns) {
  const auto field = [&](int c) -> std::string_view {
    const int i = columns[c];
    return i >= 0 && static_cast<size_t>(i) < record.fields.size() ? record.fields[i]
                                                                   : std::string_view();
  };
  const auto invalid = [&](std::string_view name, const std::string& what) {
    return InvalidArgument(fmt::format("{}:{}: {}: {}", path, record.line, name, what));
  };
  if (!record.error.empty()) {
    return invalid("record", record.error);
  }
  Label label{.indicator = std::string(field(0)),
              .region = std::string(field(1)),
              .kind = std::string(field(4)),
              .detail = std::string(field(5))};
  if (!label.indicator.empty() && catalogue.FindIndicator(label.indicator) == nullptr) {
    return invalid("indicator", fmt::format("unknown indicator '{}'", label.indicator));
  }
  if (catalogue.FindRegion(label.region) == nullptr) {
    return invalid("region", fmt::format("unknown region '{}'", label.region));
  }
  for (const int c : {2, 3}) {
    Result<Timestamp> t = LabelTime(catalogue, label.indicator, field(c));
    if (!t.ok()) {
      return invalid(kColumns[c], std::string(t.status().message()));
    }
    (c == 2 ? label.start : label.end) = *t;
  }
  if (label.end < label.start) {
    return invalid("end", "before start");
  }
  return label;
}

}  // namespace

Result<std::vector<Label>> ReadLabels(const Catalogue& catalogue, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<FdSource> source, FdSource::Open(path));
  InputBuffer buffer(*source);
  CsvReader reader(buffer);
  CsvRecord record;
  VIGIL_ASSIGN_OR_RETURN(const bool has_header, reader.Next(record));
  if (!has_header) {
    return InvalidArgument(fmt::format("{}:1: header: the file is empty", path));
  }
  std::vector<int> columns(std::size(kColumns), -1);
  for (size_t i = 0; i < record.fields.size(); ++i) {
    const auto* it = std::find(std::begin(kColumns), std::end(kColumns), record.fields[i]);
    if (it != std::end(kColumns)) {
      columns[it - std::begin(kColumns)] = static_cast<int>(i);
    }
  }
  for (const int c : {1, 2, 3}) {
    if (columns[c] < 0) {
      return InvalidArgument(
          fmt::format("{}:{}: header: no column '{}'", path, record.line, kColumns[c]));
    }
  }
  std::vector<Label> labels;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(const bool more, reader.Next(record));
    if (!more) {
      return labels;
    }
    VIGIL_ASSIGN_OR_RETURN(Label label, LabelOf(catalogue, path, record, columns));
    labels.push_back(std::move(label));
  }
}

std::optional<Distribution> Summarise(std::vector<double> values) {
  if (values.empty()) {
    return std::nullopt;
  }
  std::sort(values.begin(), values.end());
  const auto quantile = [&](double p) {
    const double h = p * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<size_t>(h);
    const size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
  };
  return Distribution{.q1 = quantile(0.25),
                      .median = quantile(0.5),
                      .q3 = quantile(0.75),
                      .min = values.front(),
                      .max = values.back()};
}

std::optional<double> DetectionMetrics::Pod() const { return Ratio(detected, events); }
std::optional<double> DetectionMetrics::FalseAlarmsPer100() const {
  const std::optional<double> rate = Ratio(false_alarms, quiet_periods);
  return rate ? std::optional<double>(100 * *rate) : std::nullopt;
}
std::optional<double> DetectionMetrics::Specificity() const {
  return Ratio(quiet_periods - false_alarms, quiet_periods);
}
std::optional<double> DetectionMetrics::Ppv() const {
  return Ratio(alarm_periods - false_alarms, alarm_periods);
}

void DetectionMetrics::Add(const DetectionMetrics& o) {
  series += o.series;
  periods += o.periods;
  alarm_periods += o.alarm_periods;
  events += o.events;
  detected += o.detected;
  quiet_periods += o.quiet_periods;
  false_alarms += o.false_alarms;
  delay_periods.insert(delay_periods.end(), o.delay_periods.begin(), o.delay_periods.end());
  delay_seconds.insert(delay_seconds.end(), o.delay_seconds.begin(), o.delay_seconds.end());
}

DetectionMetrics ScoreSeries(const SeriesVerdicts& v, std::span<const Label> labels,
                             const Range& range) {
  DetectionMetrics m{.series = 1};
  std::vector<bool> in_event(v.periods.size(), false);
  for (const Label& label : labels) {
    bool judged = false;
    std::int64_t before_alarm = 0;
    std::optional<Timestamp> first_alarm;
    for (size_t i = 0; i < v.periods.size(); ++i) {
      const Timestamp p = v.periods[i];
      if (p < label.start || p > label.end || !range.Contains(p)) {
        continue;
      }
      judged = true;
      in_event[i] = true;
      if (!first_alarm && v.alarms[i]) {
        first_alarm = p;
      }
      before_alarm += first_alarm ? 0 : 1;
    }
    m.events += judged ? 1 : 0;
    if (first_alarm) {
      ++m.detected;
      m.delay_periods.push_back(static_cast<double>(before_alarm));
      m.delay_seconds.push_back(std::chrono::duration<double>(*first_alarm - label.start).count());
    }
  }
  for (size_t i = 0; i < v.periods.size(); ++i) {
    if (!range.Contains(v.periods[i])) {
      continue;
    }
    ++m.periods;
    m.alarm_periods += v.alarms[i] ? 1 : 0;
    if (!in_event[i]) {
      ++m.quiet_periods;
      m.false_alarms += v.alarms[i] ? 1 : 0;
    }
  }
  return m;
}

std::optional<double> WarningMetrics::MeanDurationHours() const {
  constexpr double kSecondsPerHour = 3600;
  if (raised == 0) {
    return std::nullopt;
  }
  return duration_seconds / static_cast<double>(raised) / kSecondsPerHour;
}

void WarningMetrics::Add(const WarningMetrics& o) {
  raised += o.raised;
  level_changes += o.level_changes;
  duration_seconds += o.duration_seconds;
}

std::vector<WarningSummary> SummariseWarnings(std::span<const warn::Event> events,
                                              const Range& range, Timestamp end) {
  struct Open {
    warn::WarningKey key;
    Timestamp issued;
    std::optional<Timestamp> ended;
    std::int64_t level_changes = 0;
  };
  std::map<std::string, Open> warnings;  // by id: the output is in id order
  for (const warn::Event& e : events) {
    if (e.kind == warn::EventKind::kIssued) {
      if (range.Contains(e.at)) {
        warnings[e.warning.id] = Open{.key = e.key, .issued = e.at};
      }
      continue;
    }
    const auto it = warnings.find(e.warning.id);
    if (it == warnings.end() || it->second.ended) {
      continue;
    }
    if (e.kind == warn::EventKind::kUpdated && e.warning.level != e.previous_level) {
      ++it->second.level_changes;
    } else if (e.kind == warn::EventKind::kExpired || e.kind == warn::EventKind::kCancelled) {
      it->second.ended = e.at;
    }
  }
  std::vector<WarningSummary> out;
  out.reserve(warnings.size());
  for (const auto& [id, w] : warnings) {
    const Duration lived = w.ended.value_or(end) - w.issued;
    out.push_back({.key = w.key,
                   .metrics = {.raised = 1,
                               .level_changes = w.level_changes,
                               .duration_seconds = std::chrono::duration<double>(lived).count()}});
  }
  return out;
}

}  // namespace vigil::backtest
