#include "store/memory_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "store/audit.h"
#include "store/store_checks.h"

namespace vigil {
namespace {

// Versions of one observation in write order: the last one is current.
using Versions = std::vector<StoredObservation>;
using ObservationKey = std::pair<SeriesId, Timestamp>;
// Ordered as ReadSignals returns them: time, series, detector.
using SignalKey = std::tuple<Timestamp, SeriesId, int>;

SignalKey KeyOf(const SignalRecord& signal) {
  return {signal.time, signal.series, signal.detector};
}

bool Matches(const SignalFilter& f, const SignalRecord& r, const SeriesKey& key) {
  return (!f.series || r.series == *f.series) &&
         (f.indicator.empty() || key.indicator == f.indicator) &&
         (f.region.empty() || key.region == f.region) && (!f.from || r.time >= *f.from) &&
         (!f.to || r.time < *f.to) && (!f.alarms_only || r.alarm) && (!f.admit || f.admit(key));
}

bool SameVersion(const StoredObservation& stored, const Observation& observation) {
  return stored.value == observation.value && stored.denominator == observation.denominator &&
         stored.source == observation.source;
}

// The newest version that had arrived by `as_of`; on equal arrival, the one
// written last. Null when none had arrived.
const StoredObservation* VersionAsOf(const Versions& versions, Timestamp as_of) {
  const StoredObservation* best = nullptr;
  for (const StoredObservation& version : versions) {
    if (version.arrived <= as_of && (best == nullptr || version.arrived >= best->arrived)) {
      best = &version;
    }
  }
  return best;
}

// Events in seq order, as both the store and a transaction keep them.
using WarningEvents = std::vector<WarningEventRecord>;

bool HasSeq(const WarningEvents& events, std::int64_t seq) {
  return std::ranges::binary_search(events, seq, {}, &WarningEventRecord::seq);
}

bool Matches(const WarningEventFilter& f, const WarningEventRecord& e) {
  return (f.key.empty() || e.key == f.key) &&
         (f.warning_id.empty() || e.warning_id == f.warning_id);
}

bool Matches(const OutboxFilter& f, const OutboxItem& item) {
  return (!f.state || item.state == *f.state) &&
         (!f.due_by || (item.state == OutboxState::kPending && item.next_attempt <= *f.due_by)) &&
         (f.warning_id.empty() || item.warning_id == f.warning_id);
}

// The range a read starts from applies an AuditFilter whole.
bool Matches(const AuditFilter&, const AuditRecord&) { return true; }

// The rows of [it, end) that `filter` matches, at most filter.limit of them (0: no limit).
template <typename It, typename Filter>
std::vector<std::iter_value_t<It>> Select(It it, It end, const Filter& filter) {
  std::vector<std::iter_value_t<It>> rows;
  for (; it != end && (filter.limit <= 0 || std::ssize(rows) < filter.limit); ++it) {
    if (Matches(filter, *it)) {
      rows.push_back(*it);
    }
  }
  return rows;
}

// The record that follows the last of `log` (in seq order).
AuditRecord Chain(const std::vector<AuditRecord>& log, const AuditEntry& entry) {
  return log.empty() ? ChainAudit(0, kAuditGenesisHash, entry)
                     : ChainAudit(log.back().seq, log.back().hash, entry);
}

// Committed state. Writes of an open transaction are staged in the
// transaction and merged here only by Commit, so reads see committed data only.
struct State {
  std::vector<SeriesKey> series;  // series id - 1 -> key
  std::unordered_map<SeriesKey, SeriesId, SeriesKeyHash> series_ids;
  std::map<ObservationKey, Versions> observations;
  std::map<SignalKey, StoredSignal> signals;  // `key` is filled in when read
  std::map<SeriesId, SeriesCheckpoint> series_checkpoints;
  std::map<std::string, IndicatorCheckpoint, std::less<>> indicator_checkpoints;
  std::vector<StreamSample> journal;
  std::vector<BatchRecord> batches;
  WarningEvents warning_events;
  std::vector<OutboxItem> outbox;   // item id - 1 -> item
  std::vector<AuditRecord> audit;   // seq - 1 -> record
  std::vector<TokenRecord> tokens;  // in creation order
  bool transaction_open = false;

