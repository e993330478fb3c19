#include "sqlite/sqlite_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <fstream>

#include "sqlite/migrations.h"
#include "sqlite/sqlite_testing.h"
#include "store/audit.h"
#include "store/store_conformance.h"

namespace vigil {
namespace {

using std::chrono::days;

Result<std::unique_ptr<Store>> OpenInDir(const std::filesystem::path& dir) {
  return OpenSqliteStore(dir / "vigil.db", SqliteOptions{});
}

// New signals and observations move out of the recent blocks once there are
// this many, every few batches, and a series with two of them or more into a
// block of its own, so that the suite sees keys in all three places.
constexpr std::int64_t kFoldRows = 3;

Result<std::unique_ptr<Store>> OpenFoldingInDir(const std::filesystem::path& dir) {
  return OpenSqliteStore(dir / "vigil.db", SqliteOptions{.signal_fold_rows = kFoldRows,
                                                         .observation_fold_rows = kFoldRows,
                                                         .series_block_rows = 2});
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"sqlite", OpenInDir},
                                           StoreFactory{"sqlite_folding", OpenFoldingInDir}),
                         StoreFactoryName);

const Timestamp kWeek1 = Timestamp{} + days(19'786);
const Timestamp kDay1 = kWeek1 + days(3);
const Timestamp kDay2 = kDay1 + days(1);
const Timestamp kDay3 = kDay2 + days(1);

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vigil-sqlite-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    file_ = dir_ / "vigil.db";
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::unique_ptr<Store> Open() {
    auto store = OpenSqliteStore(file_, SqliteOptions{});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Creates the file with the schema of version `version`, as an older vigil
  // left it.
  void CreateAtVersion(std::size_t version) {
    auto db = sqlite::Database::Open(file_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    auto applied = sqlite::Migrate(*db, sqlite::StoreMigrations().first(version), file_.string());
    ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  }

  // Runs one statement on the file with a plain SQLite connection.
  void Exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  // The rows of `table`, read with a plain SQLite connection.
  std::int64_t Count(const std::string& table) {
    auto db = sqlite::Database::Open(file_, SQLITE_OPEN_READONLY);
    EXPECT_TRUE(db.ok());
    auto count = db->QueryInt64("SELECT count(*) FROM " + table);
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    return count.ok() ? *count : -1;
  }

  std::filesystem::path dir_;
  std::filesystem::path file_;
};

using Rows = std::pair<std::int64_t, std::int64_t>;

// The rows of a table (observations, signals) that are no longer recent
// (`stored`: an expression counting them) and its recent rows, by a plain
// connection.
Rows TableRows(const std::filesystem::path& file, const std::string& table,
               const std::string& stored) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  std::int64_t counts[2] = {-1, -1};
  const std::string queries[2] = {"SELECT " + stored,
                                  fmt::format("SELECT coalesce(sum(rows), 0) FROM recent_{}_blocks",
                                              table.substr(0, table.size() - 1))};
  for (int i = 0; i < 2; ++i) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, queries[i].c_str(), -1, &stmt, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    counts[i] = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return {counts[0], counts[1]};
}

// Stored rows are in their clustered table and in blocks per series.
Rows TableRows(const std::filesystem::path& file, const std::string& table) {
  return TableRows(file, table,
                   fmt::format("(SELECT count(*) FROM {0})"
                               " + (SELECT coalesce(sum(rows), 0) FROM {1}_series_blocks)",
                               table, table.substr(0, table.size() - 1)));
}

Rows SignalRows(const std::filesystem::path& file) { return TableRows(file, "signals"); }

TEST_F(SqliteStoreTest, RevisionsAndAsOfReadsSurviveReopen) {
  SeriesId id = 0;
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto txn = store->Begin({"first.csv", kDay1});
    ASSERT_TRUE(txn.ok());
    id = *(*txn)->InternSeries({"cases", "CN-32"});
    ASSERT_TRUE((*txn)->Append({id, kWeek1, 10, 500, "lab"}).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
    auto late = store->Begin({"late.csv", kDay2});
    ASSERT_TRUE(late.ok());
    ASSERT_TRUE((*late)->Append({id, kWeek1, 13, 500, "lab"}).ok());
    ASSERT_TRUE((*late)->Commit().ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto history = store->History(id, kWeek1);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].value, 10);
  EXPECT_EQ((*history)[0].arrived, kDay1);
  EXPECT_EQ((*history)[1].value, 13);
  auto as_of = store->Read(id, kWeek1, kWeek1 + days(7), kDay1);
  ASSERT_TRUE(as_of.ok());
  ASSERT_EQ(as_of->size(), 1u);
  EXPECT_EQ((*as_of)[0].value, 10);
  EXPECT_EQ((*as_of)[0].denominator, 500);
  EXPECT_EQ((*as_of)[0].source, "lab");
}

TEST_F(SqliteStoreTest, InternSeriesAfterReopenFindsTheStoredId) {
  SeriesId id = 0;
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto txn = store->Begin({"a", kDay1});
    ASSERT_TRUE(txn.ok());
    id = *(*txn)->InternSeries({"cases", "CN-32"});
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto txn = store->Begin({"b", kDay2});
  ASSERT_TRUE(txn.ok());
  auto again = (*txn)->InternSeries({"cases", "CN-32"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, id);
  auto append = (*txn)->Append({id, kWeek1, 1, std::nullopt, ""});
  ASSERT_TRUE(append.ok()) << append.status().ToString();
}

TEST_F(SqliteStoreTest, ReopeningAppliesNoMigrationTwice) {
  ASSERT_NE(Open(), nullptr);
  // Migration 1 creates tables without IF NOT EXISTS: applying it again would fail.
  ASSERT_NE(Open(), nullptr);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), sqlite::StoreMigrations().back().version);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, WarningEventsOutboxAndDeliveriesSurviveReopen) {
  std::vector<OutboxItem> items(2);
  items[0].notification_id = "W-1/webhook";
  items[0].warning_id = "W-1";
  items[0].payload = R"({"warning":"W-1"})";
  items[0].next_attempt = kDay1;
  items[1] = items[0];
  items[1].notification_id = "W-1/alertmanager";
  items[1].channel = "alertmanager";
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto txn = store->Begin({"warn", kDay1});
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(
        (*txn)
            ->AppendWarningEvents(
                {{1, kDay1, "evidence", "health/CN-32/cholera", "", "engine", R"({"seq":1})"},
                 {2, kDay1, "issued", "health/CN-32/cholera", "W-1", "engine", R"({"seq":2})"}})
            .ok());
    ASSERT_TRUE((*txn)->EnqueueOutbox(items).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
    ASSERT_TRUE(
        store->RecordDelivery({items[0].id, OutboxState::kDelivered, kDay2, kDay2, ""}).ok());
    ASSERT_TRUE(
        store->RecordDelivery({items[1].id, OutboxState::kPending, kDay2, kDay3, "HTTP 503"}).ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto events = store->ReadWarningEvents({.warning_id = "W-1"});
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].seq, 2);
  EXPECT_EQ((*events)[0].body, R"({"seq":2})");
  EXPECT_EQ(*store->LastWarningEventSeq(), 2);
  auto outbox = store->ReadOutbox({});
  ASSERT_TRUE(outbox.ok()) << outbox.status().ToString();
  ASSERT_EQ(outbox->size(), 2u);
  EXPECT_EQ((*outbox)[0].state, OutboxState::kDelivered);
  EXPECT_EQ((*outbox)[0].delivered_at, kDay2);
  EXPECT_EQ((*outbox)[1].state, OutboxState::kPending);
  EXPECT_EQ((*outbox)[1].attempts, 1);
  EXPECT_EQ((*outbox)[1].last_error, "HTTP 503");
  auto due = store->ReadOutbox({.due_by = kDay3});
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, items[1].id);
  auto txn = store->Begin({"replay", kDay3});
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ((*txn)->AppendWarningEvents({{2, kDay3, "issued", "", "", "engine", "{}"}}).code(),
            StatusCode::kAlreadyExists);
}

