#include "sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <fstream>

#include "sqlite/migrations.h"
#include "store/store_conformance.h"

namespace vigil {
namespace {

using std::chrono::days;

Result<std::unique_ptr<Store>> OpenInDir(const std::filesystem::path& dir) {
  return OpenSqliteStore(dir / "vigil.db", SqliteOptions{});
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"sqlite", OpenInDir}), StoreFactoryName);

const Timestamp kWeek1 = Timestamp{} + days(19'786);
const Timestamp kDay1 = kWeek1 + days(3);
const Timestamp kDay2 = kDay1 + days(1);

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

  // Runs one statement on the file with a plain SQLite connection.
  void Exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  std::filesystem::path dir_;
  std::filesystem::path file_;
};

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

TEST_F(SqliteStoreTest, RefusesFileWithNewerSchema) {
  ASSERT_NE(Open(), nullptr);
  Exec("PRAGMA user_version = 7");
  auto store = OpenSqliteStore(file_, SqliteOptions{});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  const std::string expected =
      file_.string() + " has schema version 7 but this vigil understands up to " +
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
