#include "engine/warning_stage.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "notify/outbox.h"
#include "warn/event_json.h"

namespace vigil {

struct WarningStage::Held {
  const SeriesKey* key;
  Signal signal;
};

struct WarningStage::Feed {
  const warn::IndicatorRules* rules = nullptr;  // nullptr: the indicator has no policy
  // A signal about a period that ended longer ago than this before now is history.
  Duration horizon{0};
};

namespace {

// How long a period of `frequency` lasts, at most (a sample: no time).
Duration LongestPeriod(Frequency frequency) {
  switch (frequency) {
    case Frequency::kStream:
      return Duration{0};
    case Frequency::kHourly:
      return std::chrono::hours(1);
    case Frequency::kDaily:
      return std::chrono::days(1);
    case Frequency::kWeekly:
      return std::chrono::weeks(1);
    case Frequency::kMonthly:
      return std::chrono::days(31);
  }
  return Duration{0};
}

}  // namespace

Result<warn::Event> DecodeStoredEvent(const WarningEventRecord& record) {
  Result<warn::Event> event = warn::DecodeEvent(record.body);
  if (!event.ok()) {
    return Internal(
        fmt::format("stored warning event {}: {}", record.seq, event.status().message()));
  }
  return event;
}

WarningStage::WarningStage(const Catalogue& catalogue, Store& store, const Clock& clock)
    : catalogue_(catalogue),
      store_(store),
      clock_(clock),
      rules_(std::make_unique<warn::Rules>(catalogue)),
      gate_(*rules_) {}

WarningStage::~WarningStage() = default;

Result<std::unique_ptr<WarningStage>> WarningStage::Open(const Catalogue& catalogue, Store& store,
                                                         const Clock& clock) {
  std::unique_ptr<WarningStage> stage(new WarningStage(catalogue, store, clock));
  VIGIL_RETURN_IF_ERROR(stage->Reload());
  return stage;
}

Status WarningStage::Reload() {
  batch_ = WarningCounts{};
  pending_ = warn::StepResult{};
  outbox_.clear();
  held_.clear();
  offered_at_.reset();
  const std::vector<Indicator>& indicators = catalogue_.indicators();
  feeds_.assign(indicators.size(), Feed{});
  for (size_t i = 0; i < indicators.size(); ++i) {
    Feed& feed = feeds_[i];
    feed.rules = rules_->FindIndicator(indicators[i].id);
    if (feed.rules != nullptr) {
      feed.horizon = LongestPeriod(indicators[i].frequency) + indicators[i].allowed_lateness +
                     feed.rules->policy->expire_after;
    }
  }
  return Replay();
}

Status WarningStage::Refresh() {
  VIGIL_ASSIGN_OR_RETURN(const std::int64_t last, store_.LastWarningEventSeq());
  return last == state_.next_seq - 1 ? Status::Ok() : Reload();
}

Status WarningStage::Replay() {
  state_ = warn::State{};
  gate_.Reset();
  VIGIL_ASSIGN_OR_RETURN(const std::vector<WarningEventRecord> records,
                         store_.ReadWarningEvents({}));
  for (const WarningEventRecord& record : records) {
    VIGIL_ASSIGN_OR_RETURN(const warn::Event event, DecodeStoredEvent(record));
    warn::Apply(state_, event);
  }
  return Status::Ok();
}

void WarningStage::Offer(const SeriesKey& key, const Signal& signal) {
  if (!signal.evaluation.evaluated) {
    return;  // says nothing about the level
  }
  const size_t slot = static_cast<size_t>(signal.series);
  if (slot >= series_.size()) {
    series_.resize(std::max(slot + 1, 2 * series_.size()));
  }
  SeriesFeed& series = series_[slot];
  if (series.feed == kUnresolved) {
    const Indicator* indicator = catalogue_.FindIndicator(key.indicator);
    series.feed = indicator == nullptr
                      ? kNoFeed
                      : static_cast<std::int32_t>(indicator - catalogue_.indicators().data());
  }
  if (series.feed == kNoFeed) {
    return;
  }
  const Feed& feed = feeds_[static_cast<size_t>(series.feed)];
  if (!offered_at_) {
    offered_at_ = clock_.Now();  // once a batch: reading a clock costs more than the rest
  }
  if (feed.rules == nullptr || signal.time + feed.horizon < *offered_at_) {
    return;
  }
  // Most signals of a quiet stream say 0 of a source without evidence; they
  // are dropped now rather than held, unless one of the series is held.
  if (series.held_in != batch_number_ &&
      gate_.Inert(state_, slot, signal.detector, signal.evaluation)) {
    return;
  }
  series.held_in = batch_number_;
  held_.push_back({&key, signal});
}

Result<warn::StepResult> WarningStage::Step(const warn::Input& input) {
  VIGIL_ASSIGN_OR_RETURN(warn::StepResult result, warn::Step(*rules_, state_, input, clock_.Now()));
  warn::StepResult copy = result;
  VIGIL_RETURN_IF_ERROR(Keep(std::move(result)));
  return copy;
}

Status WarningStage::Keep(warn::StepResult&& result) {
  // Payloads are built now, from the warning as this step left it.
  const std::int64_t last_seq = state_.next_seq - 1;
  for (const warn::Notification& n : result.notifications) {
    const warn::Warning* warning =
        state_.Latest(warn::WarningKeyView{n.key.domain, n.key.region, n.key.hazard});
    if (warning == nullptr || warning->id != n.warning_id) {
      return Internal(fmt::format("notification about {} without its warning", n.warning_id));
    }
    VIGIL_ASSIGN_OR_RETURN(std::vector<OutboxItem> items,
                           notify::MakeOutboxItems(n, *warning, catalogue_, last_seq));
    std::move(items.begin(), items.end(), std::back_inserter(outbox_));
  }
  std::move(result.events.begin(), result.events.end(), std::back_inserter(pending_.events));
  std::move(result.notifications.begin(), result.notifications.end(),
            std::back_inserter(pending_.notifications));
  return Status::Ok();
}

Status WarningStage::FeedFresh() {
  std::vector<Held> fresh;
  fresh.swap(held_);
  offered_at_.reset();
  ++batch_number_;
  const auto by_period = [](const Held& a, const Held& b) { return a.signal.time < b.signal.time; };
  // A stream offers its signals in period order already.
  if (!std::is_sorted(fresh.begin(), fresh.end(), by_period)) {
    std::stable_sort(fresh.begin(), fresh.end(), by_period);
  }
  const Timestamp now = clock_.Now();
  for (const Held& h : fresh) {
    const warn::SignalInput input{.indicator = h.key->indicator,
                                  .region = h.key->region,
                                  .detector = h.signal.detector,
                                  .period = h.signal.time,
                                  .revised = h.signal.revised,
                                  .evaluation = h.signal.evaluation};
    warn::StepResult result;
    VIGIL_RETURN_IF_ERROR(
        gate_.Step(state_, static_cast<size_t>(h.signal.series), input, now, result));
    VIGIL_RETURN_IF_ERROR(Keep(std::move(result)));
  }
  VIGIL_ASSIGN_OR_RETURN(warn::StepResult ticked, warn::Step(*rules_, state_, warn::Tick{}, now));
  return Keep(std::move(ticked));
}

Status WarningStage::Write(StoreTransaction& transaction) {
  VIGIL_RETURN_IF_ERROR(FeedFresh());
  if (pending_.events.empty()) {
    return Status::Ok();
  }
  std::vector<WarningEventRecord> records;
  records.reserve(pending_.events.size());
  for (const warn::Event& e : pending_.events) {
    const bool silence =
        e.kind == warn::EventKind::kSilenceCreated || e.kind == warn::EventKind::kSilenceExpired;
    records.push_back({.seq = e.seq,
                       .at = e.at,
                       .kind = std::string(warn::EventKindName(e.kind)),
                       .key = silence ? std::string() : e.key.ToString(),
                       .warning_id = e.warning.id,
                       .actor = e.actor,
                       .body = warn::EncodeEvent(e)});
  }
  VIGIL_RETURN_IF_ERROR(transaction.AppendWarningEvents(records));
  VIGIL_RETURN_IF_ERROR(transaction.EnqueueOutbox(outbox_));
  batch_.events = static_cast<std::int64_t>(records.size());
  batch_.warning_changes = std::count_if(records.begin(), records.end(),
                                         [](const auto& r) { return !r.warning_id.empty(); });
  batch_.notifications = static_cast<std::int64_t>(outbox_.size());
  return Status::Ok();
}

void WarningStage::OnCommitted() {
  committed_.events += batch_.events;
  committed_.warning_changes += batch_.warning_changes;
  committed_.notifications += batch_.notifications;
  batch_ = WarningCounts{};
  pending_ = warn::StepResult{};
  outbox_.clear();
}

Status WarningStage::OnRolledBack() { return Reload(); }

}  // namespace vigil