TEST_F(SqliteStoreTest, Version2FileUpgradesKeepingItsData) {
  ASSERT_NO_FATAL_FAILURE(CreateAtVersion(2));
  Exec(fmt::format(R"sql(
INSERT INTO series (id, indicator, region) VALUES (1, 'cases', 'CN-32');
INSERT INTO sources (id, name) VALUES (1, 'lab');
INSERT INTO batches (id, origin, arrived, inserted) VALUES (1, 'old.csv', {1}, 1);
INSERT INTO observations (series_id, time, value, source_id, arrived, batch_id)
VALUES (1, {0}, 12, 1, {1}, 1);
INSERT INTO signals (series_id, detector, time, method, params, alarm, level, note, batch_id)
VALUES (1, 0, {0}, 'threshold', 'levels=10', 1, 1, '', 1);
)sql",
                   kWeek1.time_since_epoch().count(), kDay1.time_since_epoch().count()));
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto read = store->Read(1, kWeek1, kWeek1 + days(7), std::nullopt);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].value, 12);
  EXPECT_EQ((*read)[0].source, "lab");
  auto signals = store->ReadSignals({});
  ASSERT_TRUE(signals.ok());
  ASSERT_EQ(signals->size(), 1u);
  EXPECT_TRUE((*signals)[0].signal.alarm);
  EXPECT_EQ((*signals)[0].signal.method, "threshold");
  EXPECT_EQ((*signals)[0].signal.params, "levels=10");
  auto batches = store->Batches();
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ((*batches)[0].info.origin, "old.csv");
  EXPECT_EQ(*store->LastWarningEventSeq(), 0);
  auto txn = store->Begin({"warn", kDay2});
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->AppendWarningEvents({{1, kDay2, "evidence", "", "", "engine", "{}"}}).ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ(*store->LastWarningEventSeq(), 1);
}

