#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.h"

namespace vigil {
namespace {

constexpr const char* kValid = R"(workspace:
  name: Test
  sender: test@example.org
domains:
  - id: health
    name: Public health
    cap_category: Health
regions:
  - code: XA
    name: Province
    population: 1000
  - code: XA-01
    parent: XA
    geometry:
      type: Polygon
      coordinates: [[[10, 50], [11, 50], [11, 51], [10, 50]]]
policies:
  - id: outbreak
    hazard: infectious-disease
    levels: { blue: 1, yellow: 2, red: 8 }
    demote_after: 2w
indicators:
  - id: cases
    domain: health
    frequency: weekly
    policy: outbreak
    detectors:
      - method: farrington-flexible
        params: { b: 4, alpha: 0.01 }
      - method: threshold
        params: { levels: [10, 20] }
sources:
  - id: weekly
    kind: file
    path: data/cases.csv
)";

std::vector<ConfigProblem> Problems(const std::string& text) {
  return CheckCatalogueText(text, "workspace.yaml").problems;
}

// The single problem in `text`, as printed by `vigil validate`.
std::string OnlyProblem(const std::string& text) {
  std::vector<ConfigProblem> problems = Problems(text);
  EXPECT_EQ(problems.size(), 1u);
  std::string all;
  for (const ConfigProblem& p : problems) {
    all += p.ToString() + "\n";
  }
  return problems.size() == 1 ? problems[0].ToString() : all;
}

// kValid with `from` replaced by `to` (which must occur).
std::string Edit(const std::string& from, const std::string& to) {
  std::string text = kValid;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(ConfigLoadTest, ValidCatalogueLoads) {
  auto catalogue = LoadCatalogueText(kValid, "workspace.yaml");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  EXPECT_EQ(catalogue->info().sender, "test@example.org");
  ASSERT_NE(catalogue->FindRegion("XA-01"), nullptr);
  EXPECT_EQ(catalogue->FindRegion("XA-01")->name, "XA-01");
  EXPECT_EQ(catalogue->FindRegion("XA")->population, 1000);
  const Indicator* cases = catalogue->FindIndicator("cases");
  ASSERT_NE(cases, nullptr);
  EXPECT_EQ(cases->frequency, Frequency::kWeekly);
  ASSERT_EQ(cases->detectors.size(), 2u);
  EXPECT_EQ(cases->detectors[1].params[0].value, "10,20");
  const WarningPolicy* policy = catalogue->FindPolicy("outbreak");
  ASSERT_NE(policy, nullptr);
  EXPECT_FALSE(policy->score_cut_points[2].has_value());
  EXPECT_EQ(policy->score_cut_points[3], 8.0);
  EXPECT_EQ(policy->demote_after, std::chrono::hours(24 * 14));
  EXPECT_EQ(catalogue->sources()[0].format, "csv");
}

TEST(ConfigLoadTest, GeometryIsStoredAsCompactJson) {
  auto catalogue = LoadCatalogueText(kValid, "workspace.yaml");
  ASSERT_TRUE(catalogue.ok());
  EXPECT_EQ(catalogue->FindRegion("XA-01")->geometry_geojson,
            R"({"coordinates":[[[10.0,50.0],[11.0,50.0],[11.0,51.0],[10.0,50.0]]],)"
            R"("type":"Polygon"})");
}

TEST(ConfigLoadTest, EntriesRecordTheirLine) {
  auto catalogue = LoadCatalogueText(kValid, "ws.yaml");
  ASSERT_TRUE(catalogue.ok());
  EXPECT_EQ(catalogue->FindDomain("health")->loc.line, 5);
  EXPECT_EQ(catalogue->FindDomain("health")->loc.file, "ws.yaml");
}

TEST(ConfigLoadTest, SyntaxErrorNamesLine) {
  EXPECT_EQ(OnlyProblem("domains:\n  - id: [health\n"),
            "workspace.yaml:3:1: YAML syntax error: end of sequence flow not found");
}

TEST(ConfigLoadTest, EmptyFileIsAProblem) {
  EXPECT_NE(OnlyProblem("# nothing\n").find("the catalogue is empty"), std::string::npos);
}

TEST(ConfigLoadTest, TopLevelMustBeAMapping) {
  EXPECT_EQ(OnlyProblem("- a\n- b\n"),
            "workspace.yaml:1:1: expected a mapping of keys to values, got a list");
}

TEST(ConfigLoadTest, UnknownKeySuggestsNearOne) {
  EXPECT_EQ(
      OnlyProblem(Edit("    frequency: weekly", "    frequncy: weekly\n    frequency: weekly")),
      "workspace.yaml:25:5: indicators[0].frequncy: unknown key 'frequncy' (did you mean "
      "'frequency'?; expected id, name, domain, unit, frequency, direction, value_kind, "
      "allowed_lateness, policy, detectors)");
}

TEST(ConfigLoadTest, RepeatedKeyIsReported) {
  EXPECT_EQ(OnlyProblem(Edit("    name: Province", "    name: Province\n    name: Again")),
            "workspace.yaml:11:5: regions[0].name: duplicate key 'name' (first at line 10)");
}

TEST(ConfigLoadTest, RequiredFieldMissing) {
  EXPECT_EQ(OnlyProblem(Edit("    frequency: weekly\n", "")),
            "workspace.yaml:23:5: indicators[0].frequency: 'frequency' is required");
}

TEST(ConfigLoadTest, UnknownFrequencyListsChoices) {
  EXPECT_EQ(OnlyProblem(Edit("frequency: weekly", "frequency: weekley")),
            "workspace.yaml:25:16: indicators[0].frequency: unknown frequency 'weekley' "
            "(expected stream, hourly, daily, weekly or monthly)");
}

TEST(ConfigLoadTest, EveryProblemIsReportedInFileOrder) {
  std::string text = Edit("cap_category: Health", "cap_category: Medical");
  text.replace(text.find("frequency: weekly"), 17, "frequency: weekley");
  text.replace(text.find("kind: file"), 10, "kind: http");
  std::vector<ConfigProblem> problems = Problems(text);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].field, "domains[0].cap_category");
  EXPECT_EQ(problems[1].field, "indicators[0].frequency");
  EXPECT_EQ(problems[2].field, "sources[0].kind");
}

