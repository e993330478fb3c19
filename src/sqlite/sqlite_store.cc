#include "sqlite/sqlite_store.h"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sqlite/migrations.h"
#include "sqlite/security_tables.h"
#include "sqlite/sqlite_db.h"
#include "sqlite/store_statements.h"
#include "sqlite/warning_tables.h"
#include "store/store_checks.h"

namespace vigil {
namespace {

using sqlite::Database;
using sqlite::FromNanos;
using sqlite::Nanos;
using sqlite::QueryOptionalInt64;
using sqlite::QueryRows;
using sqlite::ReadStatements;
using sqlite::ResetOnExit;
using sqlite::Statement;
using sqlite::WriteStatements;

// Columns 0-4 of every observation query: time, value, denominator, source, arrived.
StoredObservation ObservationRow(const Statement& row) {
  return {FromNanos(row.ColumnInt64(0)), row.ColumnDouble(1), row.ColumnOptionalDouble(2),
          std::string(row.ColumnText(3)), FromNanos(row.ColumnInt64(4))};
}

// A stream journal row packs its samples as 32 bytes each, four
// little-endian 64-bit words: series, time (nanoseconds), the value's IEEE 754
// bits, and the denominator's (a NaN when absent: a stored denominator is
// finite).
constexpr std::size_t kJournalSampleBytes = 32;

void PutWord(std::uint64_t word, std::vector<std::byte>& out) {
  for (int shift = 0; shift < 64; shift += 8) {
    out.push_back(static_cast<std::byte>(word >> shift));
  }
}

std::uint64_t GetWord(const std::byte* in) {
  std::uint64_t word = 0;
  for (int i = 7; i >= 0; --i) {
    word = word << 8 | static_cast<std::uint64_t>(in[i]);
  }
  return word;
}

void PackSamples(std::span<const StreamSample> samples, std::vector<std::byte>& out) {
  out.clear();
  out.reserve(samples.size() * kJournalSampleBytes);
  for (const StreamSample& s : samples) {
    PutWord(static_cast<std::uint64_t>(s.series), out);
    PutWord(static_cast<std::uint64_t>(s.time_ns), out);
    PutWord(std::bit_cast<std::uint64_t>(s.value), out);
    PutWord(std::bit_cast<std::uint64_t>(
                s.denominator.value_or(std::numeric_limits<double>::quiet_NaN())),
            out);
  }
}

Status UnpackSamples(std::span<const std::byte> bytes, std::vector<StreamSample>& out) {
  if (bytes.size() % kJournalSampleBytes != 0) {
    return Corruption(fmt::format("stream_journal: a row of {} bytes, not a multiple of {}",
                                  bytes.size(), kJournalSampleBytes));
  }
  for (std::size_t at = 0; at < bytes.size(); at += kJournalSampleBytes) {
    const std::byte* p = bytes.data() + at;
    const double denominator = std::bit_cast<double>(GetWord(p + 24));
    out.push_back({static_cast<SeriesId>(GetWord(p)), static_cast<std::int64_t>(GetWord(p + 8)),
                   std::bit_cast<double>(GetWord(p + 16)),
                   std::isnan(denominator) ? std::nullopt : std::optional<double>(denominator)});
  }
  return Status::Ok();
}

// Sentinels of the newest times a store keeps per series (below any time).
constexpr std::int64_t kUnknown = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNone = kUnknown + 1;

// A signal's key, with time in nanoseconds.
struct SignalKey {
  std::int64_t series = 0;
  std::int64_t detector = 0;
  std::int64_t time = 0;
  friend bool operator==(const SignalKey&, const SignalKey&) = default;
};

struct SignalKeyHash {
  std::size_t operator()(const SignalKey& k) const {
    std::size_t h = std::hash<std::int64_t>{}(k.series);
    h = h * 1'000'003 ^ std::hash<std::int64_t>{}(k.detector);
    return h * 1'000'003 ^ std::hash<std::int64_t>{}(k.time);
  }
};

// Binds the columns of `signals` from series_id to batch_id as 1-14.
void BindSignal(Statement& statement, const SignalRecord& r, std::int64_t method_id,
                const BatchRecord& batch) {
  statement.BindInt64(1, r.series);
  statement.BindInt64(2, r.detector);
  statement.BindInt64(3, Nanos(r.time));
  statement.BindInt64(4, method_id);
  statement.BindOptionalDouble(5, r.observed);
  statement.BindOptionalDouble(6, r.expected);
  statement.BindOptionalDouble(7, r.upperbound);
  statement.BindOptionalDouble(8, r.score);
  statement.BindInt64(9, r.alarm ? 1 : 0);
  statement.BindInt64(10, r.level);
  statement.BindOptionalInt64(11, r.baseline_from);
  statement.BindOptionalInt64(12, r.baseline_to);
  statement.BindText(13, r.note);
  statement.BindInt64(14, batch.id);
}

// Rows of a table of names (sources; signal methods with their parameters)
// that other rows refer to by id: the writer's cache of their ids, by a key
// that joins the names, with the keys of those the open transaction created,
// which a rollback forgets (SQLite may hand their ids out again).
class InternedNames {
 public:
  InternedNames(Statement& find, Statement& insert) : find_(find), insert_(insert) {}