TEST_F(SqliteStoreTest, Version7FileUpgradesItsSignalsToMethodIds) {
  ASSERT_NO_FATAL_FAILURE(CreateAtVersion(7));
  Exec(fmt::format(R"sql(
INSERT INTO series (id, indicator, region) VALUES (1, 'cases', 'CN-32');
INSERT INTO batches (id, origin, arrived, inserted) VALUES (1, 'old.csv', {1}, 0);
INSERT INTO signals (series_id, detector, time, method, params, alarm, level, note, batch_id)
VALUES (1, 0, {0}, 'threshold', 'levels=10', 0, 0, '', 1),
       (1, 1, {0}, 'ears', 'method=C1', 1, 2, 'high', 1);
INSERT INTO signals_recent (series_id, detector, time, method, params, alarm, level, note,
                            batch_id)
VALUES (1, 0, {1}, 'threshold', 'levels=10', 1, 1, '', 1);
)sql",
                   kWeek1.time_since_epoch().count(), kDay1.time_since_epoch().count()));
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto signals = store->ReadSignals({});
  ASSERT_TRUE(signals.ok()) << signals.status().ToString();
  std::vector<std::string> read;
  for (const StoredSignal& s : *signals) {
    read.push_back(fmt::format("{} {} {} {} {}", s.signal.detector, s.signal.method,
                               s.signal.params, s.signal.level, s.signal.note));
  }
  EXPECT_EQ(read, (std::vector<std::string>{"0 threshold levels=10 0 ", "1 ears method=C1 2 high",
                                            "0 threshold levels=10 1 "}));
  EXPECT_EQ(Count("signal_methods"), 2);
  // A method already known is referred to, not stored again.
  auto txn = store->Begin({"new.csv", kDay2});
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE(
      (*txn)
          ->WriteSignal(
              {.series = 1, .detector = 1, .time = kDay2, .method = "ears", .params = "method=C1"})
          .ok());
  ASSERT_TRUE(
      (*txn)
          ->WriteSignal({.series = 1, .time = kDay2, .method = "threshold", .params = "levels=20"})
          .ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ(Count("signal_methods"), 3);
  signals = store->ReadSignals({.from = kDay2});
  ASSERT_TRUE(signals.ok());
  ASSERT_EQ(signals->size(), 2u);
  EXPECT_EQ((*signals)[0].signal.params, "levels=20");
  EXPECT_EQ((*signals)[1].signal.params, "method=C1");
}

// A file from version 8 on with one series and one observation, of week 1
// from batch 1 ({0}: week 1, {1}: day 1, in nanoseconds).
constexpr const char* kOneObservation = R"sql(
INSERT INTO series (id, indicator, region) VALUES (1, 'gas', 'CN-32');
INSERT INTO sources (id, name) VALUES (1, 'plc');
INSERT INTO signal_methods (id, method, params) VALUES (1, 'threshold', 'levels=10');
INSERT INTO batches (id, origin, arrived, inserted) VALUES (1, 'old.csv', {1}, 2);
INSERT INTO observations (series_id, time, value, source_id, arrived, batch_id)
VALUES (1, {0}, 1, 1, {1}, 1);
)sql";

TEST_F(SqliteStoreTest, Version8FileMovesItsRecentRowsIntoTheClusteredTables) {
  ASSERT_NO_FATAL_FAILURE(CreateAtVersion(8));
  Exec(fmt::format(fmt::runtime(std::string(kOneObservation) + R"sql(
INSERT INTO observations_recent (series_id, time, value, source_id, arrived, batch_id, version)
VALUES (1, {1}, 2, 1, {1}, 1, 3);
INSERT INTO signals_recent (series_id, detector, time, method_id, observed, alarm, level, note,
                            batch_id, revisions)
VALUES (1, 0, {1}, 1, 2, 1, 2, 'late', 1, 4);
)sql"),
                   kWeek1.time_since_epoch().count(), kDay1.time_since_epoch().count()));
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(TableRows(file_, "observations"), Rows(2, 0));
  EXPECT_EQ(SignalRows(file_), Rows(1, 0));
  auto history = store->History(1, kDay1);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].value, 2);
  auto signals = store->ReadSignals({});
  ASSERT_TRUE(signals.ok()) << signals.status().ToString();
  ASSERT_EQ(signals->size(), 1u);
  EXPECT_EQ((*signals)[0].signal.note, "late");
  EXPECT_EQ((*signals)[0].revisions, 4);
  auto txn = store->Begin({"new.csv", kDay2});
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ(*(*txn)->Append({1, kDay1, 2, std::nullopt, "plc"}), AppendOutcome::kUnchanged);
  EXPECT_EQ(*(*txn)->Append({1, kDay2, 3, std::nullopt, "plc"}), AppendOutcome::kInserted);
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ(TableRows(file_, "observations"), Rows(2, 1));
}

TEST_F(SqliteStoreTest, Version9FileKeepsItsRowsAndMovesNewOnesIntoBlocksOfTheirSeries) {
  ASSERT_NO_FATAL_FAILURE(CreateAtVersion(9));
  Exec(fmt::format(fmt::runtime(std::string(kOneObservation) + R"sql(
INSERT INTO signals (series_id, detector, time, method_id, observed, alarm, level, note, batch_id)
VALUES (1, 0, {0}, 1, 1, 1, 2, '', 1);
)sql"),
                   kWeek1.time_since_epoch().count(), kDay1.time_since_epoch().count()));
  auto store = OpenSqliteStore(file_, SqliteOptions{.signal_fold_rows = 2,
                                                    .observation_fold_rows = 2,
                                                    .series_block_rows = 2})
                   .value();
  auto txn = store->Begin({"new.csv", kDay2}).value();
  for (const Timestamp t : {kWeek1, kDay1, kDay2}) {
    EXPECT_EQ(*txn->Append({1, t, 2, std::nullopt, "plc"}),
              t == kWeek1 ? AppendOutcome::kRevised : AppendOutcome::kInserted);
    SignalRecord r{.series = 1, .time = t, .method = "threshold", .params = "levels=10"};
    r.observed = 2;
    ASSERT_TRUE(txn->WriteSignal(r).ok());
  }
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(Count("observations"), 1);
  EXPECT_EQ(Count("observation_series_blocks WHERE rows = 2"), 1);
  EXPECT_EQ(Count("signals"), 1);
  EXPECT_EQ(Count("signal_series_blocks WHERE rows = 2"), 1);
  const std::vector<StoredObservation> current =
      store->Read(1, kWeek1, kDay3, std::nullopt).value();
  ASSERT_EQ(current.size(), 3u);
  EXPECT_EQ(store->History(1, kWeek1).value().size(), 2u);
  const std::vector<StoredSignal> signals = store->ReadSignals({.newest_first = true}).value();
  ASSERT_EQ(signals.size(), 3u);
  EXPECT_EQ(signals[0].signal.time, kDay2);
  EXPECT_EQ(signals[2].signal.time, kWeek1);
  EXPECT_EQ(signals[2].revisions, 1);
}

