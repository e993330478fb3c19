#include "detect/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace vigil {
namespace {

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) {
      return fields;
    }
    start = comma + 1;
  }
}

// Empty or NA: missing. Anything else must be a finite number.
Result<double> ParseNumber(std::string_view field, const std::string& where) {
  if (field.empty() || field == "NA") {
    return kMissing;
  }
  double value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size() || !std::isfinite(value)) {
    return InvalidArgument(fmt::format("{}: '{}' is not a finite number", where, field));
  }
  return value;
}

struct Columns {
  int time = -1;
  int value = -1;
  int denominator = -1;
  std::size_t count = 0;
};

Result<Columns> ParseHeader(std::string_view line, const std::string& source) {
  Columns c;
  const std::vector<std::string_view> names = SplitFields(line);
  c.count = names.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    int* slot = names[i] == "time"          ? &c.time
                : names[i] == "value"       ? &c.value
                : names[i] == "denominator" ? &c.denominator
                                            : nullptr;
    if (slot == nullptr || *slot >= 0) {
      return InvalidArgument(fmt::format(
          "{}:1: header field '{}' is {} (expected time,value and optionally denominator)", source,
          names[i], slot == nullptr ? "unknown" : "repeated"));
    }
    *slot = static_cast<int>(i);
  }
  if (c.time < 0 || c.value < 0) {
    return InvalidArgument(
        fmt::format("{}:1: header must name the columns time and value, got '{}'", source, line));
  }
  return c;
}

Status ParseRow(std::string_view line, const Columns& c, const std::string& where,
                SeriesTable& table) {
  const std::vector<std::string_view> fields = SplitFields(line);
  if (fields.size() != c.count) {
    return InvalidArgument(
        fmt::format("{}: expected {} fields, got {}", where, c.count, fields.size()));
  }
  Point point;
  VIGIL_ASSIGN_OR_RETURN(point.value, ParseNumber(fields[c.value], where + ": field 'value'"));
  if (c.denominator >= 0) {
    VIGIL_ASSIGN_OR_RETURN(point.denominator,
                           ParseNumber(fields[c.denominator], where + ": field 'denominator'"));
  }
  if (fields[c.time].empty()) {
    return InvalidArgument(where + ": field 'time' is empty");
  }
  table.times.emplace_back(fields[c.time]);
  table.points.push_back(point);
  return Status::Ok();
}

std::string Number(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }

// surveillance estimates a method's baseline from every period before the
// range; an optional `baseline` left unset therefore means FROM - 1 rows.
std::vector<std::pair<std::string, std::string>> ResolveParams(const MethodSpec& method,
                                                               const DetectRequest& request) {
  std::vector<std::pair<std::string, std::string>> params = request.params;
  const ParamSpec* baseline = method.FindParam("baseline");
  if (request.range_from > 0 && baseline != nullptr && baseline->type == ParamType::kOptionalInt &&
      std::none_of(params.begin(), params.end(),
                   [](const auto& p) { return p.first == "baseline"; })) {
    params.emplace_back("baseline", std::to_string(request.range_from - 1));
  }
  return params;
}

Status ResolveRange(const DetectRequest& request, std::size_t rows, std::size_t warmup,
                    std::size_t& from, std::size_t& to) {
  from = request.range_from > 0 ? static_cast<std::size_t>(request.range_from) : warmup + 1;
  to = request.range_to > 0 ? static_cast<std::size_t>(request.range_to) : rows;
  if (request.range_from < 0 || request.range_to < 0 || from > to || to > rows) {
    return InvalidArgument(fmt::format(
        "--range {}:{} is outside the series' {} rows (1-based, FROM <= TO){}", from, to, rows,
        request.range_from == 0
            ? fmt::format("; {} needs {} rows of history first", request.method, warmup)
            : ""));
  }
  return Status::Ok();
}

void AddNote(DetectResult& result, const Evaluation& e, std::int64_t row) {
  if (e.reason[0] == '\0') {
    return;
  }
  for (auto& [reason, rows] : result.notes) {
    if (reason == e.reason) {
      rows.push_back(row);
      return;
    }
  }
  result.notes.push_back({e.reason, {row}});
}

