#include "publish/warning_cap.h"

#include <gtest/gtest.h>

#include "publish/cap_validate.h"

namespace vigil::publish {
namespace {

constexpr const char* kSquare =
    R"({"type":"Polygon","coordinates":[[[118.5,32.0],[119.0,32.0],[119.0,32.5],[118.5,32.5],[118.5,32.0]]]})";
constexpr const char* kTwoIslands = R"({"type":"MultiPolygon","coordinates":[
    [[[10,50],[11,50],[11,51],[10,50]]],
    [[[12,50],[13,50],[13,51],[12,51]]]]})";

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

WarningMessageInput Input() {
  WarningMessageInput in;
  in.warning_id = "w-000042";
  in.level = 3;
  in.workspace = {.name = "Jiangsu CDC", .sender = "alerts@cdc.example.org", .language = "zh-CN"};
  in.domain = {.id = "health", .name = "Public health", .cap_category = "Health"};
  in.region = {.code = "CN-32-01", .name = "Nanjing", .geometry_geojson = kSquare};
  in.policy = {.id = "ili-policy",
               .hazard = "influenza-like-illness",
               .urgency = "Expected",
               .certainty = "Likely"};
  in.event = "Influenza-like illness";
  in.headline = "Orange warning: influenza-like illness in Nanjing";
  in.description = "ILI visits 412 > threshold 380 (farrington-flexible, baseline 250)";
  in.sent = At("2024-03-01T10:00:00Z");
  in.expires = At("2024-03-04T10:00:00Z");
  return in;
}

const std::string* FindParameter(const CapInfo& info, std::string_view name) {
  for (const CapValuePair& p : info.parameters) {
    if (p.value_name == name) {
      return &p.value;
    }
  }
  return nullptr;
}

void ExpectValidCap(const CapAlert& alert) {
  const std::string xml = WriteCap(alert);
  const CapValidation v = ValidateCap(xml);
  EXPECT_TRUE(v.findings.empty()) << xml << "\n"
                                  << (v.findings.empty() ? "" : v.findings.front().message);
}

TEST(StyleForLevelTest, MapsLevelsToSeverityColourAndName) {
  EXPECT_STREQ(StyleForLevel(1)->severity, "Minor");
  EXPECT_EQ(StyleForLevel(2)->colour, "yellow");
  EXPECT_STREQ(StyleForLevel(3)->name, "Level II");
  EXPECT_STREQ(StyleForLevel(4)->severity, "Extreme");
  EXPECT_FALSE(StyleForLevel(0).ok());
  EXPECT_FALSE(StyleForLevel(5).ok());
}

TEST(WarningCapIdentifierTest, ReplacesForbiddenCharacters) {
  EXPECT_EQ(WarningCapIdentifier("alerts@cdc.example.org", "w 1,<&", 2),
            "vigil-alerts-cdc.example.org-w-1----2");
}

TEST(BuildWarningCapTest, CarriesLevelAsSeverityAndParameters) {
  const Result<CapAlert> alert = BuildWarningCap(Input());
  ASSERT_TRUE(alert.ok()) << alert.status().ToString();
  const CapInfo& info = alert->infos.at(0);
  EXPECT_EQ(info.severity, "Severe");
  EXPECT_EQ(*FindParameter(info, "vigil:level"), "3");
  EXPECT_EQ(*FindParameter(info, "vigil:colour"), "orange");
  EXPECT_EQ(*FindParameter(info, "vigil:level-name"), "Level II");
  EXPECT_EQ(info.categories, std::vector<std::string>{"Health"});
  EXPECT_EQ(info.urgency, "Expected");
  EXPECT_EQ(info.certainty, "Likely");
  EXPECT_EQ(info.language, "zh-CN");
}

