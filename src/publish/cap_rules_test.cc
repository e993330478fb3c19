// The prose rules and the safety checks of ValidateCap, each on a small
// variation of one valid message.
#include "publish/cap_rules.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "publish/cap_validate.h"

namespace vigil::publish {
namespace {

// A valid message; Make() swaps one line for another.
constexpr const char* kBase = R"(<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>vigil-test-1</identifier>
  <sender>vigil@example.org</sender>
  <sent>2024-03-01T10:00:00-00:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Health</category>
    <event>Influenza-like illness</event>
    <urgency>Expected</urgency>
    <severity>Moderate</severity>
    <certainty>Likely</certainty>
    <expires>2024-03-04T10:00:00-00:00</expires>
    <area>
      <areaDesc>Nanjing</areaDesc>
      <polygon>32,118.5 32,119 32.5,119 32,118.5</polygon>
    </area>
  </info>
</alert>
)";

std::string Make(const std::string& from, const std::string& to) {
  std::string xml = kBase;
  const size_t at = xml.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? xml : xml.replace(at, from.size(), to);
}

// The only finding, which must exist.
CapFinding Only(const std::string& xml) {
  const CapValidation v = ValidateCap(xml);
  EXPECT_EQ(v.findings.size(), 1u) << xml;
  return v.findings.empty() ? CapFinding{} : v.findings.front();
}

TEST(CapRulesTest, BaseMessageIsValid) { EXPECT_TRUE(ValidateCap(kBase).findings.empty()); }

TEST(CapRulesTest, ReportsLineAndPathOfPolygon) {
  const CapFinding f = Only(Make("32,119 32.5,119 32,118.5", "32,119 32.5,119 32.1,118.5"));
  EXPECT_EQ(f.kind, FindingKind::kRule);
  EXPECT_EQ(f.line, 18);
  EXPECT_EQ(f.path, "/alert/info/area/polygon");
  EXPECT_NE(f.message.find("not closed"), std::string::npos) << f.message;
}

TEST(CapRulesTest, IndexesRepeatedElementsInPath) {
  const std::string polygon = "<polygon>32,118.5 32,119 32.5,119 32,118.5</polygon>";
  const CapFinding f = Only(Make(polygon, polygon + "\n<polygon>1,1 1,2 2,2</polygon>"));
  EXPECT_EQ(f.path, "/alert/info/area/polygon[2]");
  EXPECT_NE(f.message.find("at least 4"), std::string::npos) << f.message;
}

TEST(CapRulesTest, ClosedPolygonComparesNumbersNotText) {
  EXPECT_TRUE(
      ValidateCap(Make("32,118.5 32,119 32.5,119 32,118.5", "32.0,118.50 32,119 32.5,119 32,118.5"))
          .ok());
}

TEST(CapRulesTest, RejectsLongitudeOutOfRange) {
  const CapFinding f = Only(Make("32,119 32.5,119", "32,190 32.5,119"));
  EXPECT_NE(f.message.find("longitude 190"), std::string::npos) << f.message;
}

TEST(CapRulesTest, RejectsNumbersWithExponent) {
  EXPECT_FALSE(ValidateCap(Make("32,119 32.5,119", "3.2e1,119 32.5,119")).ok());
}

TEST(CapRulesTest, AcceptsCircleWithRadius) {
  EXPECT_TRUE(ValidateCap(Make("</polygon>", "</polygon>\n<circle>32.1,118.7 5.5</circle>")).ok());
}

TEST(CapRulesTest, RejectsNegativeCircleRadius) {
  const CapFinding f = Only(Make("</polygon>", "</polygon>\n<circle>32.1,118.7 -1</circle>"));
  EXPECT_NE(f.message.find("radius"), std::string::npos) << f.message;
}

TEST(CapRulesTest, RejectsCeilingWithoutAltitude) {
  const CapFinding f = Only(Make("</polygon>", "</polygon>\n<ceiling>100</ceiling>"));
  EXPECT_NE(f.message.find("altitude"), std::string::npos) << f.message;
}

TEST(CapRulesTest, RejectsAmpersandInSender) {
  const CapFinding f = Only(Make("vigil@example.org", "vigil&amp;co@example.org"));
  EXPECT_EQ(f.path, "/alert/sender");
  EXPECT_NE(f.message.find("'&'"), std::string::npos) << f.message;
}

TEST(CapRulesTest, RejectsEmptyIdentifier) {
  EXPECT_NE(Only(Make("vigil-test-1", "")).message.find("empty"), std::string::npos);
}

TEST(CapRulesTest, AcceptsCancelWithWellFormedReferences) {
  const std::string xml = Make("<msgType>Alert</msgType>\n  <scope>Public</scope>",
                               "<msgType>Cancel</msgType>\n  <scope>Public</scope>\n"
                               "  <references>vigil@example.org,vigil-test-0,"
                               "2024-03-01T09:00:00+08:00</references>");
  EXPECT_TRUE(ValidateCap(xml).findings.empty());
}

TEST(CapRulesTest, RejectsReferenceWithBadTime) {
  const std::string xml =
      Make("<scope>Public</scope>",
           "<scope>Public</scope>\n"
           "<references>vigil@example.org,vigil-test-0,2024-03-01</references>");
  EXPECT_NE(Only(xml).message.find("sender,identifier,sent"), std::string::npos);
}

TEST(CapRulesTest, RejectsReferenceWithFourParts) {
  const std::string xml = Make("<scope>Public</scope>",
                               "<scope>Public</scope>\n<references>a,b,c,"
                               "2024-03-01T09:00:00-00:00</references>");
  EXPECT_FALSE(ValidateCap(xml).ok());
}

TEST(CapRulesTest, CancelWithoutReferencesIsAnError) {
  const CapFinding f = Only(Make("<msgType>Alert</msgType>", "<msgType>Cancel</msgType>"));
  EXPECT_NE(f.message.find("Cancel"), std::string::npos) << f.message;
}

TEST(CapRulesTest, RestrictedScopeWithoutRestrictionIsAWarning) {
  const CapValidation v = ValidateCap(Make("<scope>Public</scope>", "<scope>Restricted</scope>"));
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.WarningCount(), 1u);
}