TEST_F(SqliteStoreTest, Version3FileUpgradesKeepingItsWarningLog) {
  ASSERT_NO_FATAL_FAILURE(CreateAtVersion(3));
  Exec(
      fmt::format("INSERT INTO warning_events (seq, at, kind, key, warning_id, actor, body)"
                  " VALUES (1, {}, 'evidence', 'health/CN-32/cholera', '', 'engine', '{{}}')",
                  kDay1.time_since_epoch().count()));
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->LastWarningEventSeq(), 1);
  EXPECT_TRUE(store->ReadAudit({})->empty());
  EXPECT_TRUE(store->ListTokens()->empty());
  const TokenRecord token{
      .id = "t1", .name = "n", .role = "viewer", .hash = std::string(64, '1'), .created = kDay2};
  ASSERT_TRUE(
      store->CreateToken(token, {kDay2, "cli:alice", "token.create", "t1", std::string(64, '0')})
          .ok());
  EXPECT_EQ(store->ReadAudit({})->size(), 1u);
}

// Audited writes on days 1 to 3, one record each.
void WriteAuditLog(Store& store) {
  for (const Timestamp day : {kDay1, kDay2, kDay3}) {
    auto txn = store.Begin({"batch", day});
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->AppendAudit({day, "cli:alice", "ingest.batch", "a.csv", "00"}).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
}

TEST_F(SqliteStoreTest, AuditLogRefusesUpdatesAndDeletesThroughSql) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  WriteAuditLog(*store);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file_.c_str(), &db), SQLITE_OK);
  for (const char* sql : {"UPDATE audit_log SET actor = 'cli:mallory' WHERE seq = 2",
                          "DELETE FROM audit_log WHERE seq = 3"}) {
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_CONSTRAINT) << sql;
    EXPECT_STREQ(sqlite3_errmsg(db), "the audit log is append-only");
  }
  sqlite3_close(db);
  EXPECT_EQ(store->ReadAudit({})->size(), 3u);
}

// One byte of record 2's actor changed in place, as a tamperer with the file
// would: incremental blob I/O goes around the triggers. The chain names it.
TEST_F(SqliteStoreTest, ChangingOneByteOfAnAuditRecordBreaksTheChainThere) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  WriteAuditLog(*store);
  store.reset();
  const Status tampered = sqlite::OverwriteInPlace(file_, "audit_log", "actor", 2, 4, "m");
  ASSERT_TRUE(tampered.ok()) << tampered.ToString();

  store = Open();
  ASSERT_NE(store, nullptr);
  const std::vector<AuditRecord> log = *store->ReadAudit({});
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1].entry.actor, "cli:mlice");
  AuditVerifier verifier;
  EXPECT_TRUE(verifier.Check(log[0]).ok());
  const Status broken = verifier.Check(log[1]);
  EXPECT_EQ(broken.code(), StatusCode::kCorruption);
  EXPECT_NE(broken.message().find("audit record 2 is broken"), std::string::npos)
      << broken.ToString();
}

TEST_F(SqliteStoreTest, NewObservationsWaitAmongTheRecentRowsUntilABatchMovesThemAll) {
  auto store = OpenSqliteStore(file_, SqliteOptions{.observation_fold_rows = 4}).value();
  SeriesId id = 0;
  const auto write = [&](Timestamp arrived, std::vector<std::pair<int, double>> values) {
    auto txn = store->Begin({"b", arrived}).value();
    id = txn->InternSeries({"gas", "CN-32"}).value();
    std::vector<AppendOutcome> outcomes;
    for (const auto& [second, value] : values) {
      outcomes.push_back(
          txn->Append({id, kDay1 + std::chrono::seconds(second), value, std::nullopt, "s"})
              .value());
    }
    EXPECT_TRUE(txn->Commit().ok());
    return outcomes;
  };
  using enum AppendOutcome;
  EXPECT_EQ(write(kDay1, {{0, 1}, {1, 1}, {2, 1}}),
            (std::vector<AppendOutcome>{kInserted, kInserted, kInserted}));
  EXPECT_EQ(TableRows(file_, "observations"), Rows(0, 3));
  EXPECT_EQ(write(kDay2, {{1, 1}, {1, 2}, {3, 1}}),
            (std::vector<AppendOutcome>{kUnchanged, kRevised, kInserted}));
  EXPECT_EQ(TableRows(file_, "observations"), Rows(4, 0)) << "four recent at commit: all move";
  EXPECT_EQ(write(kDay3, {{1, 3}, {4, 1}}), (std::vector<AppendOutcome>{kRevised, kInserted}));
  EXPECT_EQ(TableRows(file_, "observations"), Rows(4, 1));

  const std::vector<StoredObservation> current =
      store->Read(id, kDay1, kDay2, std::nullopt).value();
  ASSERT_EQ(current.size(), 5u);
  EXPECT_EQ(current[1].value, 3);
  EXPECT_EQ(current[4].arrived, kDay3);
  const std::vector<StoredObservation> as_of_day2 = store->Read(id, kDay1, kDay2, kDay2).value();
  ASSERT_EQ(as_of_day2.size(), 4u);
  EXPECT_EQ(as_of_day2[1].value, 2);
  const std::vector<StoredObservation> history =
      store->History(id, kDay1 + std::chrono::seconds(1)).value();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].value, 1);
  EXPECT_EQ(history[1].value, 2);
  EXPECT_EQ(history[2].value, 3);
  EXPECT_EQ(store->Stats().value().observations, 5);
  EXPECT_EQ(store->StatsByIndicator().value().at(0).observations, 5);
}