  bool HasSeries(SeriesId id) const {
    return id >= 1 && id <= static_cast<SeriesId>(series.size());
  }
};

class MemoryTransaction final : public StoreTransaction {
 public:
  MemoryTransaction(State& state, const BatchInfo& batch) : state_(state) {
    record_.id = static_cast<std::int64_t>(state.batches.size()) + 1;
    record_.info = batch;
    state_.transaction_open = true;
  }
  ~MemoryTransaction() override { Rollback(); }

  Result<SeriesId> InternSeries(const SeriesKey& key) override {
    VIGIL_RETURN_IF_ERROR(CheckOpen());
    if (auto it = state_.series_ids.find(key); it != state_.series_ids.end()) {
      return it->second;
    }
    if (auto it = new_series_ids_.find(key); it != new_series_ids_.end()) {
      return it->second;
    }
    new_series_.push_back(key);
    const SeriesId id = static_cast<SeriesId>(state_.series.size() + new_series_.size());
    new_series_ids_.emplace(key, id);
    return id;
  }

  Result<AppendOutcome> Append(const Observation& observation) override {
    VIGIL_RETURN_IF_ERROR(CheckWritable(observation.series));
    const ObservationKey key{observation.series, observation.time};
    const StoredObservation* current = Current(key);
    AppendOutcome outcome = AppendOutcome::kInserted;
    if (current != nullptr) {
      outcome =
          SameVersion(*current, observation) ? AppendOutcome::kUnchanged : AppendOutcome::kRevised;
    }
    CountOutcome(outcome, record_);
    if (outcome != AppendOutcome::kUnchanged) {
      staged_[key].push_back({observation.time, observation.value, observation.denominator,
                              observation.source, record_.info.arrived});
    }
    return outcome;
  }

  Status WriteSignal(const SignalRecord& signal) override {
    VIGIL_RETURN_IF_ERROR(CheckWritable(signal.series));
    const SignalKey key = KeyOf(signal);
    const StoredSignal* current = nullptr;
    if (auto it = staged_signals_.find(key); it != staged_signals_.end()) {
      current = &it->second;
    } else if (auto c = state_.signals.find(key); c != state_.signals.end()) {
      current = &c->second;
    }
    const std::int64_t revisions = current == nullptr ? 0 : current->revisions + 1;
    staged_signals_[key] = StoredSignal{signal, {}, record_.id, revisions};
    return Status::Ok();
  }

  Status WriteCheckpoints(const std::vector<SeriesCheckpoint>& series,
                          const std::vector<IndicatorCheckpoint>& indicators) override {
    VIGIL_RETURN_IF_ERROR(CheckOpen());
    for (const SeriesCheckpoint& c : series) {
      staged_series_checkpoints_[c.series] = c;
    }
    for (const IndicatorCheckpoint& c : indicators) {
      staged_indicator_checkpoints_[c.indicator] = c;
    }
    return Status::Ok();
  }

  Status AppendStreamJournal(std::span<const StreamSample> samples) override {
    VIGIL_RETURN_IF_ERROR(CheckOpen());
    staged_journal_.insert(staged_journal_.end(), samples.begin(), samples.end());
    return Status::Ok();
  }

  Status ClearStreamJournal() override {
    VIGIL_RETURN_IF_ERROR(CheckOpen());
    journal_cleared_ = true;
    staged_journal_.clear();
    return Status::Ok();
  }

  Status AppendWarningEvents(const std::vector<WarningEventRecord>& events) override {
    VIGIL_RETURN_IF_ERROR(CheckOpen());
    const WarningEvents& newest = staged_events_.empty() ? state_.warning_events : staged_events_;
    const std::int64_t last = newest.empty() ? 0 : newest.back().seq;
    VIGIL_RETURN_IF_ERROR(CheckWarningEventSeqs(events, last, [this](std::int64_t seq) {
      return HasSeq(state_.warning_events, seq) || HasSeq(staged_events_, seq);
    }));
    staged_events_.insert(staged_events_.end(), events.begin(), events.end());
    return Status::Ok();
  }

  Status EnqueueOutbox(std::vector<OutboxItem>& items) override {
    VIGIL_RETURN_IF_ERROR(CheckOpen());
    for (OutboxItem& item : items) {
      MarkPending(item);
      item.id = static_cast<std::int64_t>(state_.outbox.size() + staged_outbox_.size()) + 1;
      staged_outbox_.push_back(item);
    }
    return Status::Ok();
  }