  // The id of `key`; on a miss, `bind` binds the names to find and insert.
  template <class Bind>
  Result<std::int64_t> Intern(const std::string& key, Database& db, Bind bind) {
    if (auto it = ids_.find(key); it != ids_.end()) {
      return it->second;
    }
    bind(find_);
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::int64_t> found, QueryOptionalInt64(find_));
    if (!found) {
      bind(insert_);
      VIGIL_RETURN_IF_ERROR(insert_.Run());
      found = db.LastInsertRowid();
      created_.push_back(key);
    }
    ids_.emplace(key, *found);
    return *found;
  }

  void Committed() { created_.clear(); }
  void RolledBack() {
    for (const std::string& key : created_) {
      ids_.erase(key);
    }
    created_.clear();
  }

 private:
  Statement& find_;
  Statement& insert_;
  std::unordered_map<std::string, std::int64_t> ids_;
  std::vector<std::string> created_;
};

// The columns of ReadStatements' signal queries.
StoredSignal SignalRow(const Statement& row) {
  StoredSignal s;
  SignalRecord& r = s.signal;
  r.series = row.ColumnInt64(0);
  r.detector = static_cast<int>(row.ColumnInt64(1));
  r.time = FromNanos(row.ColumnInt64(2));
  r.method = row.ColumnText(3);
  r.params = row.ColumnText(4);
  r.observed = row.ColumnOptionalDouble(5);
  r.expected = row.ColumnOptionalDouble(6);
  r.upperbound = row.ColumnOptionalDouble(7);
  r.score = row.ColumnOptionalDouble(8);
  r.alarm = row.ColumnInt64(9) != 0;
  r.level = static_cast<int>(row.ColumnInt64(10));
  r.baseline_from = row.ColumnOptionalInt64(11);
  r.baseline_to = row.ColumnOptionalInt64(12);
  r.note = row.ColumnText(13);
  s.batch = row.ColumnInt64(14);
  s.revisions = row.ColumnInt64(15);
  s.key = {std::string(row.ColumnText(16)), std::string(row.ColumnText(17))};
  return s;
}

// Checkpoint the write-ahead log into the database once it holds this many
// pages (64 MiB of 4 KiB pages) rather than SQLite's 1000: a batch of weekly
// data touches most pages of the table, and checkpointing after every batch
// copied each page again and again (docs/STORAGE.md has the measurements).
// Larger pages made ingest slower (more bytes moved per insert into a page).
constexpr int kCheckpointPages = 16384;

Result<Database> OpenConnection(const std::filesystem::path& file, const SqliteOptions& options,
                                int flags) {
  VIGIL_ASSIGN_OR_RETURN(Database db, Database::Open(file, flags | SQLITE_OPEN_NOMUTEX));
  sqlite3_busy_timeout(db.handle(), static_cast<int>(options.busy_timeout.count()));
  const char* sync = options.synchronous == SqliteSync::kFull ? "FULL" : "NORMAL";
  VIGIL_RETURN_IF_ERROR(db.Exec(fmt::format(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = {}; PRAGMA cache_size = -{};"
      " PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = {}; PRAGMA journal_size_limit = {}",
      sync, options.cache_kib, kCheckpointPages, kCheckpointPages * 4096)));
  return db;
}

class SqliteStore;

class SqliteTransaction final : public StoreTransaction {
 public:
  SqliteTransaction(SqliteStore& store, BatchRecord record)
      : store_(store), record_(std::move(record)) {}
  ~SqliteTransaction() override { Rollback(); }

  Result<SeriesId> InternSeries(const SeriesKey& key) override;
  Result<AppendOutcome> Append(const Observation& observation) override;
  Status WriteSignal(const SignalRecord& signal) override;
  Status WriteCheckpoints(const std::vector<SeriesCheckpoint>& series,
                          const std::vector<IndicatorCheckpoint>& indicators) override;
  Status AppendStreamJournal(std::span<const StreamSample> samples) override;
  Status ClearStreamJournal() override;
  Status AppendWarningEvents(const std::vector<WarningEventRecord>& events) override;
  Status EnqueueOutbox(std::vector<OutboxItem>& items) override;
  Status AppendAudit(const AuditEntry& entry) override;
  Result<BatchRecord> Commit() override;
  void Rollback() override;

 private:
  Status CheckOpen() const {
    return open_ ? Status::Ok() : FailedPrecondition("the transaction is already finished");
  }

