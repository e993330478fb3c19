#include "sqlite/migrations.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::sqlite {
namespace {

const Migration kCreate{1, "create", "CREATE TABLE notes (text TEXT NOT NULL)"};
const Migration kInsert{2, "insert", "INSERT INTO notes VALUES ('once')"};
const Migration kBroken{3, "broken", "INSERT INTO missing_table VALUES (1)"};

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
  }

  std::int64_t Version() { return *db_.QueryInt64("PRAGMA user_version"); }
  std::int64_t Count(const std::string& table) {
    auto count = db_.QueryInt64("SELECT count(*) FROM " + table);
    return count.ok() ? *count : -1;
  }

  Database db_;
};

TEST_F(MigrateTest, AppliesEveryMigrationInOrder) {
  const std::vector<Migration> migrations{kCreate, kInsert};
  auto applied = Migrate(db_, migrations, "test.db");
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, 2);
  EXPECT_EQ(Version(), 2);
  EXPECT_EQ(Count("notes"), 1);
}

TEST_F(MigrateTest, CurrentFileAppliesNothing) {
  const std::vector<Migration> migrations{kCreate, kInsert};
  ASSERT_TRUE(Migrate(db_, migrations, "test.db").ok());
  auto again = Migrate(db_, migrations, "test.db");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(Count("notes"), 1);
}

TEST_F(MigrateTest, AppliesOnlyMigrationsNewerThanTheFile) {
  ASSERT_TRUE(Migrate(db_, std::vector<Migration>{kCreate}, "test.db").ok());
  auto applied = Migrate(db_, std::vector<Migration>{kCreate, kInsert}, "test.db");
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, 1);
  EXPECT_EQ(Version(), 2);
}

TEST_F(MigrateTest, RefusesFileNewerThanTheMigrations) {
  ASSERT_TRUE(Migrate(db_, std::vector<Migration>{kCreate, kInsert}, "test.db").ok());
  auto older = Migrate(db_, std::vector<Migration>{kCreate}, "vigil.db");
  ASSERT_FALSE(older.ok());
  EXPECT_EQ(older.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(older.status().message(),
            "vigil.db has schema version 2 but this vigil understands up to 1; upgrade vigil");
}

TEST_F(MigrateTest, FailingMigrationRollsBackEveryMigrationOfTheCall) {
  auto applied = Migrate(db_, std::vector<Migration>{kCreate, kInsert, kBroken}, "test.db");
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.status().message().find("applying migration 3 (broken)"), std::string::npos)
      << applied.status().ToString();
  EXPECT_EQ(Version(), 0);
  EXPECT_EQ(Count("sqlite_master WHERE name = 'notes'"), 0);
}

TEST(StoreMigrationsTest, AreNumberedFromOneWithoutGaps) {
  int expected = 1;
  for (const Migration& migration : StoreMigrations()) {
    EXPECT_EQ(migration.version, expected++) << migration.name;
  }
  EXPECT_GT(expected, 1);
}

}  // namespace
}  // namespace vigil::sqlite