  Status AppendAudit(const AuditEntry& entry) override {
    VIGIL_RETURN_IF_ERROR(CheckOpen());
    staged_audit_.push_back(Chain(staged_audit_.empty() ? state_.audit : staged_audit_, entry));
    return Status::Ok();
  }

  Result<BatchRecord> Commit() override {
    VIGIL_RETURN_IF_ERROR(CheckOpen());
    for (SeriesKey& key : new_series_) {
      state_.series_ids.emplace(key, static_cast<SeriesId>(state_.series.size()) + 1);
      state_.series.push_back(std::move(key));
    }
    for (auto& [key, versions] : staged_) {
      Versions& stored = state_.observations[key];
      stored.insert(stored.end(), std::make_move_iterator(versions.begin()),
                    std::make_move_iterator(versions.end()));
    }
    for (auto& [key, signal] : staged_signals_) {
      state_.signals[key] = std::move(signal);
    }
    for (auto& [id, checkpoint] : staged_series_checkpoints_) {
      state_.series_checkpoints[id] = std::move(checkpoint);
    }
    for (auto& [id, checkpoint] : staged_indicator_checkpoints_) {
      state_.indicator_checkpoints[id] = std::move(checkpoint);
    }
    if (journal_cleared_) {
      state_.journal.clear();
    }
    std::ranges::move(staged_journal_, std::back_inserter(state_.journal));
    std::ranges::move(staged_events_, std::back_inserter(state_.warning_events));
    std::ranges::move(staged_outbox_, std::back_inserter(state_.outbox));
    std::ranges::move(staged_audit_, std::back_inserter(state_.audit));
    state_.batches.push_back(record_);
    Close();
    return record_;
  }

  void Rollback() override {
    if (open_) {
      Close();
    }
  }

 private:
  Status CheckOpen() const {
    return open_ ? Status::Ok() : FailedPrecondition("the transaction is already finished");
  }

  // Open, and `series` committed or interned by this transaction.
  Status CheckWritable(SeriesId series) const {
    VIGIL_RETURN_IF_ERROR(CheckOpen());
    const auto known = static_cast<SeriesId>(state_.series.size() + new_series_.size());
    if (series < 1 || series > known) {
      return NotFound(fmt::format("series {} does not exist", series));
    }
    return Status::Ok();
  }

  // The current version of `key` as this transaction sees it.
  const StoredObservation* Current(const ObservationKey& key) const {
    if (auto it = staged_.find(key); it != staged_.end()) {
      return &it->second.back();
    }
    auto it = state_.observations.find(key);
    return it == state_.observations.end() ? nullptr : &it->second.back();
  }

  void Close() {
    open_ = false;
    state_.transaction_open = false;
    new_series_.clear();
    new_series_ids_.clear();
    staged_.clear();
    staged_signals_.clear();
    staged_series_checkpoints_.clear();
    staged_indicator_checkpoints_.clear();
    staged_journal_.clear();
    journal_cleared_ = false;
    staged_events_.clear();
    staged_outbox_.clear();
    staged_audit_.clear();
  }

  State& state_;
  bool open_ = true;
  BatchRecord record_;
  std::vector<SeriesKey> new_series_;
  std::unordered_map<SeriesKey, SeriesId, SeriesKeyHash> new_series_ids_;
  std::map<ObservationKey, Versions> staged_;
  std::map<SignalKey, StoredSignal> staged_signals_;
  std::map<SeriesId, SeriesCheckpoint> staged_series_checkpoints_;
  std::map<std::string, IndicatorCheckpoint, std::less<>> staged_indicator_checkpoints_;
  std::vector<StreamSample> staged_journal_;
  bool journal_cleared_ = false;  // the committed journal goes at commit
  WarningEvents staged_events_;
  std::vector<OutboxItem> staged_outbox_;
  std::vector<AuditRecord> staged_audit_;
};

class MemoryStore final : public Store {
 public:
  Result<std::unique_ptr<StoreTransaction>> Begin(const BatchInfo& batch) override {
    if (state_.transaction_open) {
      return FailedPrecondition("a transaction is already open on this store");
    }
    return std::unique_ptr<StoreTransaction>(std::make_unique<MemoryTransaction>(state_, batch));
  }

