#include <gtest/gtest.h>

#include "publish/cap.h"
#include "publish/cap_validate.h"
#include "publish/xml_writer.h"

namespace vigil::publish {
namespace {

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

CapAlert MinimalAlert() {
  CapAlert alert;
  alert.identifier = "vigil-test-1";
  alert.sender = "vigil@example.org";
  alert.sent = {At("2024-03-01T10:00:00Z"), 0};
  CapInfo info;
  info.language = "en-US";
  info.categories = {"Health"};
  info.event = "Influenza-like illness";
  info.urgency = "Expected";
  info.severity = "Moderate";
  info.certainty = "Likely";
  info.expires = CapTime{At("2024-03-04T10:00:00Z"), 0};
  alert.infos.push_back(info);
  return alert;
}

TEST(FormatCapTimeTest, WritesUtcAsMinusZero) {
  EXPECT_EQ(FormatCapTime(At("2024-03-01T10:00:00Z"), 0), "2024-03-01T10:00:00-00:00");
}

TEST(FormatCapTimeTest, WritesLocalTimeAtPositiveOffset) {
  EXPECT_EQ(FormatCapTime(At("2024-03-01T20:30:00Z"), 8 * 60), "2024-03-02T04:30:00+08:00");
}

TEST(FormatCapTimeTest, WritesLocalTimeAtNegativeOffsetWithMinutes) {
  EXPECT_EQ(FormatCapTime(At("2024-03-01T02:00:00Z"), -(3 * 60 + 30)), "2024-02-29T22:30:00-03:30");
}

TEST(FormatCapTimeTest, DropsFractionalSeconds) {
  EXPECT_EQ(FormatCapTime(At("2024-03-01T10:00:05.999Z"), 0), "2024-03-01T10:00:05-00:00");
}

TEST(FormatCapTimeTest, HandlesTimesBefore1970) {
  EXPECT_EQ(FormatCapTime(At("1969-12-31T23:59:59.5Z"), 0), "1969-12-31T23:59:59-00:00");
}

TEST(FormatCapReferencesTest, JoinsTriplesWithSpaces) {
  const std::vector<CapReference> refs = {
      {"a@x", "id-1", {At("2024-03-01T10:00:00Z"), 0}},
      {"a@x", "id-2", {At("2024-03-01T11:00:00Z"), 60}},
  };
  EXPECT_EQ(FormatCapReferences(refs),
            "a@x,id-1,2024-03-01T10:00:00-00:00 a@x,id-2,2024-03-01T12:00:00+01:00");
}

TEST(WriteCapTest, MinimalAlertIsValidCap) {
  const std::string xml = WriteCap(MinimalAlert());
  const CapValidation v = ValidateCap(xml);
  EXPECT_TRUE(v.findings.empty()) << xml << "\n" << v.findings.front().message;
}

TEST(WriteCapTest, UsesCapNamespaceAndSchemaOrder) {
  const std::string xml = WriteCap(MinimalAlert());
  EXPECT_NE(xml.find("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"), std::string::npos);
  EXPECT_LT(xml.find("<identifier>"), xml.find("<sender>"));
  EXPECT_LT(xml.find("<urgency>"), xml.find("<severity>"));
  EXPECT_LT(xml.find("<severity>"), xml.find("<expires>"));
}

TEST(WriteCapTest, EscapesText) {
  CapAlert alert = MinimalAlert();
  alert.infos[0].headline = "cases < 5 & rising > \"fast\"";
  const std::string xml = WriteCap(alert);
  EXPECT_NE(xml.find("cases &lt; 5 &amp; rising &gt; &quot;fast&quot;"), std::string::npos) << xml;
  EXPECT_TRUE(ValidateCap(xml).ok());
}

TEST(WriteCapTest, DropsCharactersXmlCannotCarry) {
  CapAlert alert = MinimalAlert();
  alert.infos[0].description = std::string("bell\x07 and nul") + '\0' + " end";
  const std::string xml = WriteCap(alert);
  EXPECT_NE(xml.find("<description>bell and nul end</description>"), std::string::npos) << xml;
  EXPECT_TRUE(ValidateCap(xml).ok());
}

TEST(WriteCapTest, OmitsEmptyOptionalElements) {
  const std::string xml = WriteCap(MinimalAlert());
  EXPECT_EQ(xml.find("<references>"), std::string::npos);
  EXPECT_EQ(xml.find("<headline>"), std::string::npos);
  EXPECT_EQ(xml.find("<area>"), std::string::npos);
}

TEST(WriteCapTest, WritesAreaParametersAndReferences) {
  CapAlert alert = MinimalAlert();
  alert.msg_type = CapMsgType::kUpdate;
  alert.references = {{"vigil@example.org", "vigil-test-0", {At("2024-03-01T09:00:00Z"), 0}}};
  alert.infos[0].parameters = {{"vigil:level", "2"}};
  alert.infos[0].areas.push_back(
      {"Nowhere", {"1,2 1,3 2,3 1,2"}, {"1.5,2.5 10"}, {{"vigil:region", "XX-01"}}});
  const std::string xml = WriteCap(alert);
  EXPECT_NE(xml.find("<references>vigil@example.org,vigil-test-0,2024-03-01T09:00:00-00:00"),
            std::string::npos);
  EXPECT_NE(xml.find("<polygon>1,2 1,3 2,3 1,2</polygon>"), std::string::npos);
  EXPECT_NE(xml.find("<circle>1.5,2.5 10</circle>"), std::string::npos);
  const CapValidation v = ValidateCap(xml);
  EXPECT_TRUE(v.findings.empty()) << xml;
}

TEST(SanitizeXmlTextTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(SanitizeXmlText("a\xFF"
                            "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SanitizeXmlText("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(SanitizeXmlText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace vigil::publish