  SqliteStore& store_;
  BatchRecord record_;
  bool open_ = true;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(Database writer, Database reader, const SqliteOptions& options)
      : writer_(std::move(writer)),
        reader_(std::move(reader)),
        signal_fold_rows_(options.signal_fold_rows),
        observation_fold_rows_(options.observation_fold_rows) {}

  Status Prepare() {
    VIGIL_RETURN_IF_ERROR(sqlite::PrepareWrites(writer_, w_));
    return sqlite::PrepareReads(reader_, r_);
  }

  Result<std::unique_ptr<StoreTransaction>> Begin(const BatchInfo& batch) override {
    if (transaction_open_) {
      return FailedPrecondition("a transaction is already open on this store");
    }
    VIGIL_RETURN_IF_ERROR(w_.begin.Run());
    w_.insert_batch.BindText(1, batch.origin);
    w_.insert_batch.BindInt64(2, Nanos(batch.arrived));
    Status status = SyncRecent();
    if (status.ok()) {
      status = w_.insert_batch.Run();
    }
    if (!status.ok()) {
      (void)w_.rollback.Run();
      return status;
    }
    transaction_open_ = true;
    BatchRecord record;
    record.id = writer_.LastInsertRowid();
    record.info = batch;
    return std::unique_ptr<StoreTransaction>(
        std::make_unique<SqliteTransaction>(*this, std::move(record)));
  }

  Result<std::optional<SeriesId>> FindSeries(const SeriesKey& key) override {
    r_.find_series.BindText(1, key.indicator);
    r_.find_series.BindText(2, key.region);
    return QueryOptionalInt64(r_.find_series);
  }

  Result<std::vector<SeriesInfo>> ListSeries() override {
    ResetOnExit reset(r_.list_series);
    std::vector<SeriesInfo> list;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(const bool row, r_.list_series.Step());
      if (!row) {
        return list;
      }
      list.push_back(
          {r_.list_series.ColumnInt64(0),
           {std::string(r_.list_series.ColumnText(1)), std::string(r_.list_series.ColumnText(2))}});
    }
  }

  Result<std::vector<StoredObservation>> Read(SeriesId series, Timestamp from, Timestamp to,
                                              std::optional<Timestamp> as_of) override {
    Statement& query = as_of ? r_.read_as_of : r_.read_current;
    query.BindInt64(1, series);
    query.BindInt64(2, Nanos(from));
    query.BindInt64(3, Nanos(to));
    if (as_of) {
      query.BindInt64(4, Nanos(*as_of));
    }
    VIGIL_ASSIGN_OR_RETURN(std::vector<StoredObservation> rows,
                           QueryRows<StoredObservation>(query, ObservationRow));
    if (rows.empty()) {
      VIGIL_RETURN_IF_ERROR(CheckCommittedSeries(series));
    }
    return as_of ? NewestPerTime(std::move(rows)) : rows;
  }

  Result<std::vector<StoredObservation>> History(SeriesId series, Timestamp time) override {
    r_.history.BindInt64(1, series);
    r_.history.BindInt64(2, Nanos(time));
    VIGIL_ASSIGN_OR_RETURN(std::vector<StoredObservation> rows,
                           QueryRows<StoredObservation>(r_.history, ObservationRow));
    if (rows.empty()) {
      VIGIL_RETURN_IF_ERROR(CheckCommittedSeries(series));
    }
    return rows;
  }

