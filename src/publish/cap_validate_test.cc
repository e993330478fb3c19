#include "publish/cap_validate.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace vigil::publish {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Describe(const CapValidation& v) {
  std::string out;
  for (const CapFinding& f : v.findings) {
    out += std::to_string(f.line) + ": " + FindingSeverityName(f.severity) + ": " + f.path + ": " +
           f.message + "\n";
  }
  return out;
}

bool Has(const CapValidation& v, FindingKind kind, FindingSeverity severity) {
  for (const CapFinding& f : v.findings) {
    if (f.kind == kind && f.severity == severity) {
      return true;
    }
  }
  return false;
}

enum class Expected { kValid, kSchemaInvalid, kRuleInvalid, kWarningsOnly };

void ExpectOutcome(const fs::path& file, Expected expected) {
  const CapValidation v = ValidateCap(ReadFile(file));
  SCOPED_TRACE(file.string() + "\n" + Describe(v));
  const bool schema_error = Has(v, FindingKind::kSchema, FindingSeverity::kError);
  switch (expected) {
    case Expected::kValid:
      EXPECT_TRUE(v.ok());
      break;
    case Expected::kSchemaInvalid:
      EXPECT_TRUE(schema_error);
      break;
    case Expected::kRuleInvalid:
      EXPECT_FALSE(schema_error);
      EXPECT_TRUE(Has(v, FindingKind::kRule, FindingSeverity::kError));
      break;
    case Expected::kWarningsOnly:
      EXPECT_TRUE(v.ok());
      EXPECT_GT(v.WarningCount(), 0u);
      break;
  }
}

// Bundled files are named for what they hold: valid-*, invalid-* (fails the
// schema), rule-* (passes the schema, breaks a prose rule), warn-*.
Expected ExpectedFromName(const std::string& name) {
  if (name.starts_with("valid-")) {
    return Expected::kValid;
  }
  if (name.starts_with("invalid-")) {
    return Expected::kSchemaInvalid;
  }
  return name.starts_with("warn-") ? Expected::kWarningsOnly : Expected::kRuleInvalid;
}

TEST(ValidateCapTest, BundledExamplesHaveTheOutcomeTheirNamesPromise) {
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(VIGIL_PUBLISH_TESTDATA)) {
    if (entry.path().extension() == ".xml") {
      ExpectOutcome(entry.path(), ExpectedFromName(entry.path().filename().string()));
      ++count;
    }
  }
  EXPECT_GE(count, 8u);
}

// Every example of the shared CAP material; its folder says what to expect.
TEST(ValidateCapTest, SharedExamplesHaveTheOutcomeTheirFolderPromises) {
  // The environment wins; the source tree's neighbour is the fallback.
  const char* shared = std::getenv("VIGIL_SHARED_DIR");
  const fs::path root =
      fs::path(shared != nullptr ? shared : VIGIL_DEFAULT_SHARED_DIR) / "standards/cap/examples";
  if (!fs::is_directory(root)) {
    GTEST_SKIP() << "the shared CAP examples are not available (VIGIL_SHARED_DIR)";
  }
  size_t count = 0;
  for (const auto& [folder, expected] :
       {std::pair{"valid", Expected::kValid}, std::pair{"invalid", Expected::kSchemaInvalid},
        std::pair{"xsd-valid-rule-invalid", Expected::kRuleInvalid}}) {
    for (const auto& entry : fs::directory_iterator(root / folder)) {
      const bool warn = entry.path().filename().string().starts_with("WARN");
      ExpectOutcome(entry.path(), warn ? Expected::kWarningsOnly : expected);
      ++count;
    }
  }
  EXPECT_GE(count, 27u);
}

}  // namespace
}  // namespace vigil::publish
