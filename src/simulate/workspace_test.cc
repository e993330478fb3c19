#include "simulate/workspace.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace vigil::sim {
namespace {

WorkspaceSpec SmallSpec() {
  WorkspaceSpec spec;
  spec.info = {.name = "Test: a workspace", .sender = "t@example.org"};
  spec.domains.push_back({.id = "health", .name = "Public health", .cap_category = "Health"});
  spec.regions.push_back({.code = "XA", .name = "Example", .population = 10});
  spec.regions.push_back({.code = "XA-01",
                          .name = "North, upper",
                          .parent = "XA",
                          .ring = {{10, 50}, {10.5, 50}, {10.5, 50.4}, {10, 50}}});
  spec.policies.push_back(
      {.id = "outbreak", .hazard = "disease", .score_cut_points = {1.0, std::nullopt, 4.0, 8.0}});
  spec.indicators.push_back(
      {.id = "cases",
       .name = "Cases",
       .domain = "health",
       .unit = "% vol",
       .frequency = Frequency::kWeekly,
       .allowed_lateness = std::chrono::weeks(2),
       .detectors = {Detector("threshold", {{"levels", "1,2,3.5"}}), Detector("ears-c2")},
       .policy = "outbreak"});
  spec.sources.push_back({.id = "s", .kind = "file", .path = "data/s.csv", .format = "csv"});
  return spec;
}

TEST(WorkspaceYamlTest, StartsWithTheComment) {
  const std::string yaml = WorkspaceYaml(SmallSpec(), "line one\nline two");
  EXPECT_EQ(yaml.rfind("# line one\n# line two\nworkspace:\n", 0), 0u) << yaml;
}

TEST(WorkspaceYamlTest, ParsesBackToTheSameEntries) {
  const YAML::Node root = YAML::Load(WorkspaceYaml(SmallSpec(), "c"));
  EXPECT_EQ(root["workspace"]["name"].as<std::string>(), "Test: a workspace");
  EXPECT_EQ(root["regions"][1]["name"].as<std::string>(), "North, upper");
  EXPECT_EQ(root["regions"][1]["parent"].as<std::string>(), "XA");
  EXPECT_EQ(root["regions"][0]["population"].as<int>(), 10);
  EXPECT_FALSE(root["regions"][0]["geometry"]);
  EXPECT_EQ(root["indicators"][0]["unit"].as<std::string>(), "% vol");
  EXPECT_EQ(root["indicators"][0]["frequency"].as<std::string>(), "weekly");
  EXPECT_EQ(root["indicators"][0]["allowed_lateness"].as<std::string>(), "2w");
  EXPECT_EQ(root["sources"][0]["path"].as<std::string>(), "data/s.csv");
}

TEST(WorkspaceYamlTest, WritesGeometryAsAGeoJsonPolygon) {
  const YAML::Node geometry = YAML::Load(WorkspaceYaml(SmallSpec(), "c"))["regions"][1]["geometry"];
  EXPECT_EQ(geometry["type"].as<std::string>(), "Polygon");
  const YAML::Node ring = geometry["coordinates"][0];
  ASSERT_EQ(ring.size(), 4u);
  EXPECT_EQ(ring[1][0].as<double>(), 10.5);
  EXPECT_EQ(ring[1][1].as<double>(), 50);
}

TEST(WorkspaceYamlTest, WritesListParametersAsSequences) {
  const YAML::Node detectors =
      YAML::Load(WorkspaceYaml(SmallSpec(), "c"))["indicators"][0]["detectors"];
  const YAML::Node levels = detectors[0]["params"]["levels"];
  ASSERT_TRUE(levels.IsSequence());
  EXPECT_EQ(levels.size(), 3u);
  EXPECT_EQ(levels[2].as<double>(), 3.5);
  EXPECT_FALSE(detectors[1]["params"]);
}

TEST(WorkspaceYamlTest, LeavesOutMissingPolicyLevels) {
  const YAML::Node levels = YAML::Load(WorkspaceYaml(SmallSpec(), "c"))["policies"][0]["levels"];
  EXPECT_EQ(levels["blue"].as<double>(), 1.0);
  EXPECT_FALSE(levels["yellow"]);
  EXPECT_EQ(levels["red"].as<double>(), 8.0);
}

}  // namespace
}  // namespace vigil::sim