  Result<std::vector<BatchRecord>> Batches() override {
    ResetOnExit reset(r_.batches);
    std::vector<BatchRecord> batches;
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(const bool row, r_.batches.Step());
      if (!row) {
        return batches;
      }
      const Statement& s = r_.batches;
      batches.push_back({s.ColumnInt64(0),
                         {std::string(s.ColumnText(1)), FromNanos(s.ColumnInt64(2))},
                         s.ColumnInt64(3),
                         s.ColumnInt64(4),
                         s.ColumnInt64(5)});
    }
  }

  Result<StoreStats> Stats() override {
    ResetOnExit reset(r_.stats);
    VIGIL_ASSIGN_OR_RETURN(const bool row, r_.stats.Step());
    if (!row) {
      return Internal("store statistics returned no row");
    }
    return StoreStats{r_.stats.ColumnInt64(0), r_.stats.ColumnInt64(1), r_.stats.ColumnInt64(2),
                      r_.stats.ColumnInt64(3)};
  }

  Result<std::vector<IndicatorStats>> StatsByIndicator() override {
    return QueryRows<IndicatorStats>(r_.stats_by_indicator, [](const Statement& row) {
      auto time = [&](int column) -> std::optional<Timestamp> {
        const std::optional<std::int64_t> ns = row.ColumnOptionalInt64(column);
        return ns ? std::optional<Timestamp>(FromNanos(*ns)) : std::nullopt;
      };
      return IndicatorStats{std::string(row.ColumnText(0)),
                            row.ColumnInt64(1),
                            row.ColumnInt64(2),
                            time(3),
                            time(4),
                            row.ColumnInt64(5),
                            row.ColumnInt64(6)};
    });
  }

  Result<std::vector<StoredSignal>> ReadSignals(const SignalFilter& f) override {
    Statement& query = f.newest_first ? r_.signals_newest_first : r_.signals_oldest_first;
    query.BindOptionalInt64(1, f.series);
    query.BindText(2, f.indicator);
    query.BindText(3, f.region);
    query.BindInt64(4, f.from ? Nanos(*f.from) : std::numeric_limits<std::int64_t>::min());
    query.BindInt64(5, f.to ? Nanos(*f.to) : std::numeric_limits<std::int64_t>::max());
    query.BindInt64(6, f.alarms_only ? 1 : 0);
    if (!f.admit) {
      query.BindInt64(7, f.limit > 0 ? f.limit : -1);
      return QueryRows<StoredSignal>(query, SignalRow);
    }
    // Admission is decided here, row by row, so the limit is counted here too.
    query.BindInt64(7, -1);
    ResetOnExit reset(query);
    std::vector<StoredSignal> rows;
    while (f.limit <= 0 || static_cast<std::int64_t>(rows.size()) < f.limit) {
      VIGIL_ASSIGN_OR_RETURN(const bool row, query.Step());
      if (!row) {
        break;
      }
      StoredSignal signal = SignalRow(query);
      if (f.admit(signal.key)) {
        rows.push_back(std::move(signal));
      }
    }
    return rows;
  }

  Result<Checkpoints> LoadCheckpoints() override {
    Checkpoints checkpoints;
    VIGIL_ASSIGN_OR_RETURN(
        checkpoints.series,
        QueryRows<SeriesCheckpoint>(r_.series_checkpoints, [](const Statement& row) {
          const std::span<const std::byte> states = row.ColumnBlob(3);
          return SeriesCheckpoint{row.ColumnInt64(0), row.ColumnInt64(1), row.ColumnInt64(2),
                                  std::vector<std::byte>(states.begin(), states.end())};
        }));
    VIGIL_ASSIGN_OR_RETURN(
        checkpoints.indicators,
        QueryRows<IndicatorCheckpoint>(r_.indicator_checkpoints, [](const Statement& row) {
          return IndicatorCheckpoint{
              std::string(row.ColumnText(0)), static_cast<std::uint64_t>(row.ColumnInt64(1)),
              row.ColumnInt64(2), row.ColumnInt64(3), row.ColumnInt64(4) != 0};
        }));
    ResetOnExit reset(r_.journal);
    for (;;) {
      VIGIL_ASSIGN_OR_RETURN(const bool row, r_.journal.Step());
      if (!row) {
        return checkpoints;
      }
      VIGIL_RETURN_IF_ERROR(UnpackSamples(r_.journal.ColumnBlob(0), checkpoints.journal));
    }
  }

  Result<std::vector<WarningEventRecord>> ReadWarningEvents(
      const WarningEventFilter& filter) override {
    return sqlite::ReadWarningEvents(r_, filter);
  }

  Result<std::int64_t> LastWarningEventSeq() override { return sqlite::LastWarningEventSeq(r_); }

  Result<std::vector<OutboxItem>> ReadOutbox(const OutboxFilter& filter) override {
    return sqlite::ReadOutbox(r_, filter);
  }

  Result<std::int64_t> CountPendingOutbox() override { return sqlite::CountPendingOutbox(r_); }

  Status RecordDelivery(const DeliveryAttempt& attempt) override {
    if (transaction_open_) {
      return FailedPrecondition("a delivery cannot be recorded while a transaction is open");
    }
    return sqlite::RecordDelivery(w_, writer_, attempt);
  }

  Result<std::vector<AuditRecord>> ReadAudit(const AuditFilter& filter) override {
    return sqlite::ReadAudit(r_, filter);
  }

  Status CreateToken(const TokenRecord& token, const AuditEntry& audit) override {
    VIGIL_RETURN_IF_ERROR(CheckTokenChangeAllowed(transaction_open_));
    return sqlite::CreateToken(w_, token, audit);
  }

  Status RevokeToken(std::string_view id, Timestamp at, const AuditEntry& audit) override {
    VIGIL_RETURN_IF_ERROR(CheckTokenChangeAllowed(transaction_open_));
    return sqlite::RevokeToken(w_, id, at, audit);
  }

  Result<std::vector<TokenRecord>> ListTokens() override { return sqlite::ListTokens(r_); }

  Result<std::optional<TokenRecord>> FindTokenByHash(std::string_view hash) override {
    return sqlite::FindTokenByHash(r_, hash);
  }

  // The transaction's operations, on the writer connection.

  Result<SeriesId> InternSeries(const SeriesKey& key) {
    if (auto it = series_ids_.find(key); it != series_ids_.end()) {
      return it->second;
    }
    w_.find_series.BindText(1, key.indicator);
    w_.find_series.BindText(2, key.region);
    VIGIL_ASSIGN_OR_RETURN(std::optional<SeriesId> found, QueryOptionalInt64(w_.find_series));
    if (!found) {
      w_.insert_series.BindText(1, key.indicator);
      w_.insert_series.BindText(2, key.region);
      VIGIL_RETURN_IF_ERROR(w_.insert_series.Run());
      found = writer_.LastInsertRowid();
      new_series_.push_back(key);
    }
    series_ids_.emplace(key, *found);
    MarkKnown(*found, true);
    return *found;
  }

  // A key that is recent is written there. A new key newer than every row of
  // its series in `observations` is appended to the recent observations,
  // unless this transaction appended a fold's worth already (a large batch
  // pays for its pages itself); any other is upserted into `observations`.
  // Keys newer than what a series has in either table, as stream samples
  // are, need no look-up.
  Result<AppendOutcome> Append(const Observation& o, const BatchRecord& batch) {
    VIGIL_RETURN_IF_ERROR(CheckSeriesForWrite(o.series));
    VIGIL_ASSIGN_OR_RETURN(const std::int64_t source_id,
                           sources_.Intern(o.source, writer_, [&](Statement& statement) {
                             statement.BindText(1, o.source);
                           }));
    const std::int64_t time = Nanos(o.time);
    const auto slot = static_cast<std::size_t>(o.series);
    if (slot >= recent_newest_.size()) {
      recent_newest_.resize(slot + 1, kNone);
      stored_newest_.resize(slot + 1, kUnknown);
    }
    std::optional<std::int64_t> recent;
    if (time <= recent_newest_[slot]) {
      w_.find_recent_observation.BindInt64(1, o.series);
      w_.find_recent_observation.BindInt64(2, time);
      VIGIL_ASSIGN_OR_RETURN(recent, QueryOptionalInt64(w_.find_recent_observation));
    }
    Statement* write = &w_.update_recent_observation;
    if (recent) {
      write->BindInt64(8, *recent);
    } else {
      if (stored_newest_[slot] == kUnknown) {
        w_.stored_observation_newest.BindInt64(1, o.series);
        VIGIL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> newest,
                               QueryOptionalInt64(w_.stored_observation_newest));
        stored_newest_[slot] = newest.value_or(kNone);
      }
      const bool append =
          time > stored_newest_[slot] && new_recent_observations_ < observation_fold_rows_;
      std::int64_t& newest = append ? recent_newest_[slot] : stored_newest_[slot];
      newest = std::max(newest, time);
      write = append ? &w_.insert_recent_observation : &w_.upsert;
      new_recent_observations_ += append ? 1 : 0;
    }
    write->BindInt64(1, o.series);
    write->BindInt64(2, time);
    write->BindDouble(3, o.value);
    write->BindOptionalDouble(4, o.denominator);
    write->BindInt64(5, source_id);
    write->BindInt64(6, Nanos(batch.info.arrived));
    write->BindInt64(7, batch.id);
    // An insert changes one row; an update changes the row and the trigger
    // inserts the old version: two. A skipped identical write changes none.
    const std::int64_t before = writer_.TotalChanges();
    VIGIL_RETURN_IF_ERROR(write->Run());
    switch (writer_.TotalChanges() - before) {
      case 0:
        return AppendOutcome::kUnchanged;
      case 1:
        return AppendOutcome::kInserted;
      default:
        return AppendOutcome::kRevised;
    }
  }

  // A signal whose key is recent is updated there. A new one newer than
  // every signal of its series and detector in `signals` is appended to the
  // recent signals, unless this transaction appended a fold's worth already;
  // any other is upserted into `signals`.
  Status WriteSignal(const SignalRecord& r, const BatchRecord& batch) {
    VIGIL_RETURN_IF_ERROR(CheckSeriesForWrite(r.series));
    method_key_.assign(r.method).append(1, '\0').append(r.params);
    VIGIL_ASSIGN_OR_RETURN(const std::int64_t method_id,
                           methods_.Intern(method_key_, writer_, [&](Statement& statement) {
                             statement.BindText(1, r.method);
                             statement.BindText(2, r.params);
                           }));
    const SignalKey key{r.series, r.detector, Nanos(r.time)};
    if (auto recent = recent_signals_.find(key); recent != recent_signals_.end()) {
      BindSignal(w_.update_recent_signal, r, method_id, batch);
      w_.update_recent_signal.BindInt64(15, recent->second);
      return w_.update_recent_signal.Run();
    }
    auto [stored, unknown] = stored_signal_newest_.try_emplace({r.series, r.detector, 0}, kNone);
    if (unknown) {
      w_.stored_signal_newest.BindInt64(1, key.series);
      w_.stored_signal_newest.BindInt64(2, key.detector);
      VIGIL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> newest,
                             QueryOptionalInt64(w_.stored_signal_newest));
      stored->second = newest.value_or(kNone);
    }
    if (key.time <= stored->second || new_recent_signals_ >= signal_fold_rows_) {
      stored->second = std::max(stored->second, key.time);
      BindSignal(w_.upsert_signal, r, method_id, batch);
      return w_.upsert_signal.Run();
    }
    BindSignal(w_.insert_recent_signal, r, method_id, batch);
    VIGIL_RETURN_IF_ERROR(w_.insert_recent_signal.Run());
    recent_signals_.emplace(key, writer_.LastInsertRowid());
    ++new_recent_signals_;
    return Status::Ok();
  }

  Status WriteCheckpoints(const std::vector<SeriesCheckpoint>& series,
                          const std::vector<IndicatorCheckpoint>& indicators) {
    Statement& put_series = w_.put_series_checkpoint;
    for (const SeriesCheckpoint& c : series) {
      put_series.BindInt64(1, c.series);
      put_series.BindInt64(2, c.last_time_ns);
      put_series.BindInt64(3, c.first_period);
      put_series.BindBlob(4, c.states);
      VIGIL_RETURN_IF_ERROR(put_series.Run());
    }
    Statement& put_indicator = w_.put_indicator_checkpoint;
    for (const IndicatorCheckpoint& c : indicators) {
      put_indicator.BindText(1, c.indicator);
      put_indicator.BindInt64(2, static_cast<std::int64_t>(c.fingerprint));
      put_indicator.BindInt64(3, c.newest_period);
      put_indicator.BindInt64(4, c.closed_through);
      put_indicator.BindInt64(5, c.started ? 1 : 0);
      VIGIL_RETURN_IF_ERROR(put_indicator.Run());
    }
    return Status::Ok();
  }

  Status AppendStreamJournal(std::span<const StreamSample> samples) {
    if (samples.empty()) {
      return Status::Ok();
    }
    PackSamples(samples, packed_);
    w_.append_journal.BindBlob(1, packed_);
    return w_.append_journal.Run();
  }

  Status ClearStreamJournal() { return w_.clear_journal.Run(); }

  Status AppendWarningEvents(const std::vector<WarningEventRecord>& events) {
    return sqlite::AppendWarningEvents(w_, events);
  }

  Status EnqueueOutbox(std::vector<OutboxItem>& items) {
    return sqlite::EnqueueOutbox(w_, writer_, items);
  }

  Status AppendAudit(const AuditEntry& entry) { return sqlite::AppendAudit(w_, entry); }

  Result<BatchRecord> Commit(const BatchRecord& record) {
    w_.update_batch.BindInt64(1, record.id);
    w_.update_batch.BindInt64(2, record.inserted);
    w_.update_batch.BindInt64(3, record.revised);
    w_.update_batch.BindInt64(4, record.unchanged);
    const bool fold_signals = std::ssize(recent_signals_) >= signal_fold_rows_;
    bool fold_observations = false;
    Status status = w_.update_batch.Run();
    if (status.ok() && fold_signals) {
      status = Fold(w_.fold_signals, w_.clear_recent_signals);
    }
    if (status.ok()) {
      Result<std::optional<std::int64_t>> recent = QueryOptionalInt64(w_.count_recent_observations);
      status = recent.status();
      fold_observations = status.ok() && recent->value_or(0) >= observation_fold_rows_;
      if (fold_observations) {
        status = Fold(w_.fold_observations, w_.clear_recent_observations);
      }
    }
    if (status.ok()) {
      status = w_.commit.Run();
    }
    if (!status.ok()) {
      Rollback();
      return status;
    }
    // What moved may be the newest of its series in the clustered table now.
    if (fold_signals) {
      for (const auto& [key, rowid] : recent_signals_) {
        if (auto it = stored_signal_newest_.find({key.series, key.detector, 0});
            it != stored_signal_newest_.end()) {
          it->second = std::max(it->second, key.time);
        }
      }
      recent_signals_.clear();
    }
    if (fold_observations) {
      for (std::size_t slot = 0; slot < recent_newest_.size(); ++slot) {
        if (stored_newest_[slot] != kUnknown) {
          stored_newest_[slot] = std::max(stored_newest_[slot], recent_newest_[slot]);
        }
        recent_newest_[slot] = kNone;
      }
    }
    EndTransaction();
    return record;
  }

  // Undoes the transaction and forgets the ids it created, which SQLite may
  // now hand out again.
  void Rollback() {
    (void)w_.rollback.Run();
    for (const SeriesKey& key : new_series_) {
      MarkKnown(series_ids_.at(key), false);
      series_ids_.erase(key);
    }
    sources_.RolledBack();
    methods_.RolledBack();
    // What the recent tables hold is loaded again before the next write: the
    // transaction may have added to them or folded them.
    data_version_ = kUnknown;
    EndTransaction();
  }

 private:
  void EndTransaction() {
    new_series_.clear();
    sources_.Committed();
    methods_.Committed();
    new_recent_signals_ = 0;
    new_recent_observations_ = 0;
    transaction_open_ = false;
  }

  // Moves the recent rows into their clustered table in key order, at the
  // commit that finds enough of them.
  Status Fold(Statement& fold, Statement& clear) {
    VIGIL_RETURN_IF_ERROR(fold.Run());
    return clear.Run();
  }

  // Loads what is known of the recent tables (the recent signals' keys, each
  // series' newest recent observation) when another connection (another
  // process) committed since it was loaded, or a rollback left it unsure:
  // recent rows may have been added, or moved. Forgets what is known of the
  // clustered tables too. Called by Begin with the write lock held; the first
  // call loads, so a store that only reads never does.
  Status SyncRecent() {
    VIGIL_ASSIGN_OR_RETURN(const std::int64_t version, writer_.QueryInt64("PRAGMA data_version"));
    if (version == data_version_) {
      return Status::Ok();
    }
    data_version_ = version;
    recent_signals_.clear();
    stored_signal_newest_.clear();
    std::ranges::fill(recent_newest_, kNone);
    std::ranges::fill(stored_newest_, kUnknown);
    Statement& newest = w_.recent_observation_newest;
    ResetOnExit reset_newest(newest);
    for (;;) {
      VIGIL_ASSIGN_OR_RETURN(const bool row, newest.Step());
      if (!row) {
        break;
      }
      const auto slot = static_cast<std::size_t>(newest.ColumnInt64(0));
      if (slot >= recent_newest_.size()) {
        recent_newest_.resize(slot + 1, kNone);
        stored_newest_.resize(slot + 1, kUnknown);
      }
      recent_newest_[slot] = newest.ColumnInt64(1);
    }
    Statement& keys = w_.recent_signal_keys;
    ResetOnExit reset(keys);
    for (;;) {
      VIGIL_ASSIGN_OR_RETURN(const bool row, keys.Step());
      if (!row) {
        return Status::Ok();
      }
      recent_signals_.emplace(
          SignalKey{keys.ColumnInt64(0), keys.ColumnInt64(1), keys.ColumnInt64(2)},
          keys.ColumnInt64(3));
    }
  }

  Status CheckSeriesForWrite(SeriesId series) {
    if (series > 0 && static_cast<size_t>(series) < known_series_.size() && known_series_[series]) {
      return Status::Ok();
    }
    w_.series_exists.BindInt64(1, series);
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::int64_t> found, QueryOptionalInt64(w_.series_exists));
    if (!found) {
      return NotFound(fmt::format("series {} does not exist", series));
    }
    MarkKnown(series, true);
    return Status::Ok();
  }

  // Only ids the database handed out are marked, so the bitmap stays as large
  // as the series table.
  void MarkKnown(SeriesId series, bool known) {
    if (static_cast<size_t>(series) >= known_series_.size()) {
      known_series_.resize(static_cast<size_t>(series) + 1);
    }
    known_series_[series] = known;
  }

  Status CheckCommittedSeries(SeriesId series) {
    r_.series_exists.BindInt64(1, series);
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::int64_t> found, QueryOptionalInt64(r_.series_exists));
    return found ? Status::Ok() : NotFound(fmt::format("series {} does not exist", series));
  }

  // Rows come ordered so that the last of each time is the one to keep.
  static std::vector<StoredObservation> NewestPerTime(std::vector<StoredObservation> rows) {
    std::vector<StoredObservation> newest;
    for (StoredObservation& row : rows) {
      if (!newest.empty() && newest.back().time == row.time) {
        newest.back() = std::move(row);
      } else {
        newest.push_back(std::move(row));
      }
    }
    return newest;
  }

  Database writer_;
  Database reader_;
  WriteStatements w_;
  ReadStatements r_;
  bool transaction_open_ = false;
  // Caches of the writer connection; ids created by the open transaction are
  // listed so that a rollback can forget them.
  std::unordered_map<SeriesKey, SeriesId, SeriesKeyHash> series_ids_;
  std::vector<bool> known_series_;  // indexed by id: the hot path's existence check
  InternedNames sources_{w_.find_source, w_.insert_source};
  InternedNames methods_{w_.find_method, w_.insert_method};
  std::string method_key_;  // method and parameters of a signal, reused
  std::vector<SeriesKey> new_series_;
  std::vector<std::byte> packed_;  // a journal row, reused: it keeps its capacity
  // The keys of the recent signals with their rowids, those the open
  // transaction added listed; their number decides when to fold.
  const std::int64_t signal_fold_rows_;
  const std::int64_t observation_fold_rows_;
  std::int64_t new_recent_observations_ = 0;  // appended by the open transaction
  std::int64_t data_version_ = kUnknown;      // of the file when the recent rows were loaded
  std::unordered_map<SignalKey, std::int64_t, SignalKeyHash> recent_signals_;
  std::int64_t new_recent_signals_ = 0;  // appended by the open transaction
  // The newest time of each series (by id) among its recent observations,
  // and among its rows in `observations`; of each series and detector (time
  // 0 in the key) among its rows in `signals`. kNone: no row; kUnknown: not
  // looked up yet. A key newer than these needs no look-up to be new.
  std::vector<std::int64_t> recent_newest_;
  std::vector<std::int64_t> stored_newest_;
  std::unordered_map<SignalKey, std::int64_t, SignalKeyHash> stored_signal_newest_;
};