TEST_F(SqliteStoreTest, MovedObservationsArePackedABlockPerSeriesAndRevisedThere) {
  auto store =
      OpenSqliteStore(file_, SqliteOptions{.observation_fold_rows = 4, .series_block_rows = 2})
          .value();
  SeriesId a = 0;
  SeriesId b = 0;
  SeriesId c = 0;
  using Write = std::tuple<SeriesId*, int, double>;  // series, second, value
  const auto write = [&](Timestamp arrived, std::vector<Write> writes, bool commit = true) {
    auto txn = store->Begin({"b", arrived}).value();
    a = txn->InternSeries({"gas", "CN-32"}).value();
    b = txn->InternSeries({"gas", "CN-11"}).value();
    c = txn->InternSeries({"gas", "CN-12"}).value();
    std::vector<AppendOutcome> outcomes;
    for (const auto& [series, second, value] : writes) {
      outcomes.push_back(
          txn->Append({*series, kDay1 + std::chrono::seconds(second), value, std::nullopt, "s"})
              .value());
    }
    if (commit) {
      EXPECT_TRUE(txn->Commit().ok());
    } else {
      txn->Rollback();
    }
    return outcomes;
  };
  using enum AppendOutcome;
  write(kDay1, {{&a, 0, 1}, {&b, 0, 1}, {&c, 0, 1}});
  write(kDay1, {{&a, 10, 2}, {&b, 10, 2}});
  EXPECT_EQ(TableRows(file_, "observations"), Rows(5, 0)) << "five recent at commit: all move";
  EXPECT_EQ(Count("observations"), 1) << "a series with one row moves into the clustered table";
  EXPECT_EQ(Count("observation_series_blocks WHERE rows = 2"), 2);

  // Keys of a block: an identical write changes nothing, two revisions of
  // one key in a transaction keep both old versions; a key within the
  // block's times that it does not hold goes to `observations`.
  EXPECT_EQ(write(kDay2, {{&a, 0, 1}, {&a, 0, 5}, {&a, 0, 6}, {&a, 5, 9}}),
            (std::vector<AppendOutcome>{kUnchanged, kRevised, kRevised, kInserted}));
  EXPECT_EQ(write(kDay3, {{&a, 10, 7}, {&b, 0, 8}}, false),
            (std::vector<AppendOutcome>{kRevised, kRevised}));
  EXPECT_EQ(TableRows(file_, "observations"), Rows(6, 0));
  EXPECT_EQ(Count("observations"), 2);
  EXPECT_EQ(Count("observation_revisions"), 2);

  const std::vector<StoredObservation> read = store->Read(a, kDay1, kDay2, std::nullopt).value();
  std::vector<std::pair<double, Timestamp>> current;
  for (const StoredObservation& o : read) {
    current.emplace_back(o.value, o.arrived);
  }
  EXPECT_EQ(current, (decltype(current){{6, kDay2}, {9, kDay2}, {2, kDay1}}));
  const std::vector<StoredObservation> window =
      store
          ->Read(a, kDay1 + std::chrono::seconds(1), kDay1 + std::chrono::seconds(10), std::nullopt)
          .value();
  ASSERT_EQ(window.size(), 1u);
  EXPECT_EQ(window[0].value, 9);
  const std::vector<StoredObservation> as_of_day1 = store->Read(a, kDay1, kDay2, kDay1).value();
  ASSERT_EQ(as_of_day1.size(), 2u);
  EXPECT_EQ(as_of_day1[0].value, 1);
  const std::vector<StoredObservation> history = store->History(a, kDay1).value();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].value, 1);
  EXPECT_EQ(history[1].value, 5);
  EXPECT_EQ(history[2].value, 6);
  EXPECT_EQ(store->Stats().value().observations, 6);
  const IndicatorStats stats = store->StatsByIndicator().value().at(0);
  EXPECT_EQ(stats.observations, 6);
  EXPECT_EQ(stats.first, kDay1);
  EXPECT_EQ(stats.last, kDay1 + std::chrono::seconds(10));
}

