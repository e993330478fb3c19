// End-to-end tests of `vigil ingest`: the real binary (VIGIL_BIN) on a
// workspace written here, its exit codes and output, and what the store holds
// afterwards, including after a kill -9 in the middle of a large ingest.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/time.h"
#include "e2e_testing.h"
#include "sqlite/sqlite_store.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using e2e::ReadFile;
using e2e::RunResult;
using e2e::WriteFile;

// Enough regions that the 2,000,000-line file spans 5,000 weeks, which ends in
// 2165, inside the range of nanosecond timestamps (to 2262).
constexpr int kRegions = 400;

// A workspace with one weekly count indicator over regions XA-001..XA-400 and
// one file source, data/cases.csv.
std::string Catalogue() {
  std::string yaml = R"(workspace:
  name: Test province
domains:
  - id: health
    name: Public health
regions:
  - code: XA
    name: Test province
)";
  for (int i = 1; i <= kRegions; ++i) {
    yaml += fmt::format("  - code: XA-{0:03}\n    name: District {0}\n    parent: XA\n", i);
  }
  yaml += R"(indicators:
  - id: salmonella-cases
    name: Salmonella cases
    domain: health
    unit: cases
    frequency: weekly
    direction: higher-is-worse
    value_kind: count
sources:
  - id: weekly-cases
    kind: file
    path: data/cases.csv
)";
  return yaml;
}

// `count` lines with distinct (region, week) keys, starting at week `first`.
std::string CasesCsv(int count, int value = 7, int first = 0) {
  std::string text = "indicator,region,time,value\n";
  for (int i = first; i < first + count; ++i) {
    const Timestamp week = PeriodStart(100 * 52 + i / kRegions, Frequency::kWeekly);
    fmt::format_to(std::back_inserter(text), "salmonella-cases,XA-{:03},{},{}\n", i % kRegions + 1,
                   FormatEventTime(week, Frequency::kWeekly), value);
  }
  return text;
}

class IngestE2eTest : public e2e::VigilTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(VigilTest::SetUp());
    WriteFile(root_ / "workspace.yaml", Catalogue());
  }

  // Runs `vigil -w ROOT ARGS` in ROOT, with stdin from `input`.
  RunResult Vigil(const std::string& args, const std::string& input = "/dev/null") {
    return Run(root_, args, input);
  }

  StoreStats Stats() {
    std::unique_ptr<Store> store = OpenSqliteStore((root_ / "vigil.db").string(), {}).value();
    return store->Stats().value();
  }
};

TEST_F(IngestE2eTest, IngestsAFileAndReingestingChangesNothing) {
  WriteFile(root_ / "cases.csv", CasesCsv(3));
  const RunResult first = Vigil("ingest cases.csv");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("committed batch 1: lines 2-4, 3 inserted, 0 revised, 0 unchanged"),
            std::string::npos)
      << first.out;
  const RunResult again = Vigil("ingest cases.csv");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 inserted, 0 revised, 3 unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(Stats().observations, 3);
  EXPECT_EQ(Stats().revisions, 0);
}

TEST_F(IngestE2eTest, ChangedValueIsARevision) {
  WriteFile(root_ / "cases.csv", CasesCsv(3));
  ASSERT_EQ(Vigil("ingest cases.csv").exit_code, 0);
  WriteFile(root_ / "cases.csv", CasesCsv(1, 9));
  const RunResult revised = Vigil("ingest cases.csv");
  ASSERT_EQ(revised.exit_code, 0) << revised.err;
  EXPECT_NE(revised.out.find("0 inserted, 1 revised, 0 unchanged"), std::string::npos);
  EXPECT_EQ(Stats().revisions, 1);
}

TEST_F(IngestE2eTest, InvalidLineExitsThreeAndCommitsNothing) {
  WriteFile(
      root_ / "cases.csv",
      CasesCsv(3) + "salmonella-cases,XA-001,2024-03-01,2\nsalmonella-cases,XA-002,2024-W09,x\n");
  const RunResult run = Vigil("ingest cases.csv");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("cases.csv:5: time: '2024-03-01' is not an ISO week like 2024-W09 "
                         "(indicator salmonella-cases is weekly)"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("cases.csv:6: value: 'x' is not a number"), std::string::npos);
  EXPECT_NE(run.err.find("error: cases.csv: 2 invalid records; nothing was committed"),
            std::string::npos);
  EXPECT_EQ(Stats().observations, 0);
}