TEST(CapRulesTest, PrivateScopeWithAddressesIsValid) {
  EXPECT_TRUE(ValidateCap(Make("<scope>Public</scope>",
                               "<scope>Private</scope>\n<addresses>ops@example.org</addresses>"))
                  .findings.empty());
}

TEST(CapRulesTest, UtcWrittenPlusZeroIsAWarning) {
  const CapFinding f = Only(Make("2024-03-04T10:00:00-00:00", "2024-03-04T10:00:00+00:00"));
  EXPECT_EQ(f.severity, FindingSeverity::kWarning);
  EXPECT_EQ(f.path, "/alert/info/expires");
}

TEST(CapRulesTest, ExpiresBeforeSentIsAWarning) {
  const CapFinding f = Only(Make("2024-03-04T10:00:00-00:00", "2024-02-04T10:00:00-00:00"));
  EXPECT_EQ(f.severity, FindingSeverity::kWarning);
  EXPECT_NE(f.message.find("earlier than sent"), std::string::npos) << f.message;
}

TEST(CapSafetyTest, RejectsDoctypeBeforeReadingIt) {
  const std::string xml = Make("<alert", R"(<!DOCTYPE alert [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<alert)");
  const CapFinding f = Only(xml);
  EXPECT_EQ(f.kind, FindingKind::kXml);
  EXPECT_NE(f.message.find("DOCTYPE"), std::string::npos) << f.message;
}

TEST(CapSafetyTest, RejectsEntityExpansionBomb) {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE alert [<!ENTITY a \"aaaaaaaaaa\">";
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += fmt::format("<!ENTITY {} \"&{};&{};&{};&{};&{};&{};&{};&{};&{};&{};\">", c, c - 1,
                        c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
  }
  bomb += "]>\n<alert>&k;</alert>";
  EXPECT_NE(Only(bomb).message.find("DOCTYPE"), std::string::npos);
}

TEST(CapSafetyTest, UndeclaredEntityIsNotWellFormed) {
  const CapValidation v = ValidateCap(Make("vigil-test-1", "&nope;"));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.findings.front().kind, FindingKind::kXml);
  EXPECT_EQ(v.findings.front().line, 3);
}

TEST(CapSafetyTest, EmptyInputIsAnError) { EXPECT_FALSE(ValidateCap("").ok()); }

TEST(CapSafetyTest, OtherRootElementIsAnError) {
  const CapValidation v = ValidateCap("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>");
  EXPECT_FALSE(v.ok());
}

TEST(CapSafetyTest, ReadsIso88591Text) {
  std::string xml = Make("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
  xml = xml.replace(xml.find("Nanjing"), 7, "K\xF6ln");  // o-umlaut in Latin-1
  EXPECT_TRUE(ValidateCap(xml).findings.empty());
}

TEST(ParseCapTimeTest, AcceptsExplicitOffsets) {
  EXPECT_EQ(ParseCapTime("2024-03-01T18:00:00+08:00"), ParseCapTime("2024-03-01T10:00:00-00:00"));
}

TEST(ParseCapTimeTest, RejectsZFractionsAndMissingOffset) {
  EXPECT_FALSE(ParseCapTime("2024-03-01T10:00:00Z"));
  EXPECT_FALSE(ParseCapTime("2024-03-01T10:00:00.5-00:00"));
  EXPECT_FALSE(ParseCapTime("2024-03-01T10:00:00"));
}

}  // namespace
}  // namespace vigil::publish
