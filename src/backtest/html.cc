// The HTML report: one file, no external resources; plots are inline SVG.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <span>
#include <vector>

#include "backtest/report.h"

namespace vigil::backtest {
namespace {

constexpr int kWidth = 960;
constexpr int kHeight = 220;
constexpr int kLeft = 56;
constexpr int kRight = 12;
constexpr int kTop = 12;
constexpr int kBottom = 28;
// More points than pixels only make the file bigger: a long stream is drawn
// with the maximum of each bucket of samples.
constexpr size_t kMaxPoints = 1200;

std::string Escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct Scale {
  double t0 = 0;
  double t1 = 1;
  double y0 = 0;
  double y1 = 1;
  double X(Timestamp t) const {
    const double s = std::chrono::duration<double>(t.time_since_epoch()).count();
    return kLeft + (s - t0) / (t1 - t0) * (kWidth - kLeft - kRight);
  }
  double Y(double v) const {
    return kHeight - kBottom - (v - y0) / (y1 - y0) * (kHeight - kTop - kBottom);
  }
};

double Seconds(Timestamp t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

Scale ScaleOf(const SeriesTrace& t) {
  Scale s{.t0 = Seconds(t.periods.front()), .t1 = Seconds(t.periods.back())};
  s.y0 = s.y1 = 0;
  bool first = true;
  for (const auto* values : {&t.observed, &t.expected, &t.upperbound}) {
    for (const std::optional<double>& v : *values) {
      if (v && std::isfinite(*v)) {
        s.y0 = first ? *v : std::min(s.y0, *v);
        s.y1 = first ? *v : std::max(s.y1, *v);
        first = false;
      }
    }
  }
  s.y0 = std::min(s.y0, 0.0);
  if (s.y1 <= s.y0) {
    s.y1 = s.y0 + 1;
  }
  if (s.t1 <= s.t0) {
    s.t1 = s.t0 + 1;
  }
  return s;
}

// A polyline through the present values, broken where a value is missing;
// every `stride` points become one, the bucket's maximum.
std::string Path(const SeriesTrace& t, const std::vector<std::optional<double>>& values,
                 const Scale& s, size_t stride) {
  std::string d;
  auto out = std::back_inserter(d);
  bool pen_down = false;
  for (size_t i = 0; i < values.size(); i += stride) {
    std::optional<double> v;
    for (size_t j = i; j < std::min(i + stride, values.size()); ++j) {
      if (values[j] && std::isfinite(*values[j])) {
        v = v ? std::max(*v, *values[j]) : *values[j];
      }
    }
    if (!v) {
      pen_down = false;
      continue;
    }
    fmt::format_to(out, "{}{:.1f},{:.1f}", pen_down ? " L" : " M", s.X(t.periods[i]), s.Y(*v));
    pen_down = true;
  }
  return d;
}

// The band between the expected value and the alarm threshold: one polygon
// per run of periods where both are known.
std::string Band(const SeriesTrace& t, const Scale& s, size_t stride) {
  std::string d;
  auto out = std::back_inserter(d);
  size_t i = 0;
  while (i < t.periods.size()) {
    const auto known = [&](size_t j) { return t.expected[j] && t.upperbound[j]; };
    if (!known(i)) {
      i += stride;
      continue;
    }
    std::vector<size_t> run;
    for (; i < t.periods.size() && known(i); i += stride) {
      run.push_back(i);
    }
    for (size_t k = 0; k < run.size(); ++k) {
      fmt::format_to(out, "{}{:.1f},{:.1f}", k == 0 ? " M" : " L", s.X(t.periods[run[k]]),
                     s.Y(*t.upperbound[run[k]]));
    }
    for (auto k = run.rbegin(); k != run.rend(); ++k) {
      fmt::format_to(out, " L{:.1f},{:.1f}", s.X(t.periods[*k]), s.Y(*t.expected[*k]));
    }
    d += " Z";
  }
  return d;
}

// Midnight times as dates, others in full.
std::string AxisTime(Timestamp t) {
  std::string text = FormatRfc3339(t);
  constexpr std::string_view kMidnight = "T00:00:00Z";
  if (text.ends_with(kMidnight)) {
    text.resize(text.size() - kMidnight.size());
  }
  return text;
}

std::string Plot(const SeriesTrace& t) {
  const Scale s = ScaleOf(t);
  const size_t stride = (t.periods.size() + kMaxPoints - 1) / kMaxPoints;
  std::string svg = fmt::format(
      "<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{} in {}\">"
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"frame\"/>",
      kWidth, kHeight, Escape(t.key.indicator), Escape(t.key.region), kLeft, kTop,
      kWidth - kLeft - kRight, kHeight - kTop - kBottom);
  auto out = std::back_inserter(svg);
  for (const Label& l : t.labels) {
    const double x0 = std::clamp(s.X(l.start), double{kLeft}, double{kWidth - kRight});
    const double x1 = std::clamp(s.X(l.end), x0 + 2, double{kWidth - kRight});
    fmt::format_to(out,
                   "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" class=\"event\">"
                   "<title>{} {} to {}</title></rect>",
                   x0, kTop, x1 - x0, kHeight - kTop - kBottom, Escape(l.kind), AxisTime(l.start),
                   AxisTime(l.end));
  }
  fmt::format_to(out, "<path d=\"{}\" class=\"band\"/>", Band(t, s, stride));
  fmt::format_to(out, "<path d=\"{}\" class=\"upper\"/>", Path(t, t.upperbound, s, stride));
  fmt::format_to(out, "<path d=\"{}\" class=\"expected\"/>", Path(t, t.expected, s, stride));
  fmt::format_to(out, "<path d=\"{}\" class=\"observed\"/>", Path(t, t.observed, s, stride));
  for (size_t i = 0; i < t.periods.size(); ++i) {
    if (t.alarms[i] && t.observed[i]) {
      fmt::format_to(out, "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" class=\"{}\"/>",
                     s.X(t.periods[i]), s.Y(*t.observed[i]),
                     t.first_alarms[i] ? "alarm" : "other-alarm");
    }
  }
  fmt::format_to(out,
                 "<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"end\">{:.4g}</text>"
                 "<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"end\">{:.4g}</text>"
                 "<text x=\"{}\" y=\"{}\" class=\"axis\">{}</text>"
                 "<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"end\">{}</text></svg>",
                 kLeft - 4, kTop + 10, s.y1, kLeft - 4, kHeight - kBottom, s.y0, kLeft, kHeight - 8,
                 AxisTime(t.periods.front()), kWidth - kRight, kHeight - 8,
                 AxisTime(t.periods.back()));
  return svg;
}

std::string Pct(const std::optional<double>& v) {
  return v ? fmt::format("{:.1f}", 100 * *v) : "&ndash;";
}
std::string Num(const std::optional<double>& v, std::string_view format) {
  return v ? fmt::format(fmt::runtime(format), *v) : "&ndash;";
}

void ScoreRow(std::string& out, const Scores& s, std::string_view run, bool show_run) {
  const DetectionMetrics& m = s.detection;
  const std::optional<Distribution> d = Summarise(m.delay_periods);
  const std::array<std::int64_t, kDelayBuckets> h = DelayHistogram(m.delay_periods);
  fmt::format_to(
      std::back_inserter(out),
      "<tr><th>{}</th>{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
      Escape(s.name), show_run ? fmt::format("<td>{}</td>", Escape(run)) : "", m.series, m.events,
      m.detected, Pct(m.Pod()), Num(m.FalseAlarmsPer100(), "{:.2f}"), Pct(m.Specificity()),
      Pct(m.Ppv()),
      d ? fmt::format("{:.1f} ({:.1f}&ndash;{:.1f})", d->median, d->q1, d->q3) : "&ndash;",
      d ? fmt::format("{} / {} / {} / {} / {}", h[0], h[1], h[2], h[3], h[4]) : "&ndash;",
      s.warnings.raised, s.warnings.level_changes, Num(s.warnings.MeanDurationHours(), "{:.1f}"));
}

std::string Table(std::string_view title, std::span<const Run> runs,
                  const std::function<std::span<const Scores>(const Evaluation&)>& pick) {
  const bool show_run = runs.size() > 1;
  std::string out = fmt::format(
      "<h2>{}</h2><table><thead><tr><th></th>{}<th>series</th><th>events</th><th>detected</th>"
      "<th>POD %</th><th>false alarms / 100</th><th>specificity %</th><th>PPV %</th>"
      "<th>delay, periods: median (IQR)</th><th>delay histogram 0/1/2/3/4+</th>"
      "<th>warnings</th><th>level changes</th><th>mean duration h</th></tr></thead><tbody>\n",
      title, show_run ? "<th>policies</th>" : "");
  const size_t rows = pick(runs.front().evaluation).size();
  for (size_t i = 0; i < rows; ++i) {
    for (const Run& run : runs) {
      ScoreRow(out, pick(run.evaluation)[i], run.name, show_run);
    }
  }
  return out + "</tbody></table>\n";
}

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}h3{font-size:14px;margin:18px 0 4px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{padding:3px 8px;border-bottom:1px solid #d8dee4;text-align:right;white-space:nowrap}
thead th{white-space:normal}
th:first-child{text-align:left}thead th{font-weight:600;vertical-align:bottom;font-size:12px}
svg{width:100%;height:auto;display:block}.frame{fill:#fff;stroke:#d0d7de}
.event{fill:#f4a3a3;opacity:.45}.band{fill:#d4a017;opacity:.12}.upper{fill:none;stroke:#d4a017;stroke-width:1.2;stroke-dasharray:4 3}
.expected{fill:none;stroke:#2f6fb3;stroke-width:1.2}.observed{fill:none;stroke:#24292f;stroke-width:1}
.alarm{fill:#cf222e}.other-alarm{fill:#fff;stroke:#cf222e;stroke-width:1.5}.axis{font-size:11px;fill:#57606a}
.legend span{margin-right:16px}.key{display:inline-block;width:14px;height:10px;margin-right:4px}
.note{color:#57606a}
)";

}  // namespace

std::string HtmlText(std::span<const Run> runs, const Range& range, int max_plots) {
  std::vector<std::string> names;
  for (const Run& run : runs) {
    names.push_back(run.name);
  }
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Vigil backtest</title><style>{}</style></head><body>\n<h1>Backtest</h1>\n"
      "<p class=\"note\">Scored from {} to {}; {} batches, {} records replayed. Policies: "
      "{}.</p>\n",
      kStyle, range.from ? FormatRfc3339(*range.from) : "the first period",
      range.to ? FormatRfc3339(*range.to) : "the last period", runs.front().batches,
      runs.front().records, Escape(fmt::format("{}", fmt::join(names, ", "))));
  out += Table("Overall", runs, [](const Evaluation& e) { return std::span(&e.overall, 1); });
  out += Table("By domain", runs, [](const Evaluation& e) { return std::span(e.domains); });
  out += Table("By indicator", runs, [](const Evaluation& e) { return std::span(e.indicators); });
  out += fmt::format(
      "<h2>Series</h2><p class=\"legend\"><span><i class=\"key\" style=\"background:#24292f\"></i>"
      "observed</span><span><i class=\"key\" style=\"background:#2f6fb3\"></i>expected</span>"
      "<span><i class=\"key\" style=\"background:#d4a017\"></i>alarm threshold (band from "
      "the expected value)</span>"
      "<span><i class=\"key\" style=\"background:#cf222e\"></i>alarm of the plotted "
      "detector</span><span><i class=\"key\" style=\"border:1.5px solid #cf222e\"></i>alarm "
      "of another detector only</span>"
      "<span><i class=\"key\" style=\"background:#f4a3a3\"></i>labelled event</span></p>\n"
      "<p class=\"note\">Series with labelled events first, then those with alarms only; the "
      "plotted detector is the indicator's first{}.</p>\n",
      runs.size() > 1
          ? fmt::format("; alarms of the first policies ({})", Escape(runs.front().name))
          : "");
  std::vector<const SeriesTrace*> shown;
  for (const SeriesTrace& t : runs.front().evaluation.traces) {
    if (!t.periods.empty() && (!t.labels.empty() || t.alarm_count > 0)) {
      shown.push_back(&t);
    }
  }
  std::stable_partition(shown.begin(), shown.end(),
                        [](const SeriesTrace* t) { return !t->labels.empty(); });
  int plotted = 0;
  int left_out = 0;
  for (const SeriesTrace* trace : shown) {
    const SeriesTrace& t = *trace;
    if (plotted == max_plots) {
      ++left_out;
      continue;
    }
    ++plotted;
    fmt::format_to(std::back_inserter(out),
                   "<h3>{} &middot; {} <span class=\"note\">{} "
                   "labelled event(s), {} alarm period(s)</span></h3>\n{}\n",
                   Escape(t.key.indicator), Escape(t.key.region), t.labels.size(), t.alarm_count,
                   Plot(t));
  }
  if (left_out > 0) {
    fmt::format_to(std::back_inserter(out),
                   "<p class=\"note\">{} more series with labelled events or alarms are not "
                   "plotted (at most {}; --max-plots).</p>\n",
                   left_out, max_plots);
  }
  return out + "</body></html>\n";
}

}  // namespace vigil::backtest