TEST_F(IngestE2eTest, RejectFileGetsInvalidLinesAndExitIsFive) {
  WriteFile(root_ / "cases.csv", CasesCsv(2) + "salmonella-cases,XB,2024-W09,1\n");
  const fs::path rejects = root_ / "rejects.csv";
  const RunResult run = Vigil("ingest cases.csv --reject " + rejects.string());
  EXPECT_EQ(run.exit_code, 5) << run.err;
  EXPECT_EQ(ReadFile(rejects),
            "indicator,region,time,value,reject_reason\n"
            "salmonella-cases,XB,2024-W09,1,cases.csv:4: region: 'XB' is not in the catalogue\n");
  EXPECT_EQ(Stats().observations, 2);
}

TEST_F(IngestE2eTest, WithoutFileIngestsTheCatalogueSources) {
  WriteFile(root_ / "data" / "cases.csv", CasesCsv(5));
  const RunResult run = Vigil("ingest");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("data/cases.csv: 5 records read, 5 inserted"), std::string::npos)
      << run.out;
}

TEST_F(IngestE2eTest, ReadsJsonLinesFromStdin) {
  WriteFile(root_ / "in.jsonl",
            "{\"indicator\":\"salmonella-cases\",\"region\":\"XA\",\"time\":\"2024-W09\","
            "\"value\":3}\n");
  const RunResult run = Vigil("ingest -", (root_ / "in.jsonl").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("stdin: 1 records read, 1 inserted"), std::string::npos) << run.out;
}

TEST_F(IngestE2eTest, MissingFileExitsFour) {
  const RunResult run = Vigil("ingest nowhere.csv");
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_NE(run.err.find("nowhere.csv: cannot open"), std::string::npos) << run.err;
}

TEST_F(IngestE2eTest, UnknownFormatExitsTwo) {
  WriteFile(root_ / "cases.csv", CasesCsv(1));
  EXPECT_EQ(Vigil("ingest --format xml cases.csv").exit_code, 2);
}

TEST_F(IngestE2eTest, BadHeaderExitsThree) {
  WriteFile(root_ / "cases.csv", "indicator,region,week,value\n");
  const RunResult run = Vigil("ingest cases.csv");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("cases.csv:1: header: unknown column 'week'"), std::string::npos);
}

// Starts `vigil ingest` with stdout on a pipe, reads until `batches` commits
// are reported, kills it with SIGKILL, and returns the reported lines.
std::vector<std::string> IngestAndKill(const std::string& bin, const fs::path& dir,
                                       const fs::path& file, int batch_size, int batches) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    const std::string size = std::to_string(batch_size);
    ::execl(bin.c_str(), bin.c_str(), "-w", dir.c_str(), "ingest", "--batch-size", size.c_str(),
            file.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  std::FILE* out = ::fdopen(fds[0], "r");
  std::vector<std::string> reported;
  char line[512];
  while (static_cast<int>(reported.size()) < batches && std::fgets(line, sizeof line, out)) {
    if (std::string_view(line).starts_with("committed batch")) {
      reported.emplace_back(line);
    }
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::fclose(out);
  EXPECT_TRUE(WIFSIGNALED(status)) << "the ingest ended before it was killed";
  return reported;
}

TEST_F(IngestE2eTest, KillDuringIngestLosesNoReportedBatchAndLeavesNoHalfBatch) {
  constexpr int kLines = 2'000'000;
  constexpr int kBatch = 50'000;
  WriteFile(root_ / "big.csv", CasesCsv(kLines));
  const std::vector<std::string> reported =
      IngestAndKill(bin_, root_, root_ / "big.csv", kBatch, 3);
  ASSERT_EQ(reported.size(), 3u);
  for (std::size_t i = 0; i < reported.size(); ++i) {
    EXPECT_EQ(reported[i], fmt::format("committed batch {}: lines {}-{}, {} inserted, 0 revised, "
                                       "0 unchanged\n",
                                       i + 1, 2 + i * kBatch, 1 + (i + 1) * kBatch, kBatch));
  }
  std::unique_ptr<Store> store = OpenSqliteStore((root_ / "vigil.db").string(), {}).value();
  const std::vector<BatchRecord> batches = store->Batches().value();
  // Batches may have been committed after the last one read, but only whole ones.
  ASSERT_GE(batches.size(), reported.size());
  ASSERT_LT(batches.size(), static_cast<std::size_t>(kLines / kBatch));
  for (const BatchRecord& batch : batches) {
    EXPECT_EQ(batch.inserted, kBatch);
  }
  EXPECT_EQ(store->Stats().value().observations,
            static_cast<std::int64_t>(batches.size()) * kBatch);
}

}  // namespace
}  // namespace vigil