TEST(BuildWarningCapTest, AreaHasRegionNamePolygonAndGeocode) {
  const Result<CapAlert> alert = BuildWarningCap(Input());
  ASSERT_TRUE(alert.ok()) << alert.status().ToString();
  const CapArea& area = alert->infos.at(0).areas.at(0);
  EXPECT_EQ(area.area_desc, "Nanjing");
  ASSERT_EQ(area.polygons.size(), 1u);
  EXPECT_EQ(area.polygons[0], "32,118.5 32,119 32.5,119 32.5,118.5 32,118.5");
  ASSERT_EQ(area.geocodes.size(), 1u);
  EXPECT_EQ(area.geocodes[0].value_name, "vigil:region");
  EXPECT_EQ(area.geocodes[0].value, "CN-32-01");
}

TEST(BuildWarningCapTest, IdentifierAndTimesFollowTheInput) {
  WarningMessageInput in = Input();
  in.offset_minutes = 8 * 60;
  const std::string xml = WriteCap(*BuildWarningCap(in));
  EXPECT_NE(xml.find("<identifier>vigil-alerts-cdc.example.org-w-000042-1</identifier>"),
            std::string::npos);
  EXPECT_NE(xml.find("<sent>2024-03-01T18:00:00+08:00</sent>"), std::string::npos);
  EXPECT_NE(xml.find("<expires>2024-03-04T18:00:00+08:00</expires>"), std::string::npos);
}

TEST(BuildWarningCapTest, EveryLevelOfAlertUpdateAndCancelIsValidCap) {
  for (int level = 1; level <= 4; ++level) {
    WarningMessageInput in = Input();
    in.level = level;
    const CapAlert alert = *BuildWarningCap(in);
    ExpectValidCap(alert);
    in.previous = {{alert.sender, alert.identifier, alert.sent}};
    in.sequence = 2;
    in.msg_type = CapMsgType::kUpdate;
    const CapAlert update = *BuildWarningCap(in);
    ExpectValidCap(update);
    in.previous.push_back({update.sender, update.identifier, update.sent});
    in.sequence = 3;
    in.msg_type = CapMsgType::kCancel;
    ExpectValidCap(*BuildWarningCap(in));
  }
}

TEST(BuildWarningCapTest, CancelReferencesTheWholeChain) {
  WarningMessageInput in = Input();
  in.msg_type = CapMsgType::kCancel;
  in.sequence = 3;
  in.previous = {{"alerts@cdc.example.org", "vigil-a-1", {At("2024-03-01T10:00:00Z"), 0}},
                 {"alerts@cdc.example.org", "vigil-a-2", {At("2024-03-01T12:00:00Z"), 0}}};
  const CapAlert cancel = *BuildWarningCap(in);
  EXPECT_EQ(FormatCapReferences(cancel.references),
            "alerts@cdc.example.org,vigil-a-1,2024-03-01T10:00:00-00:00 "
            "alerts@cdc.example.org,vigil-a-2,2024-03-01T12:00:00-00:00");
  EXPECT_EQ(cancel.infos.at(0).response_types, std::vector<std::string>{"AllClear"});
  EXPECT_EQ(cancel.infos.at(0).urgency, "Past");
}

TEST(BuildWarningCapTest, RegionWithoutGeometryHasGeocodeOnlyAndIsValid) {
  WarningMessageInput in = Input();
  in.region.geometry_geojson.clear();
  const CapAlert alert = *BuildWarningCap(in);
  EXPECT_TRUE(alert.infos.at(0).areas.at(0).polygons.empty());
  ExpectValidCap(alert);
}

TEST(BuildWarningCapTest, MultiPolygonGivesOnePolygonEachAndIsValid) {
  WarningMessageInput in = Input();
  in.region.geometry_geojson = kTwoIslands;
  const CapAlert alert = *BuildWarningCap(in);
  EXPECT_EQ(alert.infos.at(0).areas.at(0).polygons,
            (std::vector<std::string>{"50,10 50,11 51,11 50,10", "50,12 50,13 51,13 51,12 50,12"}));
  ExpectValidCap(alert);
}

