#include "sqlite/sqlite_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sqlite/migrations.h"
#include "sqlite/row_blocks.h"
#include "sqlite/security_tables.h"
#include "sqlite/sqlite_db.h"
#include "sqlite/store_statements.h"
#include "sqlite/warning_tables.h"
#include "store/store_checks.h"

namespace vigil {
namespace {

using sqlite::Database;
using sqlite::FromNanos;
using sqlite::KeyOf;
using sqlite::Nanos;
using sqlite::QueryOptionalInt64;
using sqlite::QueryRows;
using sqlite::ReadStatements;
using sqlite::ResetOnExit;
using sqlite::RowKey;
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

// The most rows a block of one series and detector holds, so that a read of
// a short time range decodes a short block.
constexpr std::int64_t kSeriesBlockRows = 4096;

// Sentinels of the newest times a store keeps per series (below any time).
constexpr std::int64_t kUnknown = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNone = kUnknown + 1;

// The newest time of each series and detector (0 for observations) in a
// table, or `unset` until one is recorded. Ids are small (rowids, detector
// indexes), so a flat vector per detector serves, indexed by series: one
// cache miss per look-up with 100,000 series, where a hash map cost 3% of
// ingest. Detectors beyond kMaxDetectors are not kept (At returns null).
class NewestTimes {
 public:
  explicit NewestTimes(std::int64_t unset) : unset_(unset) {}

  std::int64_t* At(std::int64_t series, std::int64_t detector) {
    if (series < 0 || detector < 0 || detector >= kMaxDetectors) {
      return nullptr;
    }
    const auto s = static_cast<std::size_t>(series);
    const auto d = static_cast<std::size_t>(detector);
    if (d >= by_detector_.size()) {
      by_detector_.resize(d + 1);
    }
    std::vector<std::int64_t>& of_detector = by_detector_[d];
    if (s >= of_detector.size()) {
      of_detector.resize(s + 1, unset_);
    }
    return &of_detector[s];
  }

  void Raise(std::int64_t series, std::int64_t detector, std::int64_t time) {
    if (std::int64_t* newest = At(series, detector); newest != nullptr && *newest != kUnknown) {
      *newest = std::max(*newest, time);
    }
  }

  void Clear() { by_detector_.clear(); }

 private:
  static constexpr std::int64_t kMaxDetectors = 1024;
  std::int64_t unset_;
  std::vector<std::vector<std::int64_t>> by_detector_;
};

// The newest times a write consults for its key: its entries in a recent and
// a stored NewestTimes, or, for a key they do not keep, values of its own
// that make the write look the key up.
class NewestOf {
 public:
  NewestOf(NewestTimes& recent, NewestTimes& stored, std::int64_t series, std::int64_t detector)
      : recent_(recent.At(series, detector)), stored_(stored.At(series, detector)) {
    recent_ = recent_ != nullptr ? recent_ : &unkept_recent_;
    stored_ = stored_ != nullptr ? stored_ : &unkept_stored_;
  }
  NewestOf(const NewestOf&) = delete;
  NewestOf& operator=(const NewestOf&) = delete;

  std::int64_t& recent() { return *recent_; }
  std::int64_t& stored() { return *stored_; }

 private:
  std::int64_t* recent_;
  std::int64_t* stored_;
  std::int64_t unkept_recent_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t unkept_stored_ = kUnknown;
};

struct RowKeyHash {
  std::size_t operator()(const RowKey& k) const {
    std::size_t h = std::hash<std::int64_t>{}(k.series);
    h = h * 1'000'003 ^ std::hash<std::int64_t>{}(k.detector);
    return h * 1'000'003 ^ std::hash<std::int64_t>{}(k.time);
  }
};

// A row the writer found in its copy of a block.
template <class Row>
struct FoundRow {
  Row* row;
  bool* changed;  // the block to write again; null for a row this transaction adds
};

// The recent rows of one table as the writer knows them: its committed
// blocks decoded, the rows this transaction adds (written as one block at
// commit), and an index by key, built the first time a key is looked up.
// A transaction that fails leaves them wrong; the store loads them again.
template <class Row>
class RecentRows {
 public:
  using Found = FoundRow<Row>;