TEST_F(SqliteStoreTest, NewSignalsWaitAmongTheRecentRowsUntilABatchMovesThemAll) {
  auto store = OpenSqliteStore(file_, SqliteOptions{.signal_fold_rows = 4}).value();
  SeriesId id = 0;
  const auto write = [&](int first, int count) {
    auto txn = store->Begin({"b", kDay1}).value();
    if (id == 0) {
      id = txn->InternSeries({"gas", "CN-32"}).value();
    }
    for (int i = first; i < first + count; ++i) {
      SignalRecord r{.series = id, .time = kDay1 + std::chrono::seconds(i), .method = "threshold"};
      r.observed = i;
      ASSERT_TRUE(txn->WriteSignal(r).ok());
    }
    ASSERT_TRUE(txn->Commit().ok());
  };
  write(0, 3);
  EXPECT_EQ(SignalRows(file_), Rows(0, 3));
  write(3, 1);  // four recent at commit: all move
  EXPECT_EQ(SignalRows(file_), Rows(4, 0));
  write(4, 2);
  write(1, 1);  // a key already moved is rewritten in place
  EXPECT_EQ(SignalRows(file_), Rows(4, 2));
  const std::vector<StoredSignal> signals = store->ReadSignals({}).value();
  ASSERT_EQ(signals.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(signals[i].signal.observed, i);
    EXPECT_EQ(signals[i].revisions, i == 1 ? 1 : 0);
  }
  EXPECT_EQ(store->StatsByIndicator().value().at(0).signals, 6);
}

TEST_F(SqliteStoreTest, MovedSignalsArePackedABlockPerSeriesAndDetectorAndRevisedThere) {
  auto store =
      OpenSqliteStore(file_, SqliteOptions{.signal_fold_rows = 6, .series_block_rows = 2}).value();
  SeriesId a = 0;
  SeriesId b = 0;
  // Writes each (series, detector, second, observed, alarm); commits or rolls back.
  using Write = std::tuple<SeriesId*, int, int, double, bool>;
  const auto write = [&](std::vector<Write> writes, bool commit = true) {
    auto txn = store->Begin({"b", kDay1}).value();
    a = txn->InternSeries({"gas", "CN-32"}).value();
    b = txn->InternSeries({"gas", "CN-11"}).value();
    for (const auto& [series, detector, second, observed, alarm] : writes) {
      SignalRecord r{.series = *series,
                     .detector = detector,
                     .time = kDay1 + std::chrono::seconds(second),
                     .method = "threshold"};
      r.observed = observed;
      r.alarm = alarm;
      ASSERT_TRUE(txn->WriteSignal(r).ok());
    }
    if (commit) {
      ASSERT_TRUE(txn->Commit().ok());
    } else {
      txn->Rollback();
    }
  };
  write({{&a, 0, 0, 1, false}, {&a, 1, 0, 1, false}, {&b, 0, 0, 1, false}, {&b, 1, 0, 1, false}});
  write({{&a, 0, 2, 2, false}, {&a, 1, 2, 2, false}, {&b, 0, 2, 2, false}, {&b, 1, 2, 2, false}});
  EXPECT_EQ(SignalRows(file_), Rows(8, 0)) << "eight recent at commit: all move";
  EXPECT_EQ(Count("signals"), 0);
  EXPECT_EQ(Count("signal_series_blocks"), 4);
  EXPECT_EQ(Count("signal_series_blocks WHERE rows = 2 AND alarms = 0"), 4);

  // Two keys of one block rewritten in one transaction, one of them twice;
  // a key within the block's times that it does not hold goes to `signals`.
  write({{&a, 0, 0, 10, true}, {&a, 0, 2, 20, false}, {&a, 0, 0, 11, true}, {&a, 0, 1, 15, false}});
  write({{&b, 1, 2, 99, true}}, false);
  EXPECT_EQ(SignalRows(file_), Rows(9, 0));
  EXPECT_EQ(Count("signals"), 1);
  EXPECT_EQ(Count("signal_series_blocks WHERE alarms = 1"), 1);

  const std::vector<StoredSignal> of_a =
      store->ReadSignals({.series = a, .from = kDay1, .to = kDay2}).value();
  ASSERT_EQ(of_a.size(), 5u);
  std::vector<std::tuple<int, double, std::int64_t, bool>> seen;  // detector, observed, revisions
  for (const StoredSignal& s : of_a) {
    seen.emplace_back(s.signal.detector, *s.signal.observed, s.revisions, s.signal.alarm);
  }
  EXPECT_EQ(seen, (decltype(seen){{0, 11, 2, true},
                                  {1, 1, 0, false},
                                  {0, 15, 0, false},
                                  {0, 20, 1, false},
                                  {1, 2, 0, false}}));
  const std::vector<StoredSignal> alarms = store->ReadSignals({.alarms_only = true}).value();
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(alarms[0].signal.observed, 11);
  EXPECT_EQ(store->StatsByIndicator().value().at(0).signals, 9);
  EXPECT_EQ(store->StatsByIndicator().value().at(0).alarms, 1);
}

