#include "engine/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/log.h"
#include "core/metrics.h"

namespace vigil {
namespace {

constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNoPeriod = std::numeric_limits<std::int64_t>::max();

int PeriodsPerYear(Frequency f) {
  switch (f) {
    case Frequency::kStream:
      return 0;
    case Frequency::kHourly:
      return 8760;
    case Frequency::kDaily:
      return 365;
    case Frequency::kWeekly:
      return 52;
    case Frequency::kMonthly:
      return 12;
  }
  return 0;
}

void Fnv1a(std::uint64_t& h, std::string_view text) {
  for (unsigned char c : text) {
    h = (h ^ c) * 0x100000001b3ULL;
  }
  h = (h ^ 0xff) * 0x100000001b3ULL;  // separator, so "ab","c" differs from "a","bc"
}

// One streaming update in this many is timed.
constexpr std::int64_t kTimedEvery = 64;

// The process's histogram of how long `method` takes to judge one sample or
// period: from a microsecond (a streaming update) to seconds (a GLM refit).
metrics::Histogram& DetectorLatency(const MethodSpec& method) {
  static metrics::Family<metrics::Histogram>& family = metrics::DefaultRegistry().AddHistogram(
      "vigil_detector_evaluation_seconds",
      "Time a detector took to judge one sample (streaming) or one period (periodic).", {"method"},
      {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10});
  return family.With({method.name});
}

}  // namespace

struct DetectionEngine::IndicatorRuntime {
  struct Streaming {
    const StreamingDetector* detector;
    std::uint16_t index;
    std::size_t offset;
    metrics::Histogram* latency;
  };
  struct Periodic {
    const PeriodicDetector* detector;
    std::uint16_t index;
    metrics::Histogram* latency;
  };
  const Indicator* indicator = nullptr;
  std::vector<std::unique_ptr<Detector>> detectors;
  std::vector<Streaming> streaming;
  std::vector<Periodic> periodic;
  std::size_t state_words = 0;  // per series, in 8-byte words
  std::size_t history_len = 0;  // periods of history the periodic detectors read
  // Periods of history kept in memory and restored after a restart: a late
  // value may re-judge a period history_len back, whose fit reaches
  // history_len further.
  std::size_t kept_history() const { return 2 * history_len; }
  SeriesContext context;
  std::uint64_t fingerprint = 0xcbf29ce484222325ULL;
  std::vector<std::int32_t> members;
  std::int64_t newest_period = kNoTime;
  std::int64_t closed_through = kNoTime;
  bool started = false;
  // Set until a checkpoint holds the current state, so the first batch writes
  // every indicator's fingerprint (stream indicators never close periods).
  bool dirty = true;

  bool periodic_frequency() const { return indicator->frequency != Frequency::kStream; }
};

struct DetectionEngine::SeriesRuntime {
  SeriesId id = 0;
  std::size_t indicator = 0;
  std::vector<std::uint64_t> state;
  std::int64_t last_time_ns = kNoTime;
  std::int64_t first_period = kNoPeriod;
  std::vector<Point> history;  // periods [history_start, history_start + size)
  std::int64_t history_start = 0;
  std::map<std::int64_t, Point> pending;  // values of periods not yet closed
  bool dirty = false;

  std::int64_t history_end() const {
    return history_start + static_cast<std::int64_t>(history.size());
  }
  // Extends the history with missing periods until it covers [history_start, end).
  void PadHistory(std::int64_t end, Frequency f) {
    while (history_end() < end) {
      history.push_back(Point{PeriodStart(history_end(), f)});
    }
  }

