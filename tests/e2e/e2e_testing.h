// Support for end-to-end tests: a fixture that owns a temporary directory and
// runs the real `vigil` binary, named by the VIGIL_BIN environment variable or,
// by default, the one this tree builds (VIGIL_BUILT_BIN).
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace vigil::e2e {

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A fresh directory root_ per test, removed afterwards.
class VigilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("VIGIL_BIN");
    bin_ = bin != nullptr ? bin : VIGIL_BUILT_BIN;
    char pattern[] = "/tmp/vigil-e2e-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // Runs `vigil -w WORKSPACE ARGS` in WORKSPACE through the shell, with stdin
  // from `input`; stdout and stderr pass through files in root_.
  RunResult Run(const std::filesystem::path& workspace, const std::string& args,
                const std::string& input = "/dev/null") {
    const std::filesystem::path out = root_ / "stdout.txt";
    const std::filesystem::path err = root_ / "stderr.txt";
    const std::string command =
        fmt::format("cd '{1}' && '{0}' -w '{1}' {2} <'{3}' >'{4}' 2>'{5}'", bin_,
                    workspace.string(), args, input, out.string(), err.string());
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(out), ReadFile(err)};
  }

  std::string bin_;
  std::filesystem::path root_;
};

}  // namespace vigil::e2e