void RunStreaming(const StreamingDetector& detector, std::span<const Point> series,
                  DetectResult& result, std::size_t to) {
  std::vector<std::uint64_t> words((detector.state_size() + 7) / 8);
  const std::span<std::byte> state(reinterpret_cast<std::byte*>(words.data()),
                                   detector.state_size());
  detector.InitState(state);
  for (std::size_t row = 0; row < to; ++row) {
    Evaluation e = detector.Update(state, series[row]);
    if (row >= result.first_row) {
      AddNote(result, e, static_cast<std::int64_t>(row + 1));
      result.evaluations.push_back(e);
    }
  }
}

void RunPeriodic(const PeriodicDetector& detector, std::span<const Point> series,
                 const SeriesContext& context, DetectResult& result, std::size_t to) {
  for (std::size_t row = result.first_row; row < to; ++row) {
    Evaluation e = detector.Evaluate(series.first(row + 1), row, context);
    AddNote(result, e, static_cast<std::int64_t>(row + 1));
    result.evaluations.push_back(e);
  }
}

}  // namespace

Result<DetectResult> RunDetect(const DetectRequest& request, std::span<const Point> series) {
  const MethodSpec* method = FindMethod(request.method);
  if (method == nullptr) {
    return UnknownMethod(request.method);
  }
  VIGIL_ASSIGN_OR_RETURN(ParamSet params,
                         ParamSet::Parse(*method, ResolveParams(*method, request)));
  const SeriesContext context{.periods_per_year = request.periods_per_year};
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Detector> detector,
                         MakeDetector(*method, params, context));
  const auto* streaming = dynamic_cast<const StreamingDetector*>(detector.get());
  const auto* periodic = dynamic_cast<const PeriodicDetector*>(detector.get());
  const std::size_t warmup =
      streaming != nullptr ? streaming->warmup_periods() : periodic->history_needed(context);
  std::size_t from = 0;
  std::size_t to = 0;
  VIGIL_RETURN_IF_ERROR(ResolveRange(request, series.size(), warmup, from, to));
  DetectResult result;
  result.first_row = from - 1;
  if (streaming != nullptr) {
    RunStreaming(*streaming, series, result, to);
  } else {
    RunPeriodic(*periodic, series, context, result, to);
  }
  return result;
}

Result<SeriesTable> ParseSeriesCsv(std::string_view text, const std::string& source) {
  SeriesTable table;
  Columns columns;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line_number == 1) {
      VIGIL_ASSIGN_OR_RETURN(columns, ParseHeader(line, source));
    } else if (!line.empty()) {
      VIGIL_RETURN_IF_ERROR(
          ParseRow(line, columns, fmt::format("{}:{}", source, line_number), table));
    }
  }
  if (line_number == 0) {
    return InvalidArgument(source + ": empty file (expected a header time,value)");
  }
  table.has_denominator = columns.denominator >= 0;
  return table;
}

Result<SeriesTable> ReadSeriesCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError(path + ": cannot open for reading");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseSeriesCsv(text.str(), path);
}

std::string FormatRows(std::span<const std::int64_t> rows) {
  std::string out;
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t j = i;
    while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1) {
      ++j;
    }
    out += fmt::format("{}{}", out.empty() ? "" : ", ", rows[i]);
    if (j > i) {
      out += fmt::format("-{}", rows[j]);
    }
    i = j + 1;
  }
  return out;
}

void WriteDetectCsv(std::ostream& out, const SeriesTable& table, const DetectResult& result) {
  out << "time,observed,expected,upperbound,alarm,score\n";
  for (std::size_t i = 0; i < result.evaluations.size(); ++i) {
    const Evaluation& e = result.evaluations[i];
    out << table.times[result.first_row + i] << ',' << Number(e.observed) << ','
        << Number(e.expected) << ',' << Number(e.upperbound) << ',' << (e.alarm ? 1 : 0) << ','
        << Number(e.score) << '\n';
  }
}

}  // namespace vigil
