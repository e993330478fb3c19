// End to end: the real `vigil cap validate` on files (VIGIL_BIN).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout only
};

CommandResult Vigil(const std::string& args) {
  const char* bin = std::getenv("VIGIL_BIN");
  CommandResult run;
  if (bin == nullptr) {
    ADD_FAILURE() << "VIGIL_BIN is not set";
    return run;
  }
  const std::string command = std::string(bin) + " " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buffer{};
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) {
    run.out.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

const std::string kData = VIGIL_PUBLISH_TESTDATA;

TEST(CapValidateCliTest, ValidFileExitsZeroAndPrintsNothing) {
  const CommandResult run = Vigil("cap validate " + kData + "/valid-thunderstorm.xml");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, "");
}

TEST(CapValidateCliTest, Iso88591FileIsValidWithWarnings) {
  const CommandResult run = Vigil("cap validate " + kData + "/valid-earthquake-iso8859-1.xml");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("valid-earthquake-iso8859-1.xml:4: warning: /alert/sent: "),
            std::string::npos)
      << run.out;
}

TEST(CapValidateCliTest, RuleErrorExitsThreeWithFileLinePathMessage) {
  const CommandResult run = Vigil("cap validate " + kData + "/rule-polygon-not-closed.xml");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.out.find("rule-polygon-not-closed.xml:32: error: /alert/info/area/polygon: "
                         "polygon is not closed"),
            std::string::npos)
      << run.out;
}

TEST(CapValidateCliTest, SchemaErrorExitsThree) {
  const CommandResult run = Vigil("cap validate " + kData + "/invalid-sent-utc-Z.xml");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.out.find("invalid-sent-utc-Z.xml:5: error: /alert/sent: "), std::string::npos)
      << run.out;
}

TEST(CapValidateCliTest, AnyInvalidFileAmongSeveralExitsThree) {
  const CommandResult run = Vigil("cap validate " + kData + "/valid-thunderstorm.xml " + kData +
                                  "/rule-update-without-references.xml");
  EXPECT_EQ(run.exit_code, 3);
}

TEST(CapValidateCliTest, MissingFileExitsFour) {
  const CommandResult run = Vigil("cap validate " + kData + "/no-such-file.xml");
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_NE(run.out.find("no-such-file.xml: error: cannot read"), std::string::npos) << run.out;
}

}  // namespace