  std::span<std::byte> StateBytes(std::size_t offset, std::size_t size) {
    return {reinterpret_cast<std::byte*>(state.data()) + offset, size};
  }
};

DetectionEngine::~DetectionEngine() = default;

Result<std::unique_ptr<DetectionEngine>> DetectionEngine::Create(const Catalogue& catalogue) {
  std::unique_ptr<DetectionEngine> engine(new DetectionEngine());
  for (const Indicator& indicator : catalogue.indicators()) {
    auto ind = std::make_unique<IndicatorRuntime>();
    ind->indicator = &indicator;
    ind->context.periods_per_year = PeriodsPerYear(indicator.frequency);
    Fnv1a(ind->fingerprint, FrequencyName(indicator.frequency));
    Fnv1a(ind->fingerprint, std::to_string(indicator.allowed_lateness.count()));
    std::size_t offset = 0;
    for (const DetectorSpec& spec : indicator.detectors) {
      const MethodSpec* method = FindMethod(spec.method);
      if (method == nullptr) {
        return UnknownMethod(spec.method);
      }
      std::vector<std::pair<std::string, std::string>> given;
      for (const DetectorParam& p : spec.params) {
        given.emplace_back(p.name, p.value);
      }
      const std::string where = fmt::format("indicator {} detector {}", indicator.id, spec.method);
      auto params = ParamSet::Parse(*method, given);
      if (!params.ok()) {
        return params.status().WithContext(where);
      }
      auto detector = MakeDetector(*method, *params, ind->context);
      if (!detector.ok()) {
        return detector.status().WithContext(where);
      }
      Fnv1a(ind->fingerprint, spec.method);
      for (const auto& [name, value] : params->values()) {
        Fnv1a(ind->fingerprint, name + "=" + value);
      }
      const auto index = static_cast<std::uint16_t>(ind->detectors.size());
      if (auto* s = dynamic_cast<const StreamingDetector*>(detector->get())) {
        ind->streaming.push_back({s, index, offset, &DetectorLatency(*method)});
        offset += (s->state_size() + 7) / 8 * 8;
      } else if (auto* p = dynamic_cast<const PeriodicDetector*>(detector->get())) {
        if (!ind->periodic_frequency()) {
          return InvalidArgument(where + ": a periodic detector needs a periodic indicator");
        }
        ind->periodic.push_back({p, index, &DetectorLatency(*method)});
        ind->history_len = std::max(ind->history_len, p->history_needed(ind->context) + 1);
      }
      ind->detectors.push_back(std::move(detector).value());
    }
    ind->state_words = offset / 8;
    engine->indicator_by_id_.emplace(indicator.id, engine->indicators_.size());
    engine->indicators_.push_back(std::move(ind));
  }
  return engine;
}

Status DetectionEngine::AddSeries(SeriesId id, const SeriesKey& key) {
  if (id < 0) {
    return InvalidArgument(fmt::format("series id {} is negative", id));
  }
  auto it = indicator_by_id_.find(key.indicator);
  if (it == indicator_by_id_.end()) {
    return NotFound(fmt::format("unknown indicator '{}'", key.indicator));
  }
  if (static_cast<std::size_t>(id) >= slot_by_id_.size()) {
    slot_by_id_.resize(static_cast<std::size_t>(id) + 1, -1);
  }
  if (slot_by_id_[id] >= 0) {
    return Status::Ok();
  }
  IndicatorRuntime& ind = *indicators_[it->second];
  auto s = std::make_unique<SeriesRuntime>();
  s->id = id;
  s->indicator = it->second;
  s->state.assign(ind.state_words, 0);
  for (const auto& d : ind.streaming) {
    d.detector->InitState(s->StateBytes(d.offset, d.detector->state_size()));
  }
  const auto slot = static_cast<std::int32_t>(series_.size());
  slot_by_id_[id] = slot;
  ind.members.push_back(slot);
  series_.push_back(std::move(s));
  return Status::Ok();
}

const Detector& DetectionEngine::DetectorOf(const Signal& signal) const {
  const SeriesRuntime& s = *series_[slot_by_id_[signal.series]];
  return *indicators_[s.indicator]->detectors[signal.detector];
}

void DetectionEngine::MarkDirty(SeriesRuntime& s) {
  if (!s.dirty) {
    s.dirty = true;
    dirty_.push_back(slot_by_id_[s.id]);
  }
}

void DetectionEngine::Observe(const Observation& o, AppendOutcome outcome, SignalSink& sink) {
  if (outcome == AppendOutcome::kUnchanged || o.series < 0 ||
      static_cast<std::size_t>(o.series) >= slot_by_id_.size() || slot_by_id_[o.series] < 0) {
    return;
  }
  SeriesRuntime& s = *series_[slot_by_id_[o.series]];
  IndicatorRuntime& ind = *indicators_[s.indicator];
  ++stats_.observations;
  if (ind.periodic_frequency()) {
    ObservePeriodic(s, ind, o, sink);
  } else {
    ObserveStream(s, ind, o, sink);
  }
}

void DetectionEngine::ObserveStream(SeriesRuntime& s, IndicatorRuntime& ind, const Observation& o,
                                    SignalSink& sink) {
  const std::int64_t t = o.time.time_since_epoch().count();
  if (t <= s.last_time_ns) {
    ++stats_.out_of_order;
    return;
  }
  s.last_time_ns = t;
  JudgeStreaming(s, ind, Point{o.time, o.value, o.denominator.value_or(kMissing)}, sink);
  MarkDirty(s);
}

void DetectionEngine::JudgeStreaming(SeriesRuntime& s, IndicatorRuntime& ind, const Point& p,
                                     SignalSink& sink) {
  Signal signal;
  signal.series = s.id;
  signal.time = p.time;
  for (const auto& d : ind.streaming) {
    signal.detector = d.index;
    // Reading the clock around every update would cost as much as the
    // update: one in kTimedEvery is timed, a sample of the distribution.
    if (stats_.evaluations % kTimedEvery == 0) {
      const metrics::Stopwatch watch;
      signal.evaluation = d.detector->Update(s.StateBytes(d.offset, d.detector->state_size()), p);
      d.latency->Observe(watch.Seconds());
    } else {
      signal.evaluation = d.detector->Update(s.StateBytes(d.offset, d.detector->state_size()), p);
    }
    ++stats_.evaluations;
    sink.OnSignal(signal);
  }
}

void DetectionEngine::ObservePeriodic(SeriesRuntime& s, IndicatorRuntime& ind, const Observation& o,
                                      SignalSink& sink) {
  const Frequency f = ind.indicator->frequency;
  const std::int64_t period = PeriodIndex(o.time, f);
  const Point point{PeriodStart(period, f), o.value, o.denominator.value_or(kMissing)};
  if (ind.newest_period == kNoTime || period > ind.newest_period) {
    ind.newest_period = period;
    ind.dirty = true;
  }
  if (!ind.started || period > ind.closed_through) {
    s.first_period = std::min(s.first_period, period);
    if (s.pending.insert_or_assign(period, point).second) {
      ++pending_values_;
    }
    MarkDirty(s);
    return;
  }
  // A late value or a revision of a period already judged. Periods more than
  // history_len back are final: their history may no longer be in memory.
  ++stats_.late;
  const std::int64_t oldest_kept =
      ind.closed_through - static_cast<std::int64_t>(ind.history_len) + 1;
  if (period < oldest_kept || ind.periodic.empty()) {
    return;
  }
  if (s.history.empty() || period < s.history_start) {
    const std::int64_t old_start = s.history.empty() ? period : s.history_start;
    std::vector<Point> filled;
    for (std::int64_t p = period; p < old_start; ++p) {
      filled.push_back(Point{PeriodStart(p, f)});
    }
    s.history.insert(s.history.begin(), filled.begin(), filled.end());
    s.history_start = period;
  }
  s.PadHistory(ind.closed_through + 1, f);
  s.history[period - s.history_start] = point;
  s.first_period = std::min(s.first_period, period);
  MarkDirty(s);
  JudgePeriodic(s, ind, period, /*revised=*/true, sink);
}

void DetectionEngine::JudgePeriodic(SeriesRuntime& s, IndicatorRuntime& ind, std::int64_t period,
                                    bool revised, SignalSink& sink) {
  const std::int64_t idx = period - s.history_start;
  if (idx < 0 || idx >= static_cast<std::int64_t>(s.history.size())) {
    return;
  }
  const std::span<const Point> history(s.history.data(), static_cast<std::size_t>(idx) + 1);
  Signal signal;
  signal.series = s.id;
  signal.time = s.history[idx].time;
  signal.revised = revised;
  for (const auto& d : ind.periodic) {
    signal.detector = d.index;
    const metrics::Stopwatch watch;
    signal.evaluation = d.detector->Evaluate(history, static_cast<std::size_t>(idx), ind.context);
    d.latency->Observe(watch.Seconds());
    // The detector's baseline is in indexes of the history in memory, which
    // starts where trimming or the last restart left it: stored, it is in
    // period indexes, the same whatever the engine kept.
    for (std::int64_t* bound : {&signal.evaluation.baseline_from, &signal.evaluation.baseline_to}) {
      *bound = *bound < 0 ? *bound : *bound + s.history_start;
    }
    ++stats_.evaluations;
    sink.OnSignal(signal);
  }
}

void DetectionEngine::CloseReady(SignalSink& sink, std::int64_t hold_back) {
  for (auto& ind_ptr : indicators_) {
    IndicatorRuntime& ind = *ind_ptr;
    if (!ind.periodic_frequency() || ind.newest_period == kNoTime) {
      continue;
    }
    const Frequency f = ind.indicator->frequency;
    const Timestamp watermark = PeriodStart(ind.newest_period, f) - ind.indicator->allowed_lateness;
    const std::int64_t ready = PeriodIndex(watermark, f) - hold_back;
    if (!ind.started) {
      std::int64_t first = kNoPeriod;
      for (std::int32_t slot : ind.members) {
        first = std::min(first, series_[slot]->first_period);
      }
      if (first == kNoPeriod || first > ready) {
        continue;
      }
      ind.closed_through = first - 1;
      ind.started = true;
    }
    for (std::int64_t p = ind.closed_through + 1; p <= ready; ++p) {
      ClosePeriod(ind, p, sink);
    }
  }
}

void DetectionEngine::ClosePeriod(IndicatorRuntime& ind, std::int64_t period, SignalSink& sink) {
  const Frequency f = ind.indicator->frequency;
  for (std::int32_t slot : ind.members) {
    SeriesRuntime& s = *series_[slot];
    if (s.first_period > period) {
      continue;
    }
    Point point{PeriodStart(period, f)};
    if (auto it = s.pending.find(period); it != s.pending.end()) {
      point = it->second;
      s.pending.erase(it);
      --pending_values_;
    }
    if (!ind.periodic.empty()) {
      if (s.history.empty()) {
        s.history_start = period;
      }
      s.PadHistory(period, f);
      s.history.push_back(point);
      // Trimming in steps of history_len keeps the cost amortised.
      if (s.history.size() > ind.kept_history() + ind.history_len) {
        const std::size_t drop = s.history.size() - ind.kept_history();
        s.history.erase(s.history.begin(), s.history.begin() + static_cast<std::ptrdiff_t>(drop));
        s.history_start += static_cast<std::int64_t>(drop);
      }
    }
    JudgeStreaming(s, ind, point, sink);
    JudgePeriodic(s, ind, period, /*revised=*/false, sink);
    MarkDirty(s);
  }
  ind.closed_through = period;
  ind.dirty = true;
  ++stats_.periods_closed;
}

bool DetectionEngine::TakeCheckpoints(std::vector<SeriesCheckpoint>& series,
                                      std::vector<IndicatorCheckpoint>& indicators, bool streams) {
  streams = streams || stream_reset_pending_;
  stream_reset_pending_ = false;
  // Elements already in the vectors are overwritten, not replaced: a caller
  // that passes the same vectors every batch keeps their state buffers, where
  // fresh ones cost a stream batch more than its inserts (a page fault per
  // kilobyte of state once the allocator had returned the last batch's).
  std::size_t n = 0;
  std::size_t kept = 0;  // stream series left for a later call, moved to the front of dirty_
  for (std::int32_t slot : dirty_) {
    SeriesRuntime& s = *series_[slot];
    if (!streams && !indicators_[s.indicator]->periodic_frequency()) {
      dirty_[kept++] = slot;
      continue;
    }
    if (n == series.size()) {
      series.emplace_back();
    }
    SeriesCheckpoint& c = series[n++];
    c.series = s.id;
    c.last_time_ns = s.last_time_ns;
    c.first_period = s.first_period;
    const auto* bytes = reinterpret_cast<const std::byte*>(s.state.data());
    c.states.assign(bytes, bytes + s.state.size() * 8);
    s.dirty = false;
  }
  series.resize(n);
  dirty_.resize(kept);
  n = 0;
  for (auto& ind : indicators_) {
    if (ind->dirty) {
      if (n == indicators.size()) {
        indicators.emplace_back();
      }
      IndicatorCheckpoint& c = indicators[n++];
      c.indicator = ind->indicator->id;
      c.fingerprint = ind->fingerprint;
      c.newest_period = ind->newest_period;
      c.closed_through = ind->closed_through;
      c.started = ind->started;
      ind->dirty = false;
    }
  }
  indicators.resize(n);
  return streams;
}

bool DetectionEngine::FollowsStream(SeriesId series) const {
  return series >= 0 && static_cast<std::size_t>(series) < slot_by_id_.size() &&
         slot_by_id_[series] >= 0 &&
         !indicators_[series_[slot_by_id_[series]]->indicator]->periodic_frequency();
}

Status DetectionEngine::Restore(const Checkpoints& checkpoints, Store& store) {
  std::vector<bool> reset(indicators_.size(), false);
  for (const IndicatorCheckpoint& c : checkpoints.indicators) {
    auto it = indicator_by_id_.find(c.indicator);
    if (it == indicator_by_id_.end()) {
      continue;  // the indicator was removed from the catalogue
    }
    IndicatorRuntime& ind = *indicators_[it->second];
    ind.newest_period = c.newest_period;
    ind.closed_through = c.closed_through;
    ind.started = c.started;
    // A changed configuration is checkpointed with the next batch, with the
    // fresh states of its series, so that the reset happens once.
    ind.dirty = c.fingerprint != ind.fingerprint;
    if (ind.dirty) {
      reset[it->second] = true;
      stream_reset_pending_ = stream_reset_pending_ || !ind.periodic_frequency();
      LogWarn("detector configuration changed: streaming detector state starts afresh",
              {{"indicator", c.indicator}});
    }
  }
  for (const SeriesCheckpoint& c : checkpoints.series) {
    if (c.series < 0 || static_cast<std::size_t>(c.series) >= slot_by_id_.size() ||
        slot_by_id_[c.series] < 0) {
      continue;  // a series of a removed indicator
    }
    SeriesRuntime& s = *series_[slot_by_id_[c.series]];
    s.last_time_ns = c.last_time_ns;
    s.first_period = c.first_period;
    if (reset[s.indicator]) {
      MarkDirty(s);
    } else if (c.states.size() == s.state.size() * 8) {
      std::memcpy(s.state.data(), c.states.data(), c.states.size());
    }
  }
  ReplayJournal(checkpoints.journal, reset);
  for (auto& s : series_) {
    IndicatorRuntime& ind = *indicators_[s->indicator];
    if (ind.periodic_frequency() && s->first_period != kNoPeriod) {
      VIGIL_RETURN_IF_ERROR(RestoreHistory(*s, ind, store));
    }
  }
  return Status::Ok();
}

void DetectionEngine::ReplayJournal(std::span<const StreamSample> journal,
                                    const std::vector<bool>& reset) {
  // The signals were stored with the batches that made them.
  class Discard final : public SignalSink {
   public:
    void OnSignal(const Signal& /*signal*/) override {}
  } discard;
  const EngineStats counted = stats_;  // replayed work is not new work
  Observation o;
  for (const StreamSample& sample : journal) {
    if (!FollowsStream(sample.series)) {
      continue;  // a series of a removed indicator
    }
    SeriesRuntime& s = *series_[slot_by_id_[sample.series]];
    IndicatorRuntime& ind = *indicators_[s.indicator];
    o.series = sample.series;
    o.time = Timestamp{Duration(sample.time_ns)};
    o.value = sample.value;
    o.denominator = sample.denominator;
    if (!reset[s.indicator]) {
      ObserveStream(s, ind, o, discard);
    } else if (sample.time_ns > s.last_time_ns) {
      // Fresh states learn from new samples only; which samples are new
      // still follows the journal.
      s.last_time_ns = sample.time_ns;
      MarkDirty(s);
    }
  }
  stats_ = counted;
}

Status DetectionEngine::RestoreHistory(SeriesRuntime& s, IndicatorRuntime& ind, Store& store) {
  const Frequency f = ind.indicator->frequency;
  const std::int64_t from_period =
      ind.started ? std::max(s.first_period,
                             ind.closed_through - static_cast<std::int64_t>(ind.kept_history()) + 1)
                  : s.first_period;
  VIGIL_ASSIGN_OR_RETURN(
      auto rows, store.Read(s.id, PeriodStart(from_period, f), Timestamp::max(), std::nullopt));
  s.history.clear();
  pending_values_ -= static_cast<std::int64_t>(s.pending.size());
  s.pending.clear();
  s.history_start = from_period;
  for (const StoredObservation& r : rows) {
    const std::int64_t p = PeriodIndex(r.time, f);
    const Point point{PeriodStart(p, f), r.value, r.denominator.value_or(kMissing)};
    if (ind.started && p <= ind.closed_through) {
      if (ind.periodic.empty()) {
        continue;
      }
      s.PadHistory(p, f);
      s.history.push_back(point);
    } else if (s.pending.insert_or_assign(p, point).second) {
      ++pending_values_;
    }
  }
  if (ind.started && !ind.periodic.empty()) {
    s.PadHistory(ind.closed_through + 1, f);
  }
  return Status::Ok();
}

}  // namespace vigil
