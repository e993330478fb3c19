// A writer killed with SIGKILL mid-batch loses that batch and nothing else.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sqlite/sqlite_store.h"

namespace vigil {
namespace {

using std::chrono::days;

constexpr int kSeries = 200;
constexpr int kWeeksInA = 10;
const Timestamp kWeek1 = Timestamp{} + days(19'786);
const Timestamp kArrivedA = kWeek1 + days(70);
const Timestamp kArrivedB = kArrivedA + days(7);

Timestamp Week(int week) { return kWeek1 + days(7 * week); }
SeriesKey Key(int series) { return {"cases", "R" + std::to_string(series)}; }
double ValueA(int series, int week) { return series * 100 + week; }

// Child process: commit batch A, then write a large batch B (new series,
// revisions of A, new weeks) with a small cache so that B's pages spill to the
// write-ahead log, and die before committing it. Exit codes report failures.
[[noreturn]] void WriteAndDie(const std::filesystem::path& file) {
  SqliteOptions options;
  options.cache_kib = 256;
  auto store = OpenSqliteStore(file, options);
  if (!store.ok()) {
    _exit(2);
  }
  auto a = (*store)->Begin({"a.csv", kArrivedA});
  for (int s = 0; a.ok() && s < kSeries; ++s) {
    auto id = (*a)->InternSeries(Key(s));
    for (int w = 0; id.ok() && w < kWeeksInA; ++w) {
      if (!(*a)->Append({*id, Week(w), ValueA(s, w), std::nullopt, "a"}).ok()) {
        _exit(3);
      }
    }
  }
  if (!a.ok() || !(*a)->Commit().ok()) {
    _exit(4);
  }
  auto b = (*store)->Begin({"b.csv", kArrivedB});
  for (int s = 0; b.ok() && s < 5 * kSeries; ++s) {
    auto id = (*b)->InternSeries(Key(s));
    for (int w = 0; id.ok() && w < 100; ++w) {
      if (!(*b)->Append({*id, Week(w), -1.0 - w, std::nullopt, "b"}).ok()) {
        _exit(5);
      }
    }
  }
  kill(getpid(), SIGKILL);
  _exit(6);
}

TEST(SqliteCrashTest, KilledWriterKeepsCommittedBatchAndNothingOfTheOpenOne) {
  std::string pattern = ::testing::TempDir() + "vigil-crash-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const std::filesystem::path dir = pattern;
  const std::filesystem::path file = dir / "vigil.db";

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    WriteAndDie(file);
  }
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wait_status)) << "child exited with " << WEXITSTATUS(wait_status);
  ASSERT_EQ(WTERMSIG(wait_status), SIGKILL);

  auto store = OpenSqliteStore(file, SqliteOptions{});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto stats = (*store)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->series, kSeries);
  EXPECT_EQ(stats->observations, kSeries * kWeeksInA);
  EXPECT_EQ(stats->revisions, 0);
  EXPECT_EQ(stats->batches, 1);
  for (int s = 0; s < kSeries; ++s) {
    auto id = (*store)->FindSeries(Key(s));
    ASSERT_TRUE(id.ok() && id->has_value());
    auto read = (*store)->Read(**id, Week(0), Week(100), std::nullopt);
    ASSERT_TRUE(read.ok());
    ASSERT_EQ(read->size(), static_cast<size_t>(kWeeksInA));
    for (int w = 0; w < kWeeksInA; ++w) {
      ASSERT_EQ((*read)[w].value, ValueA(s, w)) << "series " << s << " week " << w;
      ASSERT_EQ((*read)[w].arrived, kArrivedA);
    }
  }
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil
