// Scoring a replay against labelled events (docs/BACKTEST.md, "Metrics").
// Pure arithmetic over what the replay collected; no I/O.
//
// Definitions. A *period* is one period (or stream sample) of one series that
// detection judged (a signal with no note) within the scored range. It is an
// *alarm period* when any of the series' detectors alarmed on it. A labelled
// event covers the periods of its series from its start to its end,
// inclusive; an event counts when at least one of its periods was judged.
// - probability of detection (POD) = events with an alarm period inside them
//   / events;
// - false-alarm rate = 100 x alarm periods outside every event / periods
//   outside every event ("per 100 periods");
// - specificity = periods outside every event without an alarm / periods
//   outside every event;
// - positive predictive value (PPV) = alarm periods inside an event / alarm
//   periods;
// - timeliness, per detected event: the judged periods of the event before
//   its first alarm period (0: alarmed in its first period), and the time
//   from the event's start to that period's start;
// - warnings raised = warnings issued; level changes = updates that changed a
//   warning's level; warning duration = from issue to expiry or cancellation
//   (to the end of the replay while still active).
// A ratio with a zero denominator is absent, not zero.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "model/catalogue.h"
#include "model/observation.h"
#include "warn/warning.h"

namespace vigil::backtest {

// One labelled event. An empty indicator labels every series of the region.
struct Label {
  std::string indicator;
  std::string region;
  Timestamp start;  // the first period (or sample) affected
  Timestamp end;    // the last, inclusive
  std::string kind;
  std::string detail;
};

// Reads a labels file (header indicator,region,start,end,kind,detail, as
// `vigil simulate` writes; indicator may be empty, kind and detail may be
// absent). Times are in the indicator's form, or any time form without one.
// Errors name file, line and field.
Result<std::vector<Label>> ReadLabels(const Catalogue& catalogue, const std::string& path);

// The verdicts of one series, in period order.
struct SeriesVerdicts {
  std::vector<Timestamp> periods;
  std::vector<bool> alarms;  // per period: any detector alarmed
};

// Scored range: from <= period <= to; unset ends are open.
struct Range {
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  bool Contains(Timestamp t) const { return (!from || *from <= t) && (!to || t <= *to); }
};

struct Distribution {
  double q1 = 0;
  double median = 0;
  double q3 = 0;
  double min = 0;
  double max = 0;
};

// Quartiles by linear interpolation between order statistics (R's type 7);
// absent for no values.
std::optional<Distribution> Summarise(std::vector<double> values);

struct DetectionMetrics {
  std::int64_t series = 0;
  std::int64_t periods = 0;
  std::int64_t alarm_periods = 0;
  std::int64_t events = 0;
  std::int64_t detected = 0;
  std::int64_t quiet_periods = 0;     // outside every event
  std::int64_t false_alarms = 0;      // alarm periods outside every event
  std::vector<double> delay_periods;  // per detected event
  std::vector<double> delay_seconds;

  std::optional<double> Pod() const;
  std::optional<double> FalseAlarmsPer100() const;
  std::optional<double> Specificity() const;
  std::optional<double> Ppv() const;
  void Add(const DetectionMetrics& other);
};

// Scores one series against the labels that concern it.
DetectionMetrics ScoreSeries(const SeriesVerdicts& verdicts, std::span<const Label> labels,
                             const Range& range);

struct WarningMetrics {
  std::int64_t raised = 0;
  std::int64_t level_changes = 0;
  double duration_seconds = 0;  // summed over the warnings raised

  std::optional<double> MeanDurationHours() const;
  void Add(const WarningMetrics& other);
};

// Per warning id, from the log: raised within the range, with its level
// changes and duration (ended by the replay's `end` while still active).
struct WarningSummary {
  warn::WarningKey key;
  WarningMetrics metrics;
};
std::vector<WarningSummary> SummariseWarnings(std::span<const warn::Event> events,
                                              const Range& range, Timestamp end);

}  // namespace vigil::backtest