TEST(BuildWarningCapTest, RejectsUpdateWithoutPreviousMessages) {
  WarningMessageInput in = Input();
  in.msg_type = CapMsgType::kUpdate;
  EXPECT_EQ(BuildWarningCap(in).status().code(), StatusCode::kInvalidArgument);
}

TEST(BuildWarningCapTest, RejectsLevelOutOfRange) {
  WarningMessageInput in = Input();
  in.level = 5;
  EXPECT_FALSE(BuildWarningCap(in).ok());
}

TEST(BuildWarningCapTest, RejectsSenderWithSpace) {
  WarningMessageInput in = Input();
  in.workspace.sender = "cdc alerts";
  const Status status = BuildWarningCap(in).status();
  EXPECT_NE(status.message().find("workspace sender"), std::string::npos) << status.message();
}

TEST(BuildWarningCapTest, RejectsExpiresNotAfterSent) {
  WarningMessageInput in = Input();
  in.expires = in.sent;
  EXPECT_FALSE(BuildWarningCap(in).ok());
}

TEST(BuildWarningCapTest, RejectsUnknownUrgencyNamingPolicyAndLine) {
  WarningMessageInput in = Input();
  in.policy.urgency = "Soon";
  in.policy.loc = {.file = "policies.yaml", .line = 12};
  const Status status = BuildWarningCap(in).status();
  EXPECT_NE(status.message().find("policies.yaml:12: policy 'ili-policy'"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("urgency 'Soon'"), std::string::npos);
}

TEST(BuildWarningCapTest, RejectsPointGeometryNamingRegion) {
  WarningMessageInput in = Input();
  in.region.geometry_geojson = R"({"type":"Point","coordinates":[1,2]})";
  const Status status = BuildWarningCap(in).status();
  EXPECT_NE(status.message().find("region 'CN-32-01' geometry"), std::string::npos)
      << status.message();
}

TEST(CapPolygonsFromGeoJsonTest, ClosesAnOpenRing) {
  EXPECT_EQ(*CapPolygonsFromGeoJson(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]})"),
            std::vector<std::string>{"0,0 0,1 1,1 0,0"});
}

TEST(CapPolygonsFromGeoJsonTest, DropsHoles) {
  const auto polygons = CapPolygonsFromGeoJson(
      R"({"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,0]],[[1,1],[2,1],[2,2],[1,1]]]})");
  EXPECT_EQ(*polygons, std::vector<std::string>{"0,0 0,4 4,4 0,0"});
}

TEST(CapPolygonsFromGeoJsonTest, ReadsFeatureGeometry) {
  const auto polygons = CapPolygonsFromGeoJson(
      R"({"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}})");
  EXPECT_EQ(polygons->size(), 1u);
}

TEST(CapPolygonsFromGeoJsonTest, WritesTinyValuesWithoutExponent) {
  const auto polygons = CapPolygonsFromGeoJson(
      R"({"type":"Polygon","coordinates":[[[0.0000012,-0.0000001],[1,0],[1,1],[0.0000012,-0.0000001]]]})");
  EXPECT_EQ(polygons->at(0), "0,0.000001 0,1 1,1 0,0.000001");
}

TEST(CapPolygonsFromGeoJsonTest, RejectsTooFewPositions) {
  EXPECT_FALSE(CapPolygonsFromGeoJson(R"({"type":"Polygon","coordinates":[[[0,0],[1,0]]]})").ok());
}

TEST(CapPolygonsFromGeoJsonTest, RejectsOutOfRangeLatitude) {
  EXPECT_FALSE(
      CapPolygonsFromGeoJson(R"({"type":"Polygon","coordinates":[[[0,95],[1,0],[1,1],[0,95]]]})")
          .ok());
}

TEST(CapPolygonsFromGeoJsonTest, RejectsInvalidJson) {
  EXPECT_FALSE(CapPolygonsFromGeoJson("{\"type\":").ok());
}

}  // namespace
}  // namespace vigil::publish