TEST_F(SqliteStoreTest, LimitedSignalReadsAcrossBlocksKeepTheOrderOfTheFullRead) {
  // Signals of four series and two detectors in many blocks of each series,
  // among the recent rows and in `signals` (late ones): a read with a limit
  // must return the first rows of the same read without one, whatever the
  // direction, filter and admission.
  auto store =
      OpenSqliteStore(file_, SqliteOptions{.signal_fold_rows = 9, .series_block_rows = 2}).value();
  std::vector<SeriesId> ids;
  const auto at = [](int step) { return kDay1 + std::chrono::seconds(10 * step); };
  for (int step = 0; step < 41; ++step) {
    auto txn = store->Begin({"b", kDay1}).value();
    if (ids.empty()) {
      for (const char* region : {"XA-01", "XA-02", "XA-03", "XA-04"}) {
        ids.push_back(txn->InternSeries({"gas", region}).value());
      }
    }
    for (int s = 0; s < 4; ++s) {
      for (int d = 0; d < 2; ++d) {
        if ((step + s + d) % 3 == 0) {
          continue;
        }
        SignalRecord r{.series = ids[s], .detector = d, .time = at(step), .method = "m"};
        r.observed = step;
        r.alarm = (step * 7 + s + d) % 4 == 0;
        ASSERT_TRUE(txn->WriteSignal(r).ok());
        if (step % 5 == 4 && s == 1) {
          r.time = at(step - 3) + std::chrono::seconds(1);
          ASSERT_TRUE(txn->WriteSignal(r).ok());
        }
      }
    }
    ASSERT_TRUE(txn->Commit().ok());
  }
  ASSERT_GT(Count("signal_series_blocks"), 20);
  ASSERT_GT(Count("signals"), 5);
  ASSERT_GT(TableRows(file_, "signals").second, 0);
  const auto key = [](const StoredSignal& s) {
    return std::tuple(s.signal.series, s.signal.detector, s.signal.time, *s.signal.observed);
  };
  for (const bool newest_first : {false, true}) {
    for (const bool alarms_only : {false, true}) {
      for (const bool window : {false, true}) {
        for (const bool admit : {false, true}) {
          SignalFilter f{.alarms_only = alarms_only, .newest_first = newest_first};
          if (window) {
            f.from = at(7);
            f.to = at(31);
          }
          if (admit) {
            f.admit = [](const SeriesKey& k) { return k.region != "XA-02"; };
          }
          const std::vector<StoredSignal> all = store->ReadSignals(f).value();
          ASSERT_GT(all.size(), 10u);
          for (std::size_t limit = 1; limit <= all.size() + 1; ++limit) {
            f.limit = static_cast<std::int64_t>(limit);
            const std::vector<StoredSignal> some = store->ReadSignals(f).value();
            ASSERT_EQ(some.size(), std::min(limit, all.size()))
                << newest_first << alarms_only << window << admit << " limit " << limit;
            for (std::size_t i = 0; i < some.size(); ++i) {
              ASSERT_EQ(key(some[i]), key(all[i]))
                  << newest_first << alarms_only << window << admit << " limit " << limit;
            }
          }
        }
      }
    }
  }
}

TEST_F(SqliteStoreTest, TwoStoresOnOneFileKeepOneRowPerSignal) {
  // Each store remembers which keys are recent; a commit by the other one
  // (which may add recent keys or move them all) must not make it write a
  // key twice.
  auto a = OpenSqliteStore(file_, SqliteOptions{.signal_fold_rows = 100}).value();
  auto b = OpenSqliteStore(file_, SqliteOptions{.signal_fold_rows = 2}).value();
  SeriesId id = 0;
  const auto write = [&](Store& store, int second, double observed) {
    auto txn = store.Begin({"b", kDay1}).value();
    id = txn->InternSeries({"gas", "CN-32"}).value();
    SignalRecord r{.series = id, .time = kDay1 + std::chrono::seconds(second)};
    r.observed = observed;
    ASSERT_TRUE(txn->WriteSignal(r).ok());
    ASSERT_TRUE(txn->Commit().ok());
  };
  write(*a, 0, 1);  // recent, known to a
  write(*b, 0, 2);  // b loads a's key: rewritten in the recent table
  write(*a, 0, 3);
  write(*b, 1, 4);  // two recent at b's commit: both move
  write(*a, 0, 5);  // a's key is no longer recent
  write(*a, 1, 6);
  const std::vector<StoredSignal> signals = a->ReadSignals({}).value();
  ASSERT_EQ(signals.size(), 2u);
  EXPECT_EQ(signals[0].signal.observed, 5);
  EXPECT_EQ(signals[0].revisions, 3);
  EXPECT_EQ(signals[1].signal.observed, 6);
  EXPECT_EQ(signals[1].revisions, 1);
  EXPECT_EQ(SignalRows(file_), Rows(2, 0));
}

TEST_F(SqliteStoreTest, TwoStoresOnOneFileKeepOneRowPerObservation) {
  auto a = OpenSqliteStore(file_, SqliteOptions{.observation_fold_rows = 100}).value();
  auto b = OpenSqliteStore(file_, SqliteOptions{.observation_fold_rows = 2}).value();
  const auto write = [&](Store& store, int second, double value) {
    auto txn = store.Begin({"b", kDay1}).value();
    const SeriesId id = txn->InternSeries({"gas", "CN-32"}).value();
    const AppendOutcome outcome =
        txn->Append({id, kDay1 + std::chrono::seconds(second), value, std::nullopt, "s"}).value();
    EXPECT_TRUE(txn->Commit().ok());
    return outcome;
  };
  using enum AppendOutcome;
  EXPECT_EQ(write(*a, 0, 1), kInserted);  // recent
  EXPECT_EQ(write(*b, 5, 2), kInserted);  // two recent at b's commit: both move
  EXPECT_EQ(write(*a, 5, 3), kRevised) << "a learns that a newer row is stored";
  EXPECT_EQ(write(*b, 6, 4), kInserted);  // recent, newer than anything a knows
  EXPECT_EQ(write(*a, 0, 5), kRevised) << "a learns that its row moved";
  EXPECT_EQ(write(*a, 6, 6), kRevised) << "a learns of b's recent row";
  EXPECT_EQ(write(*a, 7, 7), kInserted);
  EXPECT_EQ(TableRows(file_, "observations"), Rows(2, 2));
  EXPECT_EQ(a->Stats().value().observations, 4);
  EXPECT_EQ(a->Stats().value().revisions, 3);
}