TEST(ConfigLoadTest, IdFormatsAreChecked) {
  EXPECT_NE(OnlyProblem(Edit("id: health", "id: Public Health\n  - id: health"))
                .find("domains[0].id: 'Public Health' is not a valid id"),
            std::string::npos);
  EXPECT_NE(OnlyProblem(Edit("code: XA\n", "code: XA\n  - code: X_B\n"))
                .find("regions[1].code: 'X_B' is not a valid code"),
            std::string::npos);
}

TEST(ConfigLoadTest, DuplicateIdNamesFirstLine) {
  EXPECT_EQ(OnlyProblem(Edit("  - code: XA-01", "  - code: XA\n  - code: XA-01")),
            "workspace.yaml:12:11: regions[1].code: duplicate region code 'XA' (first declared at "
            "line 9)");
}

TEST(ConfigLoadTest, UnknownParentRegion) {
  EXPECT_EQ(OnlyProblem(Edit("parent: XA", "parent: XB")),
            "workspace.yaml:13:13: regions[1].parent: unknown parent region 'XB' (did you mean "
            "'XA'?)");
}

TEST(ConfigLoadTest, CycleInHierarchyIsNamed) {
  EXPECT_EQ(OnlyProblem(Edit("    population: 1000", "    population: 1000\n    parent: XA-01")),
            "workspace.yaml:12:13: regions[0].parent: cycle in the region hierarchy: XA -> XA-01 "
            "-> XA");
}

TEST(ConfigLoadTest, SelfParentIsACycle) {
  EXPECT_NE(OnlyProblem(Edit("parent: XA", "parent: XA-01"))
                .find("cycle in the region hierarchy: XA-01 -> XA-01"),
            std::string::npos);
}

