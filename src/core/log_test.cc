#include "core/log.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(LogTest, LevelFilters) {
  SetLogLevel(LogLevel::kWarn);
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  SetLogLevel(LogLevel::kInfo);
}

TEST(LogTest, WritesLogfmtFields) {
  testing::internal::CaptureStderr();
  LogInfo("batch committed", {{"rows", 12}, {"file", "a b.csv"}});
  const std::string out = testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find("level=info msg=\"batch committed\" rows=12 file=\"a b.csv\""),
            std::string::npos)
      << out;
}

TEST(LogTest, WritesJson) {
  SetLogFormat(LogFormat::kJson);
  testing::internal::CaptureStderr();
  LogWarn("x", {{"q", "say \"hi\""}});
  const std::string out = testing::internal::GetCapturedStderr();
  SetLogFormat(LogFormat::kLogfmt);
  EXPECT_NE(out.find("\"level\":\"warn\",\"msg\":\"x\",\"q\":\"say \\\"hi\\\"\"}"),
            std::string::npos)
      << out;
}

TEST(LogTest, ParsesLevels) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_FALSE(ParseLogLevel("loud").ok());
}

}  // namespace
}  // namespace vigil