Result<SeriesId> SqliteTransaction::InternSeries(const SeriesKey& key) {
  VIGIL_RETURN_IF_ERROR(CheckOpen());
  return store_.InternSeries(key);
}

Result<AppendOutcome> SqliteTransaction::Append(const Observation& observation) {
  VIGIL_RETURN_IF_ERROR(CheckOpen());
  VIGIL_ASSIGN_OR_RETURN(const AppendOutcome outcome, store_.Append(observation, record_));
  CountOutcome(outcome, record_);
  return outcome;
}

Status SqliteTransaction::WriteSignal(const SignalRecord& signal) {
  VIGIL_RETURN_IF_ERROR(CheckOpen());
  return store_.WriteSignal(signal, record_);
}

Status SqliteTransaction::WriteCheckpoints(const std::vector<SeriesCheckpoint>& series,
                                           const std::vector<IndicatorCheckpoint>& indicators) {
  VIGIL_RETURN_IF_ERROR(CheckOpen());
  return store_.WriteCheckpoints(series, indicators);
}

Status SqliteTransaction::AppendStreamJournal(std::span<const StreamSample> samples) {
  VIGIL_RETURN_IF_ERROR(CheckOpen());
  return store_.AppendStreamJournal(samples);
}

Status SqliteTransaction::ClearStreamJournal() {
  VIGIL_RETURN_IF_ERROR(CheckOpen());
  return store_.ClearStreamJournal();
}