  std::int64_t size() const { return committed_ + std::ssize(added_); }
  std::int64_t added() const { return std::ssize(added_); }

  Status Load(Statement& read) {
    Clear();
    ResetOnExit reset(read);
    for (;;) {
      VIGIL_ASSIGN_OR_RETURN(const bool row, read.Step());
      if (!row) {
        return Status::Ok();
      }
      Block& block = blocks_.emplace_back(Block{read.ColumnInt64(0), {}, false});
      VIGIL_RETURN_IF_ERROR(sqlite::UnpackRows(read.ColumnBlob(1), std::nullopt, block.rows));
      committed_ += std::ssize(block.rows);
    }
  }

  std::optional<Found> Find(const RowKey& key) {
    if (!indexed_) {
      for (std::size_t b = 0; b < blocks_.size(); ++b) {
        Index(blocks_[b].rows, static_cast<std::int32_t>(b));
      }
      Index(added_, kAdded);
      indexed_ = true;
    }
    const auto it = index_.find(key);
    if (it == index_.end()) {
      return std::nullopt;
    }
    const auto [block, at] = it->second;
    if (block == kAdded) {
      return Found{&added_[at], nullptr};
    }
    return Found{&blocks_[block].rows[at], &blocks_[block].changed};
  }

  void Add(Row row) {
    if (indexed_) {
      index_.emplace(KeyOf(row), Location{kAdded, static_cast<std::int32_t>(added_.size())});
    }
    added_.push_back(std::move(row));
  }

  template <class Fn>
  void ForEach(Fn fn) const {
    for (const Block& block : blocks_) {
      std::ranges::for_each(block.rows, fn);
    }
    std::ranges::for_each(added_, fn);
  }

  // Every row, in key order: what a fold inserts.
  std::vector<const Row*> Sorted() const {
    std::vector<const Row*> rows;
    rows.reserve(static_cast<std::size_t>(size()));
    ForEach([&](const Row& row) { rows.push_back(&row); });
    std::ranges::sort(rows, {}, [](const Row* row) { return KeyOf(*row); });
    return rows;
  }

  // Writes the blocks whose rows changed, and the added rows as a new block.
  Status Write(sqlite::WriteStatements::Blocks& statements, Database& db,
               std::vector<std::byte>& packed) {
    for (const Block& block : blocks_) {
      if (block.changed) {
        statements.update.BindInt64(1, block.seq);
        VIGIL_RETURN_IF_ERROR(Bind(block.rows, statements.update, 2, packed).Run());
      }
    }
    if (!added_.empty()) {
      VIGIL_RETURN_IF_ERROR(Bind(added_, statements.insert, 1, packed).Run());
      added_seq_ = db.LastInsertRowid();
    }
    return Status::Ok();
  }

  // After the commit of what Write wrote.
  void Written() {
    for (Block& block : blocks_) {
      block.changed = false;
    }
    if (added_.empty()) {
      return;
    }
    const auto b = static_cast<std::int32_t>(blocks_.size());
    if (indexed_) {
      Index(added_, b);
    }
    committed_ += std::ssize(added_);
    blocks_.push_back(Block{added_seq_, std::move(added_), false});
    added_.clear();
  }

  void Clear() {
    blocks_.clear();
    added_.clear();
    index_.clear();
    indexed_ = false;
    committed_ = 0;
  }

 private:
  struct Block {
    std::int64_t seq = 0;
    std::vector<Row> rows;
    bool changed = false;
  };
  struct Location {
    std::int32_t block;  // kAdded: among added_
    std::int32_t at;
  };
  static constexpr std::int32_t kAdded = -1;

