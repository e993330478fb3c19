#include "backtest/report.h"

#include <fmt/format.h>

#include <iterator>
#include <nlohmann/json.hpp>

namespace vigil::backtest {
namespace {

using nlohmann::json;

constexpr double kSecondsPerHour = 3600;

std::string Cell(const std::optional<double>& v, std::string_view format) {
  return v ? fmt::format(fmt::runtime(format), *v) : "-";
}

std::string DelayCell(const DetectionMetrics& m) {
  const std::optional<Distribution> d = Summarise(m.delay_periods);
  return d ? fmt::format("{:.1f} ({:.1f}-{:.1f})", d->median, d->q1, d->q3) : "-";
}

void TableRows(std::string& out, std::span<const Run> runs, size_t count,
               const std::function<const Scores&(const Evaluation&, size_t)>& pick) {
  auto it = std::back_inserter(out);
  for (size_t i = 0; i < count; ++i) {
    for (const Run& run : runs) {
      const Scores& s = pick(run.evaluation, i);
      const DetectionMetrics& m = s.detection;
      fmt::format_to(it,
                     "{:<22} {:>6} {:>6} {:>5} {:>6} {:>7} {:>6} {:>6} {:>16} {:>5} {:>5} {:>8}",
                     s.name, m.series, m.events, m.detected, Cell(m.Pod(), "{:.2f}"),
                     Cell(m.FalseAlarmsPer100(), "{:.2f}"), Cell(m.Specificity(), "{:.3f}"),
                     Cell(m.Ppv(), "{:.2f}"), DelayCell(m), s.warnings.raised,
                     s.warnings.level_changes, Cell(s.warnings.MeanDurationHours(), "{:.1f}"));
      out += runs.size() > 1 ? fmt::format("  {}\n", run.name) : "\n";
    }
  }
}

json Number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json DistributionJson(const std::vector<double>& values, double scale) {
  const std::optional<Distribution> d = Summarise(values);
  if (!d) {
    return nullptr;
  }
  return {{"min", d->min / scale},
          {"q1", d->q1 / scale},
          {"median", d->median / scale},
          {"q3", d->q3 / scale},
          {"max", d->max / scale}};
}

json ScoresJson(const Scores& s) {
  const DetectionMetrics& m = s.detection;
  json delay = DistributionJson(m.delay_periods, 1);
  if (!delay.is_null()) {
    delay["histogram"] = DelayHistogram(m.delay_periods);
  }
  return {{"name", s.name},
          {"series", m.series},
          {"periods", m.periods},
          {"alarm_periods", m.alarm_periods},
          {"events", m.events},
          {"detected", m.detected},
          {"quiet_periods", m.quiet_periods},
          {"false_alarms", m.false_alarms},
          {"pod", Number(m.Pod())},
          {"false_alarms_per_100", Number(m.FalseAlarmsPer100())},
          {"specificity", Number(m.Specificity())},
          {"ppv", Number(m.Ppv())},
          {"delay_periods", delay},
          {"delay_hours", DistributionJson(m.delay_seconds, kSecondsPerHour)},
          {"warnings",
           {{"raised", s.warnings.raised},
            {"level_changes", s.warnings.level_changes},
            {"mean_duration_hours", Number(s.warnings.MeanDurationHours())}}}};
}

json ScoresList(const std::vector<Scores>& scores) {
  json list = json::array();
  for (const Scores& s : scores) {
    list.push_back(ScoresJson(s));
  }
  return list;
}

json TimeJson(const std::optional<Timestamp>& t) {
  return t ? json(FormatRfc3339(*t)) : json(nullptr);
}

}  // namespace

std::array<std::int64_t, kDelayBuckets> DelayHistogram(std::span<const double> delay_periods) {
  std::array<std::int64_t, kDelayBuckets> buckets{};
  for (const double d : delay_periods) {
    ++buckets[std::min(static_cast<size_t>(d), buckets.size() - 1)];
  }
  return buckets;
}

std::string TableText(std::span<const Run> runs) {
  std::string out;
  const std::string header =
      fmt::format("{:<22} {:>6} {:>6} {:>5} {:>6} {:>7} {:>6} {:>6} {:>16} {:>5} {:>5} {:>8}{}\n",
                  "", "series", "events", "det", "POD", "FA/100", "spec", "PPV", "delay med (IQR)",
                  "warn", "chg", "dur h", runs.size() > 1 ? "  policies" : "");
  const Evaluation& first = runs.front().evaluation;
  out += "By indicator\n" + header;
  TableRows(out, runs, first.indicators.size(),
            [](const Evaluation& e, size_t i) -> const Scores& { return e.indicators[i]; });
  out += "\nBy domain\n" + header;
  TableRows(out, runs, first.domains.size(),
            [](const Evaluation& e, size_t i) -> const Scores& { return e.domains[i]; });
  out += "\n" + header;
  TableRows(out, runs, 1, [](const Evaluation& e, size_t) -> const Scores& { return e.overall; });
  out +=
      "\nPOD: events with an alarm; FA/100: alarms outside events per 100 periods; spec: "
      "specificity;\nPPV: alarms inside events / alarms; delay in periods from event start to "
      "first alarm;\nwarn: warnings raised; chg: level changes; dur h: mean warning duration in "
      "hours.\n";
  return out;
}

std::string JsonText(std::span<const Run> runs, const Range& range) {
  json doc = {{"range", {{"from", TimeJson(range.from)}, {"to", TimeJson(range.to)}}},
              {"runs", json::array()}};
  for (const Run& run : runs) {
    doc["runs"].push_back({{"name", run.name},
                           {"batches", run.batches},
                           {"records", run.records},
                           {"ticks", run.ticks},
                           {"overall", ScoresJson(run.evaluation.overall)},
                           {"domains", ScoresList(run.evaluation.domains)},
                           {"indicators", ScoresList(run.evaluation.indicators)}});
  }
  return doc.dump(2) + "\n";
}

}  // namespace vigil::backtest