  Result<std::optional<SeriesId>> FindSeries(const SeriesKey& key) override {
    auto it = state_.series_ids.find(key);
    if (it == state_.series_ids.end()) {
      return std::optional<SeriesId>();
    }
    return std::optional<SeriesId>(it->second);
  }

  Result<std::vector<SeriesInfo>> ListSeries() override {
    std::vector<SeriesInfo> list;
    list.reserve(state_.series.size());
    for (size_t i = 0; i < state_.series.size(); ++i) {
      list.push_back({static_cast<SeriesId>(i) + 1, state_.series[i]});
    }
    return list;
  }

  Result<std::vector<StoredObservation>> Read(SeriesId series, Timestamp from, Timestamp to,
                                              std::optional<Timestamp> as_of) override {
    VIGIL_RETURN_IF_ERROR(CheckSeries(series));
    std::vector<StoredObservation> read;
    auto it = state_.observations.lower_bound({series, from});
    const auto end = state_.observations.lower_bound({series, to});
    for (; from < to && it != end; ++it) {
      const StoredObservation* version =
          as_of ? VersionAsOf(it->second, *as_of) : &it->second.back();
      if (version != nullptr) {
        read.push_back(*version);
      }
    }
    return read;
  }

  Result<std::vector<StoredObservation>> History(SeriesId series, Timestamp time) override {
    VIGIL_RETURN_IF_ERROR(CheckSeries(series));
    auto it = state_.observations.find({series, time});
    return it == state_.observations.end() ? Versions() : it->second;
  }

  Result<std::vector<BatchRecord>> Batches() override { return state_.batches; }

  Result<StoreStats> Stats() override {
    StoreStats stats;
    stats.series = static_cast<std::int64_t>(state_.series.size());
    stats.batches = static_cast<std::int64_t>(state_.batches.size());
    for (const auto& [key, versions] : state_.observations) {
      ++stats.observations;
      stats.revisions += static_cast<std::int64_t>(versions.size()) - 1;
    }
    return stats;
  }

  Result<std::vector<IndicatorStats>> StatsByIndicator() override {
    std::map<std::string, IndicatorStats> by_indicator;
    for (const SeriesKey& key : state_.series) {
      IndicatorStats& stats = by_indicator[key.indicator];
      stats.indicator = key.indicator;
      ++stats.series;
    }
    for (const auto& [key, versions] : state_.observations) {
      IndicatorStats& stats = by_indicator[KeyOf(key.first).indicator];
      ++stats.observations;
      stats.first = std::min(stats.first.value_or(key.second), key.second);
      stats.last = std::max(stats.last.value_or(key.second), key.second);
    }
    for (const auto& [key, signal] : state_.signals) {
      IndicatorStats& stats = by_indicator[KeyOf(signal.signal.series).indicator];
      ++stats.signals;
      stats.alarms += signal.signal.alarm ? 1 : 0;
    }
    std::vector<IndicatorStats> list;
    for (auto& [id, stats] : by_indicator) {
      list.push_back(std::move(stats));
    }
    return list;
  }

  Result<std::vector<StoredSignal>> ReadSignals(const SignalFilter& filter) override {
    std::vector<StoredSignal> read;
    auto visit = [&](auto it, auto end) {
      for (; it != end; ++it) {
        if (filter.limit > 0 && static_cast<std::int64_t>(read.size()) >= filter.limit) {
          return;
        }
        const SeriesKey& key = KeyOf(it->second.signal.series);
        if (Matches(filter, it->second.signal, key)) {
          read.push_back(it->second);
          read.back().key = key;
        }
      }
    };
    if (filter.newest_first) {
      visit(state_.signals.rbegin(), state_.signals.rend());
    } else {
      visit(state_.signals.begin(), state_.signals.end());
    }
    return read;
  }

  Result<Checkpoints> LoadCheckpoints() override {
    Checkpoints checkpoints;
    for (const auto& [id, c] : state_.series_checkpoints) {
      checkpoints.series.push_back(c);
    }
    for (const auto& [id, c] : state_.indicator_checkpoints) {
      checkpoints.indicators.push_back(c);
    }
    checkpoints.journal = state_.journal;
    return checkpoints;
  }