  // Binds the rows of a block, their lowest and highest series and the
  // packed block from parameter `first` on.
  static Statement& Bind(const std::vector<Row>& rows, Statement& statement, int first,
                         std::vector<std::byte>& packed) {
    const auto [low, high] = std::ranges::minmax_element(rows, {}, &Row::series);
    sqlite::PackRows(std::span<const Row>(rows), packed);
    statement.BindInt64(first, std::ssize(rows));
    statement.BindInt64(first + 1, low->series);
    statement.BindInt64(first + 2, high->series);
    statement.BindBlob(first + 3, packed);
    return statement;
  }

  void Index(const std::vector<Row>& rows, std::int32_t block) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      index_.insert_or_assign(KeyOf(rows[i]), Location{block, static_cast<std::int32_t>(i)});
    }
  }

  std::vector<Block> blocks_;
  std::vector<Row> added_;
  std::int64_t added_seq_ = 0;
  std::int64_t committed_ = 0;
  std::unordered_map<RowKey, Location, RowKeyHash> index_;
  bool indexed_ = false;
};

// Alarms among rows, which a block of signals counts.
std::int64_t Alarms(std::span<const sqlite::SignalRow> rows) {
  return std::ranges::count(rows, true, &sqlite::SignalRow::alarm);
}
std::int64_t Alarms(std::span<const sqlite::ObservationRow>) { return 0; }

// The blocks of one series (and detector) of a table that folds write
// (migrations.cc, version 10) as the writer knows them: the ones the open
// transaction rewrites, decoded, by seq. Each key is in one block at most,
// and the blocks of a series do not overlap in time.
template <class Row>
class SeriesBlocks {
 public:
  explicit SeriesBlocks(sqlite::WriteStatements::SeriesBlocks& statements)
      : statements_(statements) {}

  // The row of `key` in the one block that may hold it, decoded the first
  // time the transaction looks into that block; none when no block holds it.
  Result<std::optional<FoundRow<Row>>> Find(const RowKey& key) {
    Statement& find = statements_.find;
    find.BindInt64(1, key.series);
    find.BindInt64(2, key.detector);
    find.BindInt64(3, key.time);
    ResetOnExit reset(find);
    VIGIL_ASSIGN_OR_RETURN(const bool found, find.Step());
    if (!found || find.ColumnInt64(1) < key.time) {
      return std::optional<FoundRow<Row>>();
    }
    const auto [it, added] = edited_.try_emplace(find.ColumnInt64(0));
    if (added) {
      if (Status status = sqlite::UnpackRows(find.ColumnBlob(2), std::nullopt, it->second.rows);
          !status.ok()) {
        edited_.erase(it);
        return status;
      }
    }
    Edited& block = it->second;
    const auto at =
        std::ranges::lower_bound(block.rows, key, {}, [](const Row& r) { return KeyOf(r); });
    if (at == block.rows.end() || KeyOf(*at) != key) {
      return std::optional<FoundRow<Row>>();
    }
    return std::optional<FoundRow<Row>>(FoundRow<Row>{&*at, &block.changed});
  }

  // Writes the blocks whose rows changed.
  Status Write(std::vector<std::byte>& packed) {
    for (const auto& [seq, block] : edited_) {
      if (block.changed) {
        sqlite::PackRows(std::span<const Row>(block.rows), packed);
        statements_.update.BindInt64(1, seq);
        statements_.update.BindInt64(2, Alarms(block.rows));
        statements_.update.BindBlob(3, packed);
        VIGIL_RETURN_IF_ERROR(statements_.update.Run());
      }
    }
    return Status::Ok();
  }

