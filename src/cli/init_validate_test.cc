// End-to-end: runs the real `vigil` binary (path compiled in as VIGIL_BIN).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

struct Outcome {
  int exit_code = -1;
  std::string out;  // stdout and stderr
};

Outcome Vigil(const std::string& args) {
  Outcome run;
  const std::string command = std::string(VIGIL_BIN) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return run;
  }
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    run.out.append(buffer, n);
  }
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

class InitValidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil_e2e_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(InitValidateTest, InitOutputValidates) {
  Outcome init = Vigil("init " + dir_.string());
  ASSERT_EQ(init.exit_code, 0) << init.out;
  Outcome validate = Vigil("validate " + dir_.string());
  EXPECT_EQ(validate.exit_code, 0) << validate.out;
  EXPECT_EQ(validate.out, "ok: 2 domains, 3 regions, 2 indicators, 2 policies, 1 sources\n");
}

TEST_F(InitValidateTest, ValidateDefaultsToGlobalWorkspace) {
  ASSERT_EQ(Vigil("init " + dir_.string()).exit_code, 0);
  EXPECT_EQ(Vigil("--workspace " + dir_.string() + " validate").exit_code, 0);
}

TEST_F(InitValidateTest, InitRefusesToOverwriteUnlessForced) {
  ASSERT_EQ(Vigil("init " + dir_.string()).exit_code, 0);
  Outcome again = Vigil("init " + dir_.string());
  EXPECT_EQ(again.exit_code, 3);
  EXPECT_NE(again.out.find("already exists; use --force"), std::string::npos) << again.out;
  EXPECT_EQ(Vigil("init --force " + dir_.string()).exit_code, 0);
}

TEST_F(InitValidateTest, ValidateListsEveryProblemAndExits3) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "workspace.yaml") << "domains:\n  - id: health\n"
                                            "indicators:\n  - id: cases\n    domain: health\n"
                                            "    frequency: weekley\n  - id: deaths\n"
                                            "    domain: helth\n    frequency: weekly\n";
  Outcome validate = Vigil("validate " + dir_.string());
  EXPECT_EQ(validate.exit_code, 3);
  const std::string file = (dir_ / "workspace.yaml").string();
  EXPECT_NE(validate.out.find(file + ":6:16: indicators[0].frequency: unknown frequency 'weekley'"),
            std::string::npos)
      << validate.out;
  EXPECT_NE(validate.out.find(file + ":8:13: indicators[1].domain: unknown domain 'helth'"),
            std::string::npos)
      << validate.out;
  EXPECT_NE(validate.out.find("error: 2 problems found"), std::string::npos) << validate.out;
}

TEST_F(InitValidateTest, ValidateMissingWorkspaceIsAnIoError) {
  Outcome validate = Vigil("validate " + dir_.string());
  EXPECT_EQ(validate.exit_code, 4);
  EXPECT_NE(validate.out.find("no such file"), std::string::npos) << validate.out;
}

}  // namespace
