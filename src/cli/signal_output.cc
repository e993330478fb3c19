#include "cli/signal_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "engine/signal_json.h"

namespace vigil::cli {
namespace {

// Rounded for reading; "-" when the detector could not compute it.
std::string Short(const std::optional<double>& value) {
  return value ? fmt::format("{:.2f}", *value) : "-";
}

// Full precision (shortest round trip); empty when absent.
template <typename T>
std::string Exact(const std::optional<T>& value) {
  return value ? fmt::format("{}", *value) : "";
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (char c : text) {
    quoted += c == '"' ? "\"\"" : std::string(1, c);
  }
  return quoted + "\"";
}

std::string AlarmText(const SignalRecord& s) {
  if (!s.alarm) {
    return "";
  }
  return s.level > 0 ? fmt::format("ALARM {}", s.level) : "ALARM";
}

std::string Table(const std::vector<StoredSignal>& signals, const Catalogue& catalogue) {
  std::vector<std::vector<std::string>> rows = {{"time", "indicator", "region", "detector",
                                                 "observed", "expected", "upperbound", "score",
                                                 "alarm", "revised"}};
  for (const StoredSignal& s : signals) {
    const SignalRecord& r = s.signal;
    rows.push_back({EventTime(r.time, s.key.indicator, catalogue), s.key.indicator, s.key.region,
                    r.method, Short(r.observed), Short(r.expected), Short(r.upperbound),
                    Short(r.score), AlarmText(r), s.revisions > 0 ? "yes" : ""});
  }
  return FormatTable(rows, {"observed", "expected", "upperbound", "score"});
}

std::string Csv(const std::vector<StoredSignal>& signals, const Catalogue& catalogue) {
  std::string out =
      "time,indicator,region,detector,method,params,observed,expected,upperbound,score,alarm,"
      "level,baseline_from,baseline_to,note,batch,revisions\n";
  for (const StoredSignal& s : signals) {
    const SignalRecord& r = s.signal;
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                   EventTime(r.time, s.key.indicator, catalogue), CsvField(s.key.indicator),
                   CsvField(s.key.region), r.detector, r.method, CsvField(r.params),
                   Exact(r.observed), Exact(r.expected), Exact(r.upperbound), Exact(r.score),
                   r.alarm ? 1 : 0, r.level, Exact(r.baseline_from), Exact(r.baseline_to),
                   CsvField(r.note), s.batch, s.revisions);
  }
  return out;
}

}  // namespace

std::string FormatTable(const std::vector<std::vector<std::string>>& rows,
                        const std::vector<std::string>& right) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const bool align_right =
          !rows.empty() && std::find(right.begin(), right.end(), rows[0][c]) != right.end();
      line += c == 0 ? "" : "  ";
      line += align_right ? fmt::format("{:>{}}", row[c], widths[c])
                          : fmt::format("{:<{}}", row[c], widths[c]);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

std::string FormatSignals(const std::vector<StoredSignal>& signals, const Catalogue& catalogue,
                          SignalFormat format) {
  switch (format) {
    case SignalFormat::kTable:
      return Table(signals, catalogue);
    case SignalFormat::kCsv:
      return Csv(signals, catalogue);
    case SignalFormat::kJson:
      return SignalListJson(signals, catalogue);
  }
  return "";
}

}  // namespace vigil::cli
