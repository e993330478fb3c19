#include "sqlite/row_blocks.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

namespace vigil::sqlite {
namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

std::vector<ObservationRow> Observations() {
  return {
      {7, 1'767'225'600'000'000'000, 0.25, std::nullopt, 1, 1'767'225'700'000'000'000, 12, 0},
      {3, 1'767'225'600'000'000'000, -1e300, 2.5, 2, 1'767'225'700'000'000'000, 12, 3},
      {kMax, kMin, 0, 0.0, kMax, kMin, kMax, kMax},
      {1, kMax, -0.0, -7, 0, kMax, 1, 0},
  };
}

std::vector<SignalRow> Signals() {
  SignalRow full{.series = 9,
                 .detector = 2,
                 .time = 1'767'225'600'000'000'000,
                 .method_id = 4,
                 .observed = 1,
                 .expected = 0.5,
                 .upperbound = 0.9,
                 .score = 3.25,
                 .alarm = true,
                 .level = 3,
                 .baseline_from = -52,
                 .baseline_to = 7,
                 .note = "",
                 .batch_id = 40,
                 .revisions = 2};
  SignalRow bare{.series = 2, .time = kMin, .method_id = kMax, .note = "too few values: 3 of 4"};
  SignalRow extreme = full;
  extreme.series = kMin;
  extreme.detector = kMax;
  extreme.baseline_from = kMin;
  extreme.baseline_to = kMax;
  extreme.observed.reset();
  extreme.note = std::string(300, 'x');
  return {full, bare, extreme};
}

template <class Row>
std::vector<Row> RoundTrip(const std::vector<Row>& rows, std::optional<std::int64_t> series) {
  std::vector<std::byte> block;
  PackRows(std::span<const Row>(rows), block);
  std::vector<Row> out;
  const Status status = UnpackRows(block, series, out);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out;
}

// Blocks hold their rows in key order.
template <class Row>
std::vector<Row> Sorted(std::vector<Row> rows) {
  std::ranges::sort(rows, {}, [](const Row& r) { return std::tuple(r.series, r.time); });
  return rows;
}

TEST(RowBlocksTest, ObservationsRoundTripWithEveryFieldAtItsLimits) {
  const std::vector<ObservationRow> rows = Observations();
  EXPECT_EQ(RoundTrip(rows, std::nullopt), Sorted(rows));
  EXPECT_EQ(RoundTrip(rows, 3), std::vector<ObservationRow>{rows[1]});
  EXPECT_TRUE(RoundTrip(rows, 5).empty());
  EXPECT_TRUE(RoundTrip(std::vector<ObservationRow>{}, std::nullopt).empty());
}

TEST(RowBlocksTest, SignalsRoundTripWithEveryFieldAtItsLimits) {
  const std::vector<SignalRow> rows = Signals();
  EXPECT_EQ(RoundTrip(rows, std::nullopt), Sorted(rows));
  EXPECT_EQ(RoundTrip(rows, 2), std::vector<SignalRow>{rows[1]});
}

TEST(RowBlocksTest, RowsOfOneBatchTakeAFewBytesBesideTheirValues) {
  std::vector<ObservationRow> rows;
  for (std::int64_t s = 1; s <= 1000; ++s) {
    rows.push_back(
        {s, 1'767'225'600'000'000'000, 0.5, std::nullopt, 1, 1'767'225'700'000'000'000, 300, 0});
  }
  std::vector<std::byte> block;
  PackRows(std::span<const ObservationRow>(rows), block);
  // The value's 8 bytes, then a byte each for flags, series, time, source,
  // arrived, batch and version; the first row of each of the 32 strides pays
  // for the full numbers, and has a directory entry of 12 bytes.
  EXPECT_LT(block.size(), 1000u * 15 + 32 * (24 + 12) + 8);
}

TEST(RowBlocksTest, ASeriesIsReadFromItsStridesAlone) {
  // 40 series of 25 rows, written in time order: 1,000 rows, 32 strides.
  std::vector<ObservationRow> rows;
  for (std::int64_t t = 0; t < 25; ++t) {
    for (std::int64_t s = 40; s >= 1; --s) {
      rows.push_back({s * 3, t * 10, static_cast<double>(s * 100 + t), std::nullopt, 1, 5, 9, 0});
    }
  }
  std::vector<std::byte> block;
  PackRows(std::span<const ObservationRow>(rows), block);
  for (std::int64_t s = 1; s <= 40; ++s) {
    std::vector<ObservationRow> of_series;
    ASSERT_TRUE(UnpackRows(block, s * 3, of_series).ok());
    ASSERT_EQ(of_series.size(), 25u) << s;
    for (std::int64_t t = 0; t < 25; ++t) {
      EXPECT_EQ(of_series[t].time, t * 10);
      EXPECT_EQ(of_series[t].value, static_cast<double>(s * 100 + t));
    }
    std::vector<ObservationRow> none;
    ASSERT_TRUE(UnpackRows(block, s * 3 + 1, none).ok());
    EXPECT_TRUE(none.empty());
  }
  std::vector<ObservationRow> all;
  ASSERT_TRUE(UnpackRows(block, std::nullopt, all).ok());
  EXPECT_EQ(all, Sorted(rows));
}

TEST(RowBlocksTest, MalformedBlocksAreCorruptionNamingTheByte) {
  std::vector<std::byte> block;
  PackRows(std::span<const ObservationRow>(Observations()), block);
  std::vector<std::vector<std::byte>> bad = {
      {},
      {std::byte{2}, std::byte{0}},                            // another format
      {std::byte{1}, std::byte{5}},                            // five rows promised, none there
      {std::byte{1}, std::byte{0}, std::byte{0}},              // a byte after the last row
      std::vector<std::byte>(block.begin(), block.end() - 1),  // truncated
      {std::byte{1}, std::byte{0x80}, std::byte{0}},           // zero rows, overlong
  };
  bad.push_back(block);
  bad.back()[2] = std::byte{0x80};  // the first row's flags: one no row has
  std::vector<std::byte> moved = block;
  moved[moved.size() - 4] = std::byte{3};  // the directory's offset of row 0
  bad.push_back(moved);
  std::vector<std::byte> huge_count = {std::byte{1}};
  for (int i = 0; i < 9; ++i) {
    huge_count.push_back(std::byte{0xff});
  }
  huge_count.push_back(std::byte{0x01});
  bad.push_back(huge_count);
  for (const std::vector<std::byte>& bytes : bad) {
    std::vector<ObservationRow> observations;
    const Status status = UnpackRows(bytes, std::nullopt, observations);
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << bytes.size();
    std::vector<SignalRow> signals;
    EXPECT_EQ(UnpackRows(bytes, std::nullopt, signals).code(), StatusCode::kCorruption);
  }
  std::vector<ObservationRow> rows;
  // Cut short, the directory is read a byte early and names the wrong offset.
  EXPECT_EQ(UnpackRows(bad[4], std::nullopt, rows).message(),
            "a block of " + std::to_string(bad[4].size()) + " bytes is malformed at byte 2");
  EXPECT_EQ(UnpackRows(moved, std::nullopt, rows).message(),
            "a block of " + std::to_string(block.size()) + " bytes is malformed at byte 2");
  EXPECT_EQ(UnpackRows(bad[1], std::nullopt, rows).message(), "a block has format 2, not 1");
}

// The table-valued functions on a plain connection.
class BlockFunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    ASSERT_TRUE(RegisterBlockFunctions(db_).ok());
    ASSERT_EQ(sqlite3_exec(db_,
                           "CREATE TABLE recent_observation_blocks (seq INTEGER PRIMARY KEY,"
                           " block BLOB); CREATE TABLE recent_signal_blocks"
                           " (seq INTEGER PRIMARY KEY, block BLOB)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  void TearDown() override { sqlite3_close(db_); }

  void Insert(const char* table, const std::vector<std::byte>& block) {
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = std::string("INSERT INTO ") + table + " (block) VALUES (?1)";
    ASSERT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    sqlite3_bind_blob(stmt, 1, block.data(), static_cast<int>(block.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
  }

  // The rows of `sql` as text, columns joined by spaces; an error's message.
  std::vector<std::string> Query(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      return {std::string("prepare: ") + sqlite3_errmsg(db_)};
    }
    std::vector<std::string> rows;
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* text = sqlite3_column_text(stmt, c);
        row += (c ? " " : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      rows.push_back(row);
    }
    if (rc != SQLITE_DONE) {
      rows.push_back(std::string("error: ") + sqlite3_errmsg(db_));
    }
    sqlite3_finalize(stmt);
    return rows;
  }

  sqlite3* db_ = nullptr;
};

constexpr const char* kObservations = "recent_observation_blocks";

TEST_F(BlockFunctionsTest, ObservationRowsAreReadByTheirColumnsAndFilteredBySeries) {
  std::vector<std::byte> block;
  const std::vector<ObservationRow> rows = {{1, 10, 0.5, std::nullopt, 3, 20, 4, 0},
                                            {2, 10, 1.5, 2.0, 3, 20, 4, 1},
                                            {1, 11, 2.5, std::nullopt, 3, 20, 4, 0}};
  PackRows(std::span<const ObservationRow>(rows), block);
  Insert(kObservations, block);
  Insert(kObservations, block);
  EXPECT_EQ(Query("SELECT o.series_id, o.time, o.value, o.denominator, o.version"
                  " FROM recent_observation_blocks b, observation_block(b.seq) o"
                  " WHERE o.series_id = 2"),
            (std::vector<std::string>{"2 10 1.5 2.0 1", "2 10 1.5 2.0 1"}));
  EXPECT_EQ(Query("SELECT count(*), sum(o.value)"
                  " FROM recent_observation_blocks b, observation_block(b.seq) o"
                  " WHERE o.series_id = '1' AND o.time > 10"),
            (std::vector<std::string>{"2 5.0"}));
  EXPECT_EQ(Query("SELECT source_id, arrived, batch_id FROM observation_block(NULL)"),
            std::vector<std::string>{});
}

TEST_F(BlockFunctionsTest, OneSeriesOfALargeBlockIsFoundThroughItsDirectory) {
  std::vector<ObservationRow> rows;
  for (std::int64_t s = 1; s <= 100; ++s) {
    for (std::int64_t t = 0; t < 10; ++t) {
      rows.push_back({s, t, static_cast<double>(s), std::nullopt, 1, 2, 3, 0});
    }
  }
  std::vector<std::byte> block;
  PackRows(std::span<const ObservationRow>(rows), block);
  Insert(kObservations, block);
  for (const char* series : {"1", "57", "100"}) {
    EXPECT_EQ(Query(("SELECT count(*), min(o.value), max(o.value), min(o.time), max(o.time)"
                     " FROM observation_block(1) o WHERE o.series_id = " +
                     std::string(series))
                        .c_str()),
              std::vector<std::string>{fmt::format("10 {0}.0 {0}.0 0 9", series)});
  }
  EXPECT_EQ(Query("SELECT count(*) FROM observation_block(1) o WHERE o.series_id = 101"),
            std::vector<std::string>{"0"});
  EXPECT_EQ(Query("SELECT count(DISTINCT series_id), count(*) FROM observation_block(1)"),
            std::vector<std::string>{"100 1000"});
}

TEST_F(BlockFunctionsTest, SignalRowsAreReadByTheirColumns) {
  std::vector<std::byte> block;
  PackRows(std::span<const SignalRow>(Signals()), block);
  Insert("recent_signal_blocks", block);
  EXPECT_EQ(Query("SELECT g.detector, g.method_id, g.observed, g.alarm, g.level, g.baseline_from,"
                  " g.note, g.batch_id, g.revisions"
                  " FROM recent_signal_blocks b, signal_block(b.seq) g WHERE g.series_id = 9"),
            (std::vector<std::string>{"2 4 1.0 1 3 -52  40 2"}));
  EXPECT_EQ(Query("SELECT g.observed, g.expected, g.upperbound, g.score, g.alarm, g.baseline_to,"
                  " g.note FROM recent_signal_blocks b, signal_block(b.seq) g"
                  " WHERE g.series_id = 2"),
            (std::vector<std::string>{"NULL NULL NULL NULL 0 NULL too few values: 3 of 4"}));
}

TEST_F(BlockFunctionsTest, AMalformedOrMissingBlockFailsTheQuery) {
  Insert(kObservations, {std::byte{1}, std::byte{3}});
  EXPECT_EQ(Query("SELECT count(*) FROM recent_observation_blocks b, observation_block(b.seq)"),
            std::vector<std::string>{
                "error: recent_observation_blocks 1: a block of 2 bytes is malformed at "
                "byte 2"});
  EXPECT_EQ(sqlite3_extended_errcode(db_), SQLITE_CORRUPT);
  EXPECT_EQ(Query("SELECT count(*) FROM observation_block(7)"),
            std::vector<std::string>{"error: recent_observation_blocks 7: no such rowid: 7"});
  EXPECT_EQ(Query("SELECT * FROM observation_block"),
            std::vector<std::string>{"prepare: no query solution"});
}

}  // namespace
}  // namespace vigil::sqlite
