// End-to-end: the real `vigil nab` on a small corpus written by the test.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "nab/nab_testing.h"

namespace vigil::nab {
namespace {

struct CommandRun {
  int exit_code = -1;
  std::string out;
};

// Runs `vigil ARGS` from `cwd`, capturing stdout and stderr.
CommandRun Vigil(const std::filesystem::path& cwd, const std::string& args) {
  const std::string command = "cd '" + cwd.string() + "' && '" VIGIL_BIN "' " + args + " 2>&1";
  CommandRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return run;
  }
  char buffer[4096];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) {
    run.out += buffer;
  }
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

int Lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  int lines = 0;
  for (std::string line; std::getline(in, line);) {
    ++lines;
  }
  return lines;
}

TEST(NabCli, WritesResultsAndPrintsScores) {
  const std::filesystem::path root = testing::WriteTinyCorpus("vigil_nab_cli");
  const CommandRun run = Vigil(root, "nab --corpus . --out results");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const std::filesystem::path csv = root / "results/anomaly/catB/anomaly_two.csv";
  ASSERT_TRUE(std::filesystem::exists(csv));
  std::ifstream in(csv);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "timestamp,value,anomaly_score");
  EXPECT_EQ(Lines(csv), 601);
  EXPECT_NE(run.out.find("reward_low_FN_rate"), std::string::npos);
  EXPECT_NE(run.out.find("Windowed Gaussian"), std::string::npos);
}

TEST(NabCli, DetectsTheSpikesOfTheTinyCorpus) {
  const std::filesystem::path root = testing::WriteTinyCorpus("vigil_nab_cli_json");
  const CommandRun run = Vigil(root, "nab --corpus . --out results --json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  // Both windows detected, no false alarm at the optimised threshold.
  EXPECT_NE(run.out.find("\"windows_detected\": 2"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"fp\": 0"), std::string::npos) << run.out;
}

TEST(NabCli, UnknownParameterIsRejected) {
  const std::filesystem::path root = testing::WriteTinyCorpus("vigil_nab_cli_param");
  const CommandRun run = Vigil(root, "nab --corpus . --out results --param nope=1");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.out.find("nope"), std::string::npos) << run.out;
}

TEST(NabCli, MissingCorpusIsAnIoError) {
  const CommandRun run =
      Vigil(std::filesystem::temp_directory_path(), "nab --corpus no-such-corpus --out results");
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_NE(run.out.find("no-such-corpus/config/profiles.json"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace vigil::nab