TEST(ConfigLoadTest, UnknownDomainAndPolicy) {
  std::string text = Edit("domain: health", "domain: helth");
  text.replace(text.find("policy: outbreak"), 16, "policy: flood");
  std::vector<ConfigProblem> problems = Problems(text);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].message, "unknown domain 'helth' (did you mean 'health'?)");
  EXPECT_EQ(problems[1].message, "unknown policy 'flood'");
}

TEST(ConfigLoadTest, EnumsAreChecked) {
  EXPECT_NE(OnlyProblem(Edit("    policy: outbreak", "    policy: outbreak\n    direction: up"))
                .find("unknown direction 'up'"),
            std::string::npos);
  EXPECT_NE(OnlyProblem(Edit("    policy: outbreak", "    policy: outbreak\n    value_kind: sum"))
                .find("unknown value kind 'sum'"),
            std::string::npos);
}

TEST(ConfigLoadTest, DurationsAreChecked) {
  EXPECT_EQ(OnlyProblem(Edit("demote_after: 2w", "demote_after: 2 weeks")),
            "workspace.yaml:21:19: policies[0].demote_after: '2 weeks' is not a duration (a whole "
            "number and a unit s, m, h, d or w, like 90s, 15m, 2h, 7d)");
}

TEST(ConfigLoadTest, PopulationMustNotBeNegative) {
  EXPECT_EQ(OnlyProblem(Edit("population: 1000", "population: -5")),
            "workspace.yaml:11:17: regions[0].population: population must be >= 0, got -5");
  EXPECT_NE(
      OnlyProblem(Edit("population: 1000", "population: many")).find("expected a whole number"),
      std::string::npos);
}

TEST(ConfigLoadTest, GeometryTypeMustBePolygonal) {
  EXPECT_NE(OnlyProblem(Edit("type: Polygon", "type: Point"))
                .find("regions[1].geometry.type: unsupported geometry type 'Point'"),
            std::string::npos);
}

TEST(ConfigLoadTest, GeometryRingMustBeClosed) {
  EXPECT_EQ(OnlyProblem(Edit("[11, 51], [10, 50]]", "[11, 51], [10, 51]]")),
            "workspace.yaml:16:21: regions[1].geometry.coordinates[0]: a linear ring must be "
            "closed: its last position must equal its first");
}

TEST(ConfigLoadTest, GeometryRingNeedsFourPositions) {
  EXPECT_NE(OnlyProblem(Edit("[11, 50], [11, 51], [10, 50]", "[11, 50], [10, 50]"))
                .find("at least 4 positions"),
            std::string::npos);
}

TEST(ConfigLoadTest, GeometryPositionsAreLonLat) {
  EXPECT_NE(OnlyProblem(Edit("[11, 51]", "[51, 181]"))
                .find("regions[1].geometry.coordinates[0][2]: position [51, 181] is outside"),
            std::string::npos);
}

TEST(ConfigLoadTest, MultiPolygonIsAccepted) {
  auto catalogue = LoadCatalogueText(
      Edit("type: Polygon\n      coordinates: [[[10, 50], [11, 50], [11, 51], [10, 50]]]",
           "type: MultiPolygon\n      coordinates: [[[[10, 50], [11, 50], [11, 51], [10, 50]]], "
           "[[[0, 0], [1, 0], [1, 1], [0, 0]]]]"),
      "workspace.yaml");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  EXPECT_NE(catalogue->FindRegion("XA-01")->geometry_geojson.find("MultiPolygon"),
            std::string::npos);
}