Status SqliteTransaction::AppendWarningEvents(const std::vector<WarningEventRecord>& events) {
  VIGIL_RETURN_IF_ERROR(CheckOpen());
  return store_.AppendWarningEvents(events);
}

Status SqliteTransaction::EnqueueOutbox(std::vector<OutboxItem>& items) {
  VIGIL_RETURN_IF_ERROR(CheckOpen());
  return store_.EnqueueOutbox(items);
}

Status SqliteTransaction::AppendAudit(const AuditEntry& entry) {
  VIGIL_RETURN_IF_ERROR(CheckOpen());
  return store_.AppendAudit(entry);
}

Result<BatchRecord> SqliteTransaction::Commit() {
  VIGIL_RETURN_IF_ERROR(CheckOpen());
  open_ = false;
  return store_.Commit(record_);
}

void SqliteTransaction::Rollback() {
  if (open_) {
    open_ = false;
    store_.Rollback();
  }
}

Status ValidateOptions(const SqliteOptions& options) {
  if (options.cache_kib <= 0) {
    return InvalidArgument(
        fmt::format("sqlite cache_kib must be positive, got {}", options.cache_kib));
  }
  if (options.busy_timeout.count() < 0) {
    return InvalidArgument("sqlite busy_timeout must not be negative");
  }
  for (const auto& [name, rows] :
       {std::pair{"signal_fold_rows", options.signal_fold_rows},
        std::pair{"observation_fold_rows", options.observation_fold_rows}}) {
    if (rows <= 0) {
      return InvalidArgument(fmt::format("sqlite {} must be positive, got {}", name, rows));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::filesystem::path& file,
                                               const SqliteOptions& options) {
  VIGIL_RETURN_IF_ERROR(ValidateOptions(options));
  VIGIL_ASSIGN_OR_RETURN(Database writer,
                         OpenConnection(file, options, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  VIGIL_RETURN_IF_ERROR(sqlite::Migrate(writer, sqlite::StoreMigrations(), file.string()).status());
  VIGIL_ASSIGN_OR_RETURN(Database reader, OpenConnection(file, options, SQLITE_OPEN_READWRITE));
  auto store = std::make_unique<SqliteStore>(std::move(writer), std::move(reader), options);
  VIGIL_RETURN_IF_ERROR(store->Prepare());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace vigil