  Result<std::vector<WarningEventRecord>> ReadWarningEvents(
      const WarningEventFilter& filter) override {
    const WarningEvents& events = state_.warning_events;
    const auto first =
        std::ranges::upper_bound(events, filter.after_seq, {}, &WarningEventRecord::seq);
    return Select(first, events.end(), filter);
  }

  Result<std::int64_t> LastWarningEventSeq() override {
    return state_.warning_events.empty() ? 0 : state_.warning_events.back().seq;
  }

  Result<std::vector<OutboxItem>> ReadOutbox(const OutboxFilter& filter) override {
    return Select(state_.outbox.begin(), state_.outbox.end(), filter);
  }

  Result<std::int64_t> CountPendingOutbox() override {
    return std::ranges::count(state_.outbox, OutboxState::kPending, &OutboxItem::state);
  }

  Status RecordDelivery(const DeliveryAttempt& attempt) override {
    if (state_.transaction_open) {
      return FailedPrecondition("a delivery cannot be recorded while a transaction is open");
    }
    const bool exists =
        attempt.id >= 1 && attempt.id <= static_cast<std::int64_t>(state_.outbox.size());
    OutboxItem* item = exists ? &state_.outbox[attempt.id - 1] : nullptr;
    VIGIL_RETURN_IF_ERROR(CheckDeliverable(
        attempt.id, item == nullptr ? std::nullopt : std::optional<OutboxState>(item->state)));
    item->state = attempt.state;
    ++item->attempts;
    item->next_attempt = attempt.next_attempt;
    if (attempt.state == OutboxState::kDelivered) {
      item->delivered_at = attempt.at;
    }
    if (!attempt.error.empty()) {
      item->last_error = attempt.error;
    }
    return Status::Ok();
  }

  Result<std::vector<AuditRecord>> ReadAudit(const AuditFilter& filter) override {
    const std::vector<AuditRecord>& log = state_.audit;
    const auto first = std::ranges::upper_bound(log, filter.after_seq, {}, &AuditRecord::seq);
    if (filter.newest_first) {
      return Select(log.rbegin(), std::make_reverse_iterator(first), filter);
    }
    return Select(first, log.end(), filter);
  }

  Status CreateToken(const TokenRecord& token, const AuditEntry& audit) override {
    VIGIL_RETURN_IF_ERROR(CheckTokenChangeAllowed(state_.transaction_open));
    const auto taken = [&](std::string TokenRecord::*field) {
      return std::ranges::any_of(state_.tokens,
                                 [&](const TokenRecord& t) { return t.*field == token.*field; });
    };
    VIGIL_RETURN_IF_ERROR(CheckNewToken(token, taken(&TokenRecord::id), taken(&TokenRecord::hash)));
    state_.tokens.push_back(token);
    state_.audit.push_back(Chain(state_.audit, audit));
    return Status::Ok();
  }

  Status RevokeToken(std::string_view id, Timestamp at, const AuditEntry& audit) override {
    VIGIL_RETURN_IF_ERROR(CheckTokenChangeAllowed(state_.transaction_open));
    const auto it = std::ranges::find(state_.tokens, id, &TokenRecord::id);
    VIGIL_RETURN_IF_ERROR(CheckRevocable(
        id, it == state_.tokens.end() ? std::nullopt : std::optional<TokenRecord>(*it)));
    it->revoked = at;
    state_.audit.push_back(Chain(state_.audit, audit));
    return Status::Ok();
  }

  Result<std::vector<TokenRecord>> ListTokens() override {
    std::vector<TokenRecord> tokens = state_.tokens;
    std::ranges::stable_sort(tokens, [](const TokenRecord& a, const TokenRecord& b) {
      return std::tie(a.created, a.id) < std::tie(b.created, b.id);
    });
    return tokens;
  }

  Result<std::optional<TokenRecord>> FindTokenByHash(std::string_view hash) override {
    const auto it = std::ranges::find(state_.tokens, hash, &TokenRecord::hash);
    return it == state_.tokens.end() ? std::nullopt : std::optional<TokenRecord>(*it);
  }

 private:
  const SeriesKey& KeyOf(SeriesId id) const { return state_.series[id - 1]; }

  Status CheckSeries(SeriesId series) const {
    return state_.HasSeries(series) ? Status::Ok()
                                    : NotFound(fmt::format("series {} does not exist", series));
  }

  State state_;
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace vigil