  // Packs rows of one series and detector in key order, every one newer
  // than its blocks, into new blocks of at most kSeriesBlockRows rows.
  Status Add(std::span<const Row* const> sorted, std::vector<std::byte>& packed) {
    Statement& insert = statements_.insert;
    for (std::size_t begin = 0; begin < sorted.size(); begin += rows_.size()) {
      const std::size_t end = std::min<std::size_t>(sorted.size(), begin + kSeriesBlockRows);
      rows_.clear();
      for (std::size_t i = begin; i < end; ++i) {
        rows_.push_back(*sorted[i]);
      }
      const RowKey first = KeyOf(rows_.front());
      sqlite::PackRows(std::span<const Row>(rows_), packed);
      insert.BindInt64(1, first.series);
      insert.BindInt64(2, first.detector);
      insert.BindInt64(3, first.time);
      insert.BindInt64(4, KeyOf(rows_.back()).time);
      insert.BindInt64(5, std::ssize(rows_));
      insert.BindInt64(6, Alarms(rows_));
      insert.BindBlob(7, packed);
      VIGIL_RETURN_IF_ERROR(insert.Run());
    }
    return Status::Ok();
  }

  // At the end of a transaction, committed or not.
  void Clear() { edited_.clear(); }

 private:
  struct Edited {
    std::vector<Row> rows;
    bool changed = false;
  };

  sqlite::WriteStatements::SeriesBlocks& statements_;
  std::map<std::int64_t, Edited> edited_;
  std::vector<Row> rows_;  // one block being packed, reused
};

// Binds the columns of `observations` from series_id to batch_id as 1-7.
void BindObservation(Statement& statement, const sqlite::ObservationRow& r) {
  statement.BindInt64(1, r.series);
  statement.BindInt64(2, r.time);
  statement.BindDouble(3, r.value);
  statement.BindOptionalDouble(4, r.denominator);
  statement.BindInt64(5, r.source_id);
  statement.BindInt64(6, r.arrived);
  statement.BindInt64(7, r.batch_id);
}

// Binds the columns of `signals` from series_id to batch_id as 1-14.
void BindSignal(Statement& statement, const sqlite::SignalRow& r) {
  statement.BindInt64(1, r.series);
  statement.BindInt64(2, r.detector);
  statement.BindInt64(3, r.time);
  statement.BindInt64(4, r.method_id);
  statement.BindOptionalDouble(5, r.observed);
  statement.BindOptionalDouble(6, r.expected);
  statement.BindOptionalDouble(7, r.upperbound);
  statement.BindOptionalDouble(8, r.score);
  statement.BindInt64(9, r.alarm ? 1 : 0);
  statement.BindInt64(10, r.level);
  statement.BindOptionalInt64(11, r.baseline_from);
  statement.BindOptionalInt64(12, r.baseline_to);
  statement.BindText(13, r.note);
  statement.BindInt64(14, r.batch_id);
}