TEST(ConfigLoadTest, CapEnumsAreChecked) {
  EXPECT_EQ(OnlyProblem(Edit("cap_category: Health", "cap_category: Medical")),
            "workspace.yaml:7:19: domains[0].cap_category: unknown CAP category 'Medical' "
            "(expected one of Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, "
            "Infra, CBRNE, Other)");
  EXPECT_NE(OnlyProblem(Edit("demote_after: 2w", "demote_after: 2w\n    urgency: Soon"))
                .find("unknown CAP urgency 'Soon'"),
            std::string::npos);
  EXPECT_NE(OnlyProblem(Edit("demote_after: 2w", "demote_after: 2w\n    certainty: Sure"))
                .find("unknown CAP certainty 'Sure'"),
            std::string::npos);
}

TEST(ConfigLoadTest, PolicyLevelsMustAscend) {
  EXPECT_EQ(OnlyProblem(Edit("red: 8", "red: 1.5")),
            "workspace.yaml:20:40: policies[0].levels.red: levels must rise from blue to red: red "
            "(1.5) is not above yellow (2)");
}

TEST(ConfigLoadTest, UnknownDetectorMethod) {
  EXPECT_EQ(OnlyProblem(Edit("method: threshold", "method: treshold")),
            "workspace.yaml:30:17: indicators[0].detectors[1].method: unknown detector 'treshold' "
            "(did you mean 'threshold'?; known: threshold, ears-c1, ears-c2, ears-c3, cusum, ewma, "
            "farrington, farrington-flexible, anomaly)");
}

TEST(ConfigLoadTest, DetectorParameterOutOfRange) {
  EXPECT_EQ(OnlyProblem(Edit("alpha: 0.01", "alpha: 1.5")),
            "workspace.yaml:29:32: indicators[0].detectors[0].params.alpha: parameter 'alpha' of "
            "farrington-flexible must be a number in [1e-12, 0.5], got '1.5'");
}

TEST(ConfigLoadTest, DetectorParameterUnknown) {
  EXPECT_NE(OnlyProblem(Edit("alpha: 0.01", "alfa: 0.01"))
                .find("params.alfa: unknown parameter 'alfa' of farrington-flexible (did you mean "
                      "'alpha'?;"),
            std::string::npos);
}

TEST(ConfigLoadTest, DetectorRequiredParameterMissing) {
  EXPECT_NE(OnlyProblem(Edit("params: { levels: [10, 20] }", "params: {}"))
                .find("parameter 'levels' of threshold is required"),
            std::string::npos);
}

TEST(ConfigLoadTest, PeriodicMethodRejectedOnStream) {
  EXPECT_NE(OnlyProblem(Edit("frequency: weekly", "frequency: stream"))
                .find("indicators[0].detectors[0].method: farrington-flexible fits a model per "
                      "closed period"),
            std::string::npos);
}

TEST(ConfigLoadTest, SourcePathMustBeRelative) {
  EXPECT_EQ(OnlyProblem(Edit("path: data/cases.csv", "path: /tmp/cases.csv")),
            "workspace.yaml:35:11: sources[0].path: '/tmp/cases.csv' must be relative to the "
            "workspace directory");
}

TEST(ConfigLoadTest, SourceFormatFromNameOrExplicit) {
  EXPECT_NE(OnlyProblem(Edit("path: data/cases.csv", "path: data/cases.txt"))
                .find("cannot tell the format"),
            std::string::npos);
  EXPECT_TRUE(
      Problems(Edit("path: data/cases.csv", "path: data/cases.txt\n    format: jsonl")).empty());
  EXPECT_NE(OnlyProblem(Edit("path: data/cases.csv", "path: a.csv\n    format: xml"))
                .find("unknown format 'xml' (expected one of csv, jsonl)"),
            std::string::npos);
}

TEST(ConfigLoadTest, WorkspaceSenderAndCapUrlMustSuitCap) {
  EXPECT_NE(OnlyProblem(Edit("sender: test@example.org",
                             "sender: test@example.org\n  cap_url: ftp://example.org/cap"))
                .find("cap_url"),
            std::string::npos);
  EXPECT_NE(OnlyProblem(Edit("sender: test@example.org", "sender: Test Office"))
                .find("not a valid CAP sender"),
            std::string::npos);
}