TEST_F(SqliteStoreTest, RolledBackFoldLeavesEveryKeyInOnePlace) {
  auto store =
      OpenSqliteStore(file_, SqliteOptions{.signal_fold_rows = 2, .observation_fold_rows = 2})
          .value();
  SeriesId id = 0;
  const auto write = [&](int second, double value, bool commit) {
    auto txn = store->Begin({"b", kDay1}).value();
    id = txn->InternSeries({"gas", "CN-32"}).value();
    const Timestamp t = kDay1 + std::chrono::seconds(second);
    EXPECT_TRUE(txn->Append({id, t, value, std::nullopt, "s"}).ok());
    SignalRecord r{.series = id, .time = t};
    r.observed = value;
    EXPECT_TRUE(txn->WriteSignal(r).ok());
    if (commit) {
      EXPECT_TRUE(txn->Commit().ok());
    } else {
      txn->Rollback();
    }
  };
  write(0, 1, true);   // one recent row each
  write(1, 2, false);  // would have moved both: rolled back
  EXPECT_EQ(TableRows(file_, "observations"), Rows(0, 1));
  EXPECT_EQ(SignalRows(file_), Rows(0, 1));
  write(0, 3, true);  // still recent: rewritten there
  write(1, 4, true);  // two recent: both move
  EXPECT_EQ(TableRows(file_, "observations"), Rows(2, 0));
  EXPECT_EQ(SignalRows(file_), Rows(2, 0));
  const std::vector<StoredObservation> current =
      store->Read(id, kDay1, kDay2, std::nullopt).value();
  ASSERT_EQ(current.size(), 2u);
  EXPECT_EQ(current[0].value, 3);
  EXPECT_EQ(current[1].value, 4);
  const std::vector<StoredSignal> signals = store->ReadSignals({}).value();
  ASSERT_EQ(signals.size(), 2u);
  EXPECT_EQ(signals[0].signal.observed, 3);
  EXPECT_EQ(signals[0].revisions, 1);
}

TEST_F(SqliteStoreTest, TruncatedStreamJournalRowIsCorruption) {
  ASSERT_NE(Open(), nullptr);
  Exec("INSERT INTO stream_journal (samples) VALUES (zeroblob(32)), (zeroblob(33))");
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const Result<Checkpoints> loaded = store->LoadCheckpoints();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(loaded.status().message(), "stream_journal: a row of 33 bytes, not a multiple of 32");
}

TEST_F(SqliteStoreTest, RefusesFileWithNewerSchema) {
  ASSERT_NE(Open(), nullptr);
  Exec("PRAGMA user_version = 99");
  auto store = OpenSqliteStore(file_, SqliteOptions{});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  const std::string expected =
      file_.string() + " has schema version 99 but this vigil understands up to " +
      std::to_string(sqlite::StoreMigrations().back().version) + "; upgrade vigil";
  EXPECT_EQ(store.status().message(), expected);
}

TEST_F(SqliteStoreTest, FileThatIsNotADatabaseIsRefused) {
  std::ofstream(file_) << "indicator,region,time,value\ncases,CN-32,2024-W09,3\n";
  auto store = OpenSqliteStore(file_, SqliteOptions{});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find(file_.string()), std::string::npos)
      << store.status().ToString();
}

TEST_F(SqliteStoreTest, SecondWriterWaitsThenReportsUnavailable) {
  SqliteOptions quick;
  quick.busy_timeout = std::chrono::milliseconds(50);
  auto first = OpenSqliteStore(file_, quick);
  auto second = OpenSqliteStore(file_, quick);
  ASSERT_TRUE(first.ok() && second.ok());
  auto writing = (*first)->Begin({"a", kDay1});
  ASSERT_TRUE(writing.ok());
  auto blocked = (*second)->Begin({"b", kDay1});
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), StatusCode::kUnavailable);
  (*writing)->Rollback();
  EXPECT_TRUE((*second)->Begin({"b", kDay1}).ok());
}

TEST_F(SqliteStoreTest, RejectsNonPositiveCache) {
  SqliteOptions options;
  options.cache_kib = 0;
  auto store = OpenSqliteStore(file_, options);
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, FullSynchronousStoreWorks) {
  SqliteOptions options;
  options.synchronous = SqliteSync::kFull;
  auto store = OpenSqliteStore(file_, options);
  ASSERT_TRUE(store.ok());
  auto txn = (*store)->Begin({"a", kDay1});
  ASSERT_TRUE(txn.ok());
  const SeriesId id = *(*txn)->InternSeries({"cases", "CN-32"});
  ASSERT_TRUE((*txn)->Append({id, kWeek1, 1, std::nullopt, ""}).ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  auto stats = (*store)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->observations, 1);
}

}  // namespace
}  // namespace vigil