// Binds a row and its count of changes (version, revisions), for a plain
// insert into its clustered table.
void BindStored(Statement& statement, const sqlite::ObservationRow& r) {
  BindObservation(statement, r);
  statement.BindInt64(8, r.version);
}
void BindStored(Statement& statement, const sqlite::SignalRow& r) {
  BindSignal(statement, r);
  statement.BindInt64(15, r.revisions);
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
  VIGIL_RETURN_IF_ERROR(sqlite::RegisterBlockFunctions(db.handle()));
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
        observation_fold_rows_(options.observation_fold_rows),
        series_block_rows_(options.series_block_rows) {}

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

  // With a limit, the blocks of signal_series_blocks are read only from the
  // time bound where they hold enough rows to fill it (SeriesBlockBound).
  // Admission is decided here, row by row, so its limit is counted here; when
  // too few of the rows up to the bound are admitted, the read is done again
  // with a bound that counts four times as many rows.
  Result<std::vector<StoredSignal>> ReadSignals(const SignalFilter& f) override {
    Statement& query = f.newest_first ? r_.signals_newest_first : r_.signals_oldest_first;
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    const std::int64_t from = f.from ? Nanos(*f.from) : kMin;
    const std::int64_t to = f.to ? Nanos(*f.to) : kMax;
    for (std::int64_t need = f.limit;; need *= 4) {
      std::optional<std::int64_t> bound;
      if (f.limit > 0) {
        VIGIL_ASSIGN_OR_RETURN(bound, SeriesBlockBound(f, from, to, need));
      }
      BindSignalFilter(query, f, from, to);
      query.BindInt64(7, f.limit > 0 && !f.admit ? f.limit : -1);
      query.BindInt64(8, f.newest_first ? bound.value_or(kMin) : kMin);
      query.BindInt64(9, f.newest_first ? kMax : bound.value_or(kMax));
      std::vector<StoredSignal> rows;
      ResetOnExit reset(query);
      while (f.limit <= 0 || std::ssize(rows) < f.limit) {
        VIGIL_ASSIGN_OR_RETURN(const bool row, query.Step());
        // A row beyond the bound may come after rows the bound left out.
        if (!row || (bound && (f.newest_first ? query.ColumnInt64(2) < *bound
                                              : query.ColumnInt64(2) > *bound))) {
          break;
        }
        StoredSignal signal = SignalRow(query);
        if (!f.admit || f.admit(signal.key)) {
          rows.push_back(std::move(signal));
        }
      }
      if (!bound || std::ssize(rows) >= f.limit) {
        return rows;
      }
    }
  }

  // A time such that at least `need` of the rows the filter reads are at
  // or after it (before it, reading oldest first): no row beyond it can be
  // among the first `need`. The rows counted are the recent signals, which
  // are the newest, then the blocks of signal_series_blocks in the
  // direction of the read from its newest (oldest) end; the bound is the
  // oldest (newest) time among them. Only blocks within the time range are
  // counted, and their alarms when only alarms are read. None when there
  // are fewer.
  Result<std::optional<std::int64_t>> SeriesBlockBound(const SignalFilter& f, std::int64_t from,
                                                       std::int64_t to, std::int64_t need) {
    BindSignalFilter(r_.recent_signals, f, from, to);
    std::int64_t counted = 0;
    std::optional<std::int64_t> bound;
    {
      ResetOnExit reset(r_.recent_signals);
      VIGIL_ASSIGN_OR_RETURN(const bool row, r_.recent_signals.Step());
      if (row) {
        counted = r_.recent_signals.ColumnInt64(0);
        if (counted > 0) {
          bound = r_.recent_signals.ColumnInt64(f.newest_first ? 1 : 2);
        }
      }
    }
    Statement& blocks =
        f.newest_first ? r_.signal_series_newest_first : r_.signal_series_oldest_first;
    BindSignalFilter(blocks, f, from, to);
    ResetOnExit reset(blocks);
    while (counted < need) {
      VIGIL_ASSIGN_OR_RETURN(const bool row, blocks.Step());
      if (!row) {
        return std::optional<std::int64_t>();
      }
      const std::int64_t first = blocks.ColumnInt64(0);
      const std::int64_t last = blocks.ColumnInt64(1);
      if (first < from || last >= to) {
        continue;
      }
      counted += blocks.ColumnInt64(f.alarms_only ? 3 : 2);
      bound = f.newest_first ? std::min(bound.value_or(first), first)
                             : std::max(bound.value_or(last), last);
    }
    return bound;
  }

  // Parameters 1-6 of the signal queries.
  static void BindSignalFilter(Statement& query, const SignalFilter& f, std::int64_t from,
                               std::int64_t to) {
    query.BindOptionalInt64(1, f.series);
    query.BindText(2, f.indicator);
    query.BindText(3, f.region);
    query.BindInt64(4, from);
    query.BindInt64(5, to);
    query.BindInt64(6, f.alarms_only ? 1 : 0);
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

  // A key that is recent, or in a block of its series, is written there. A
  // new key newer than every stored row of its series is added to the recent
  // observations, unless this transaction added a fold's worth already (a
  // large batch pays for its pages itself); any other is upserted into
  // `observations`. Keys newer than what a series has in either place, as
  // stream samples are, need no look-up.
  Result<AppendOutcome> Append(const Observation& o, const BatchRecord& batch) {
    VIGIL_RETURN_IF_ERROR(CheckSeriesForWrite(o.series));
    VIGIL_ASSIGN_OR_RETURN(const std::int64_t source_id,
                           sources_.Intern(o.source, writer_, [&](Statement& statement) {
                             statement.BindText(1, o.source);
                           }));
    const sqlite::ObservationRow row{o.series,  Nanos(o.time),
                                     o.value,   o.denominator,
                                     source_id, Nanos(batch.info.arrived),
                                     batch.id,  0};
    NewestOf newest(recent_observation_newest_, stored_observation_newest_, row.series, 0);
    if (row.time <= newest.recent()) {
      if (const auto found = observations_.Find(KeyOf(row))) {
        return Revise(found->row, found->changed, row);
      }
    }
    if (newest.stored() == kUnknown) {
      w_.stored_observation_newest.BindInt64(1, row.series);
      VIGIL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> stored,
                             QueryOptionalInt64(w_.stored_observation_newest));
      newest.stored() = stored.value_or(kNone);
    }
    if (row.time > newest.stored() && observations_.added() < observation_fold_rows_) {
      newest.recent() = std::max(newest.recent(), row.time);
      observations_.Add(row);
      return AppendOutcome::kInserted;
    }
    if (row.time <= newest.stored()) {
      VIGIL_ASSIGN_OR_RETURN(const auto found, observation_series_.Find(KeyOf(row)));
      if (found) {
        return Revise(found->row, found->changed, row);
      }
    }
    newest.stored() = std::max(newest.stored(), row.time);
    BindObservation(w_.upsert, row);
    // An insert changes one row; an update changes the row and the trigger
    // inserts the old version: two. A skipped identical write changes none.
    const std::int64_t before = writer_.TotalChanges();
    VIGIL_RETURN_IF_ERROR(w_.upsert.Run());
    switch (writer_.TotalChanges() - before) {
      case 0:
        return AppendOutcome::kUnchanged;
      case 1:
        return AppendOutcome::kInserted;
      default:
        return AppendOutcome::kRevised;
    }
  }

  // A recent observation written again: an identical version changes
  // nothing; another keeps the old one as the trigger on `observations` does.
  Result<AppendOutcome> Revise(sqlite::ObservationRow* old, bool* changed,
                               const sqlite::ObservationRow& row) {
    if (old->value == row.value && old->denominator == row.denominator &&
        old->source_id == row.source_id) {
      return AppendOutcome::kUnchanged;
    }
    BindObservation(w_.insert_revision, *old);
    w_.insert_revision.BindInt64(8, old->version);
    w_.insert_revision.BindInt64(9, row.arrived);
    w_.insert_revision.BindInt64(10, row.batch_id);
    VIGIL_RETURN_IF_ERROR(w_.insert_revision.Run());
    const std::int64_t version = old->version + 1;
    *old = row;
    old->version = version;
    if (changed != nullptr) {
      *changed = true;
    }
    return AppendOutcome::kRevised;
  }

  // A signal whose key is recent, or in a block of its series, is rewritten
  // there. A new one newer than every stored signal of its series and
  // detector is added to the recent signals, unless this transaction added a
  // fold's worth already; any other is upserted into `signals`.
  Status WriteSignal(const SignalRecord& r, const BatchRecord& batch) {
    VIGIL_RETURN_IF_ERROR(CheckSeriesForWrite(r.series));
    method_key_.assign(r.method).append(1, '\0').append(r.params);
    VIGIL_ASSIGN_OR_RETURN(const std::int64_t method_id,
                           methods_.Intern(method_key_, writer_, [&](Statement& statement) {
                             statement.BindText(1, r.method);
                             statement.BindText(2, r.params);
                           }));
    sqlite::SignalRow row{r.series,        r.detector,    Nanos(r.time), method_id, r.observed,
                          r.expected,      r.upperbound,  r.score,       r.alarm,   r.level,
                          r.baseline_from, r.baseline_to, r.note,        batch.id,  0};
    NewestOf newest(recent_signal_newest_, stored_signal_newest_, row.series, row.detector);
    if (row.time <= newest.recent()) {
      if (const auto found = signals_.Find(KeyOf(row))) {
        row.revisions = found->row->revisions + 1;
        *found->row = std::move(row);
        if (found->changed != nullptr) {
          *found->changed = true;
        }
        return Status::Ok();
      }
    }
    if (newest.stored() == kUnknown) {
      w_.stored_signal_newest.BindInt64(1, row.series);
      w_.stored_signal_newest.BindInt64(2, row.detector);
      VIGIL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> stored,
                             QueryOptionalInt64(w_.stored_signal_newest));
      newest.stored() = stored.value_or(kNone);
    }
    if (row.time <= newest.stored() || signals_.added() >= signal_fold_rows_) {
      if (row.time <= newest.stored()) {
        VIGIL_ASSIGN_OR_RETURN(const auto found, signal_series_.Find(KeyOf(row)));
        if (found) {
          row.revisions = found->row->revisions + 1;
          *found->row = std::move(row);
          *found->changed = true;
          return Status::Ok();
        }
      }
      newest.stored() = std::max(newest.stored(), row.time);
      BindSignal(w_.upsert_signal, row);
      return w_.upsert_signal.Run();
    }
    newest.recent() = std::max(newest.recent(), row.time);
    signals_.Add(std::move(row));
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
    const bool fold_signals = signals_.size() >= signal_fold_rows_;
    const bool fold_observations = observations_.size() >= observation_fold_rows_;
    Status status = w_.update_batch.Run();
    if (status.ok()) {
      status = signal_series_.Write(packed_);
    }
    if (status.ok()) {
      status = observation_series_.Write(packed_);
    }
    if (status.ok()) {
      status = fold_signals
                   ? Fold(signals_, signal_series_, w_.insert_signal, w_.signal_blocks.clear)
                   : signals_.Write(w_.signal_blocks, writer_, packed_);
    }
    if (status.ok()) {
      status = fold_observations ? Fold(observations_, observation_series_, w_.insert_observation,
                                        w_.observation_blocks.clear)
                                 : observations_.Write(w_.observation_blocks, writer_, packed_);
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
      signals_.ForEach([&](const sqlite::SignalRow& row) {
        stored_signal_newest_.Raise(row.series, row.detector, row.time);
      });
      signals_.Clear();
      recent_signal_newest_.Clear();
    } else {
      signals_.Written();
    }
    if (fold_observations) {
      observations_.ForEach([&](const sqlite::ObservationRow& row) {
        stored_observation_newest_.Raise(row.series, 0, row.time);
      });
      observations_.Clear();
      recent_observation_newest_.Clear();
    } else {
      observations_.Written();
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
    // The recent rows are loaded again before the next write: the
    // transaction may have changed them in memory, or folded them.
    data_version_ = kUnknown;
    EndTransaction();
  }

 private:
  void EndTransaction() {
    new_series_.clear();
    signal_series_.Clear();
    observation_series_.Clear();
    sources_.Committed();
    methods_.Committed();
    transaction_open_ = false;
  }

  // Moves every recent row, at the commit that finds enough of them, and
  // empties the recent blocks: the rows of a series (and detector) that are
  // at least series_block_rows_ into blocks of their own, fewer into the
  // clustered table with `insert` (keys are never in both, so plain inserts
  // serve). A block of a row or two would not pay for its own row, index
  // entry and look-ups: a move of weekly data holds one row of each of
  // 65,536 series.
  template <class Row>
  Status Fold(const RecentRows<Row>& recent, SeriesBlocks<Row>& blocks, Statement& insert,
              Statement& clear) {
    const std::vector<const Row*> sorted = recent.Sorted();
    const auto same_series = [](const Row* a, const Row* b) {
      const RowKey ka = KeyOf(*a);
      const RowKey kb = KeyOf(*b);
      return ka.series == kb.series && ka.detector == kb.detector;
    };
    for (auto begin = sorted.begin(); begin != sorted.end();) {
      const auto end = std::find_if_not(begin, sorted.end(),
                                        [&](const Row* row) { return same_series(*begin, row); });
      if (end - begin >= series_block_rows_) {
        VIGIL_RETURN_IF_ERROR(blocks.Add(std::span<const Row* const>(begin, end), packed_));
      } else {
        for (auto row = begin; row != end; ++row) {
          BindStored(insert, **row);
          VIGIL_RETURN_IF_ERROR(insert.Run());
        }
      }
      begin = end;
    }
    return clear.Run();
  }

  // Loads the recent rows, and the newest recent time of each series (and
  // detector), when another connection (another process) committed since
  // they were loaded, or a rollback left them unsure: recent rows may have
  // been added, or moved. Forgets what is known of the clustered tables too.
  // Called by Begin with the write lock held; the first call loads, so a
  // store that only reads never does.
  Status SyncRecent() {
    VIGIL_ASSIGN_OR_RETURN(const std::int64_t version, writer_.QueryInt64("PRAGMA data_version"));
    if (version == data_version_) {
      return Status::Ok();
    }
    data_version_ = kUnknown;
    recent_observation_newest_.Clear();
    stored_observation_newest_.Clear();
    recent_signal_newest_.Clear();
    stored_signal_newest_.Clear();
    VIGIL_RETURN_IF_ERROR(observations_.Load(w_.observation_blocks.read));
    VIGIL_RETURN_IF_ERROR(signals_.Load(w_.signal_blocks.read));
    const auto raise = [](NewestTimes& newest, const RowKey& key) {
      if (std::int64_t* time = newest.At(key.series, key.detector); time != nullptr) {
        *time = std::max(*time, key.time);
      }
    };
    observations_.ForEach(
        [&](const sqlite::ObservationRow& row) { raise(recent_observation_newest_, KeyOf(row)); });
    signals_.ForEach(
        [&](const sqlite::SignalRow& row) { raise(recent_signal_newest_, KeyOf(row)); });
    data_version_ = version;
    return Status::Ok();
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
  std::vector<std::byte> packed_;  // a journal row or a block, reused: it keeps its capacity
  const std::int64_t signal_fold_rows_;
  const std::int64_t observation_fold_rows_;
  const std::int64_t series_block_rows_;
  std::int64_t data_version_ = kUnknown;  // of the file when the recent rows were loaded
  RecentRows<sqlite::ObservationRow> observations_;
  RecentRows<sqlite::SignalRow> signals_;
  SeriesBlocks<sqlite::ObservationRow> observation_series_{w_.observation_series};
  SeriesBlocks<sqlite::SignalRow> signal_series_{w_.signal_series};
  // The newest time of each series (and detector) among its recent rows
  // (kNone: none), and among its stored rows, in the clustered table or its
  // blocks (kUnknown: not looked up yet). A key newer than both needs no
  // look-up to be new.
  NewestTimes recent_observation_newest_{kNone};
  NewestTimes stored_observation_newest_{kUnknown};
  NewestTimes recent_signal_newest_{kNone};
  NewestTimes stored_signal_newest_{kUnknown};
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
        std::pair{"observation_fold_rows", options.observation_fold_rows},
        std::pair{"series_block_rows", options.series_block_rows}}) {
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
