// What the scenario generators share: where they write, the labels file, and
// helpers for the catalogue entries they declare. Internal to simulate/.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "simulate/counts.h"
#include "simulate/output.h"
#include "simulate/workspace.h"

namespace vigil::sim {

// The labels file: one row per injected event.
class LabelSink {
 public:
  // Every time is written moved by `shift` (SimulateOptions::end).
  LabelSink(CsvFile file, Duration shift) : file_(std::move(file)), shift_(shift) {}
  // `start` and `end` are event times, written in `frequency`'s form.
  void Add(std::string_view indicator, std::string_view region, Timestamp start, Timestamp end,
           Frequency frequency, std::string_view kind, std::string_view detail);
  std::int64_t count() const { return count_; }
  Status Close() { return file_.Close(); }

 private:
  CsvFile file_;
  Duration shift_;
  std::int64_t count_ = 0;
};

struct ScenarioContext;

// An observation file being written, counting its rows.
class ObservationFile {
 public:
  // Creates data/<name> under context.dir; the source column holds `source`.
  static Result<ObservationFile> Create(const ScenarioContext& context, std::string_view name,
                                        std::string source);
  // The text of event time `t` in this file: in `frequency`'s form, moved by the context's shift.
  std::string Time(Timestamp t, Frequency frequency) const;
  void Add(std::string_view indicator, std::string_view region, std::string_view time,
           std::string_view value, std::string_view denominator = {});
  std::int64_t count() const { return count_; }
  Status Close() { return file_.Close(); }

 private:
  ObservationFile(CsvFile file, std::string source, Duration shift)
      : file_(std::move(file)), source_(std::move(source)), shift_(shift) {}
  CsvFile file_;
  std::string source_;
  Duration shift_;
  std::int64_t count_ = 0;
};

struct ScenarioContext {
  std::uint64_t seed = 0;
  std::filesystem::path dir;
  LabelSink* labels = nullptr;
  Duration shift{};               // added to every time written (SimulateOptions::end)
  std::int64_t observations = 0;  // rows written to data/, revisions included
  std::int64_t series = 0;
};

// A weekly count series with the names its rows carry.
struct NamedSeries {
  std::string indicator;
  std::string region;
  std::string denominator;  // written in every row; empty for none
  CountSeries counts;
};

// Called with (series index, week index, value) for every row written.
using CountObserver = std::function<void(std::size_t, std::int64_t, std::int64_t)>;

// Writes data/<name>: `weeks` weeks from `first_week`, week by week and within
// a week series by series (the order data would arrive in), each value the
// baseline draw plus the planned outbreak cases.
Status WriteWeeklyCounts(ScenarioContext& context, std::string_view name, std::string source,
                         Timestamp first_week, std::int64_t weeks, std::vector<NamedSeries>& series,
                         const CountObserver& observe = {});

// A file source for data/<name>.
DataSource FileSource(std::string id, std::string name);

// Monday of week `index` (0-based) of a weekly series of `weeks` weeks whose
// last week is 2024-W52: every weekly scenario ends there.
Timestamp SeriesWeek(std::int64_t weeks, std::int64_t index);

// The instant `text` denotes (a literal of the scenario's fixed calendar).
Timestamp At(std::string_view rfc3339_or_date);

}  // namespace vigil::sim