TEST(ConfigLoadTest, SectionMustBeAList) {
  EXPECT_EQ(OnlyProblem(Edit("sources:\n  - id: weekly\n    kind: file\n    path: data/cases.csv\n",
                             "sources: data/cases.csv\n")),
            "workspace.yaml:32:10: sources: expected a list (items starting with '- '), got text");
}

TEST(ConfigLoadTest, LoadErrorListsEveryProblem) {
  std::string text = Edit("parent: XA", "parent: XB");
  text.replace(text.find("domain: health"), 14, "domain: helth");
  auto catalogue = LoadCatalogueText(text, "workspace.yaml");
  ASSERT_FALSE(catalogue.ok());
  EXPECT_EQ(catalogue.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(catalogue.status().message().substr(0, 31), "2 problems in the catalogue:\nwo");
}

TEST(ConfigLoadTest, WorkspaceFileIsReadFromDirectory) {
  const auto dir = std::filesystem::temp_directory_path() / "vigil_config_test_ws";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "workspace.yaml") << kValid;
  auto catalogue = LoadWorkspaceCatalogue(dir);
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  EXPECT_EQ(catalogue->FindDomain("health")->loc.file, (dir / "workspace.yaml").string());
  std::filesystem::remove_all(dir);
}

TEST(ConfigLoadTest, MissingFileIsAnIoError) {
  auto catalogue = LoadWorkspaceCatalogue("/nonexistent-vigil-dir");
  ASSERT_FALSE(catalogue.ok());
  EXPECT_EQ(catalogue.status().code(), StatusCode::kIoError);
  EXPECT_NE(catalogue.status().message().find("no such file"), std::string::npos);
}

// A workspace with kValid and an overrides file beside it.
class OverridesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "workspace.yaml") << kValid;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  Result<Catalogue> Load(const std::string& overrides) {
    std::ofstream(dir_ / "stricter.yaml") << overrides;
    return LoadWorkspaceCatalogueWithOverrides(dir_, dir_ / "stricter.yaml");
  }
  const std::filesystem::path dir_ = std::filesystem::temp_directory_path() / "vigil_overrides";
};

TEST_F(OverridesTest, EntriesReplaceThoseWithTheSameIdOrAreAdded) {
  auto catalogue = Load(
      "policies:\n  - { id: outbreak, hazard: infectious-disease, expire_after: 1w }\n"
      "  - { id: strict, hazard: infectious-disease }\n"
      "indicators:\n  - { id: cases, domain: health, frequency: weekly, policy: strict }\n");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  EXPECT_EQ(catalogue->policies().size(), 2u);
  EXPECT_EQ(catalogue->FindPolicy("outbreak")->expire_after, std::chrono::weeks(1));
  EXPECT_EQ(catalogue->FindIndicator("cases")->policy, "strict");
  EXPECT_TRUE(catalogue->FindIndicator("cases")->detectors.empty());
  EXPECT_EQ(catalogue->FindDomain("health")->name, "Public health");
}

TEST_F(OverridesTest, ProblemsNameTheOverridesFile) {
  auto catalogue = Load(
      "policies:\n  - { id: outbreak, hazard: infectious-disease }\n"
      "regions: []\n");
  ASSERT_FALSE(catalogue.ok());
  EXPECT_NE(catalogue.status().message().find("stricter.yaml:3:1: regions: unknown key"),
            std::string::npos)
      << catalogue.status().message();
}

TEST_F(OverridesTest, ReferencesAreCheckedAgainstTheWorkspace) {
  auto catalogue =
      Load("indicators:\n  - { id: cases, domain: health, frequency: weekly, policy: lax }\n");
  ASSERT_FALSE(catalogue.ok());
  EXPECT_NE(catalogue.status().message().find("stricter.yaml:2:"), std::string::npos)
      << catalogue.status().message();
  EXPECT_NE(catalogue.status().message().find("'lax'"), std::string::npos);
}

}  // namespace
}  // namespace vigil
