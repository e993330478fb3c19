#include "simulate/scenario.h"

#include <fmt/format.h>

#include <cstdlib>
#include <iterator>

namespace vigil::sim {
namespace {

// `t` moved by `shift`, as the period it then falls in: a shift need not be a
// whole number of periods, and an hourly time must be on the hour.
std::string MovedTime(Timestamp t, Duration shift, Frequency frequency) {
  return FormatEventTime(PeriodStart(PeriodIndex(t + shift, frequency), frequency), frequency);
}

}  // namespace

void LabelSink::Add(std::string_view indicator, std::string_view region, Timestamp start,
                    Timestamp end, Frequency frequency, std::string_view kind,
                    std::string_view detail) {
  file_.Row({indicator, region, MovedTime(start, shift_, frequency),
             MovedTime(end, shift_, frequency), kind, detail});
  ++count_;
}

Result<ObservationFile> ObservationFile::Create(const ScenarioContext& context,
                                                std::string_view name, std::string source) {
  const std::filesystem::path data = context.dir / "data";
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  if (ec) {
    return IoError(fmt::format("{}: {}", data.string(), ec.message()));
  }
  VIGIL_ASSIGN_OR_RETURN(CsvFile file, CsvFile::Create(data / name, kObservationHeader));
  return ObservationFile(std::move(file), std::move(source), context.shift);
}

std::string ObservationFile::Time(Timestamp t, Frequency frequency) const {
  return MovedTime(t, shift_, frequency);
}

void ObservationFile::Add(std::string_view indicator, std::string_view region,
                          std::string_view time, std::string_view value,
                          std::string_view denominator) {
  file_.Row({indicator, region, time, value, denominator, source_});
  ++count_;
}

Status WriteWeeklyCounts(ScenarioContext& context, std::string_view name, std::string source,
                         Timestamp first_week, std::int64_t weeks, std::vector<NamedSeries>& series,
                         const CountObserver& observe) {
  VIGIL_ASSIGN_OR_RETURN(ObservationFile file,
                         ObservationFile::Create(context, name, std::move(source)));
  const std::int64_t first = PeriodIndex(first_week, Frequency::kWeekly);
  std::string value;
  for (std::int64_t week = 0; week < weeks; ++week) {
    const std::string time =
        file.Time(PeriodStart(first + week, Frequency::kWeekly), Frequency::kWeekly);
    for (std::size_t i = 0; i < series.size(); ++i) {
      NamedSeries& s = series[i];
      const std::int64_t count = s.counts.Baseline(week) + s.counts.Extra(week);
      if (observe) {
        observe(i, week, count);
      }
      value.clear();
      fmt::format_to(std::back_inserter(value), "{}", count);
      file.Add(s.indicator, s.region, time, value, s.denominator);
    }
  }
  context.observations += file.count();
  context.series += static_cast<std::int64_t>(series.size());
  return file.Close();
}

DataSource FileSource(std::string id, std::string name) {
  return {.id = std::move(id), .kind = "file", .path = "data/" + name, .format = "csv"};
}

Timestamp SeriesWeek(std::int64_t weeks, std::int64_t index) {
  const std::int64_t last = PeriodIndex(At("2024-12-23"), Frequency::kWeekly);
  return PeriodStart(last - weeks + 1 + index, Frequency::kWeekly);
}

Timestamp At(std::string_view text) {
  Result<Timestamp> t = text.size() == 10 ? ParseDate(text) : ParseRfc3339(text);
  if (!t.ok()) {
    std::abort();  // a typo in a scenario's fixed calendar: a bug, not input
  }
  return *t;
}

}  // namespace vigil::sim
