// The warning-stage parts of the catalogue: policy hysteresis, combine,
// group, acknowledge_within and refresh_every, and the agencies section.
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace vigil {
namespace {

constexpr const char* kValid = R"(domains:
  - id: health
regions:
  - code: XA
  - code: XA-01
    parent: XA
policies:
  - id: outbreak
    hazard: infectious-disease
    levels: { blue: 1, yellow: 2, orange: 4, red: 8 }
    demote_after: 1d
    hysteresis:
      red: { promote_after: 30m, demote_after: 6h }
    combine: { rule: k-of-n, k: 2, window: 7d }
    group: { min_children: 2, level: orange }
    acknowledge_within: { red: 1m, orange: 3m }
    refresh_every: 15m
indicators:
  - id: cases
    domain: health
    frequency: daily
    policy: outbreak
agencies:
  - id: district
    name: District office
    regions: [XA-01]
    domains: [health]
    channels:
      - { kind: webhook, target: "https://district.example.org/vigil", secret_env: DISTRICT_KEY }
    escalate_to: province
  - id: province
    regions: [XA]
    channels:
      - { kind: alertmanager, target: "http://127.0.0.1:9093" }
)";

// kValid with `from` replaced by `to` (which must occur).
std::string Edit(const std::string& from, const std::string& to) {
  std::string text = kValid;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

std::string OnlyProblem(const std::string& text) {
  std::vector<ConfigProblem> problems = CheckCatalogueText(text, "workspace.yaml").problems;
  EXPECT_EQ(problems.size(), 1u);
  return problems.empty() ? "" : problems[0].ToString();
}

TEST(WarningRulesConfigTest, PolicyRulesLoad) {
  auto catalogue = LoadCatalogueText(kValid, "workspace.yaml");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  const WarningPolicy& p = *catalogue->FindPolicy("outbreak");
  EXPECT_EQ(p.promote_after[3], std::chrono::minutes(30));
  EXPECT_EQ(p.promote_after[2], Duration{0});
  EXPECT_EQ(p.DemoteAfter(4), std::chrono::hours(6));
  EXPECT_EQ(p.DemoteAfter(3), std::chrono::hours(24));
  EXPECT_EQ(p.combine, CombineRule::kKOfN);
  EXPECT_EQ(p.combine_k, 2);
  EXPECT_EQ(p.CombineWindow(), std::chrono::hours(24 * 7));
  EXPECT_EQ(p.group_min_children, 2);
  EXPECT_EQ(p.group_level, 3);
  EXPECT_EQ(p.acknowledge_within[3], std::chrono::minutes(1));
  EXPECT_FALSE(p.acknowledge_within[1].has_value());  // listing levels replaces the defaults
  EXPECT_EQ(p.refresh_every, std::chrono::minutes(15));
}

TEST(WarningRulesConfigTest, DefaultsWithoutTheNewKeys) {
  auto catalogue = LoadCatalogueText(
      Edit("    hysteresis:\n      red: { promote_after: 30m, demote_after: 6h }\n"
           "    combine: { rule: k-of-n, k: 2, window: 7d }\n"
           "    group: { min_children: 2, level: orange }\n"
           "    acknowledge_within: { red: 1m, orange: 3m }\n    refresh_every: 15m\n",
           ""),
      "workspace.yaml");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  const WarningPolicy& p = *catalogue->FindPolicy("outbreak");
  EXPECT_EQ(p.combine, CombineRule::kAny);
  EXPECT_EQ(p.CombineWindow(), p.expire_after);
  EXPECT_EQ(p.group_min_children, 0);
  EXPECT_EQ(p.DemoteAfter(4), std::chrono::hours(24));
  EXPECT_EQ(p.acknowledge_within[3], std::chrono::minutes(1));
  EXPECT_EQ(p.acknowledge_within[2], std::chrono::minutes(3));
  EXPECT_EQ(p.acknowledge_within[1], std::chrono::minutes(5));
  EXPECT_FALSE(p.acknowledge_within[0].has_value());
}

TEST(WarningRulesConfigTest, ShortLivedWarningsRefreshMoreOftenByDefault) {
  auto catalogue = LoadCatalogueText(Edit("    refresh_every: 15m\n", "    expire_after: 1h\n"),
                                     "workspace.yaml");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  EXPECT_EQ(catalogue->FindPolicy("outbreak")->refresh_every, std::chrono::minutes(15));
}

TEST(WarningRulesConfigTest, AgenciesLoad) {
  auto catalogue = LoadCatalogueText(kValid, "workspace.yaml");
  ASSERT_TRUE(catalogue.ok());
  const Agency* district = catalogue->FindAgency("district");
  ASSERT_NE(district, nullptr);
  EXPECT_EQ(district->name, "District office");
  EXPECT_EQ(district->regions, std::vector<std::string>{"XA-01"});
  EXPECT_EQ(district->domains, std::vector<std::string>{"health"});
  ASSERT_EQ(district->channels.size(), 1u);
  EXPECT_EQ(district->channels[0].kind, "webhook");
  EXPECT_EQ(district->channels[0].target, "https://district.example.org/vigil");
  EXPECT_EQ(district->channels[0].secret_env, "DISTRICT_KEY");
  EXPECT_EQ(district->escalate_to, "province");
  EXPECT_TRUE(catalogue->FindAgency("province")->domains.empty());
}

TEST(WarningRulesConfigTest, UnknownCombineRule) {
  EXPECT_EQ(OnlyProblem(Edit("rule: k-of-n, k: 2", "rule: most")),
            "workspace.yaml:14:22: policies[0].combine.rule: unknown combine rule 'most' "
            "(expected any, all or k-of-n)");
}

TEST(WarningRulesConfigTest, KOfNNeedsK) {
  EXPECT_EQ(OnlyProblem(Edit("k: 2, ", "")),
            "workspace.yaml:14:14: policies[0].combine.k: rule k-of-n needs 'k', the number of "
            "indicators that must agree");
}

TEST(WarningRulesConfigTest, KOnlyForKOfN) {
  EXPECT_EQ(
      OnlyProblem(Edit("rule: k-of-n", "rule: all")),
      "workspace.yaml:14:30: policies[0].combine.k: 'k' only applies to rule k-of-n, not all");
}

TEST(WarningRulesConfigTest, GroupLevelMustBeALevel) {
  EXPECT_EQ(OnlyProblem(Edit("level: orange", "level: purple")),
            "workspace.yaml:15:38: policies[0].group.level: unknown level 'purple' (expected 1 "
            "to 4 or blue, yellow, orange, red)");
}

TEST(WarningRulesConfigTest, GroupNeedsMinChildren) {
  EXPECT_EQ(OnlyProblem(Edit("min_children: 2, ", "")),
            "workspace.yaml:15:12: policies[0].group.min_children: 'min_children' is required");
}

TEST(WarningRulesConfigTest, HysteresisUnknownKey) {
  EXPECT_NE(OnlyProblem(Edit("promote_after: 30m", "promote: 30m"))
                .find("workspace.yaml:13:14: policies[0].hysteresis.red.promote: unknown key"),
            std::string::npos);
}

TEST(WarningRulesConfigTest, AcknowledgeDeadlineMustBePositive) {
  EXPECT_EQ(OnlyProblem(Edit("red: 1m, orange", "red: 0, orange")),
            "workspace.yaml:16:32: policies[0].acknowledge_within.red: a deadline must be longer "
            "than 0");
}

TEST(WarningRulesConfigTest, AgencyRegionMustBeDeclared) {
  EXPECT_EQ(OnlyProblem(Edit("regions: [XA-01]", "regions: [XA-02]")),
            "workspace.yaml:26:15: agencies[0].regions[0]: unknown region 'XA-02' (did you mean "
            "'XA-01'?)");
}

TEST(WarningRulesConfigTest, AgencyNeedsRegions) {
  EXPECT_EQ(OnlyProblem(Edit("    regions: [XA]\n", "")),
            "workspace.yaml:31:5: agencies[1].regions: 'regions' is required: the regions this "
            "agency is responsible for");
}

TEST(WarningRulesConfigTest, EscalationTargetMustBeAnAgency) {
  EXPECT_EQ(OnlyProblem(Edit("escalate_to: province", "escalate_to: provinse")),
            "workspace.yaml:30:18: agencies[0].escalate_to: unknown agency 'provinse' (did you "
            "mean 'province'?)");
}

TEST(WarningRulesConfigTest, UnknownChannelKind) {
  EXPECT_EQ(OnlyProblem(Edit("kind: webhook", "kind: email")),
            "workspace.yaml:29:17: agencies[0].channels[0].kind: unknown channel kind 'email' "
            "(expected one of webhook, alertmanager)");
}

TEST(WarningRulesConfigTest, ChannelTargetMustBeAnHttpUrl) {
  EXPECT_EQ(OnlyProblem(Edit("\"https://district.example.org/vigil\"", "duty@example.org")),
            "workspace.yaml:29:34: agencies[0].channels[0].target: 'duty@example.org' is not a "
            "valid URL: it must start with http:// or https://");
}

TEST(WarningRulesConfigTest, ChannelTargetIsRequired) {
  EXPECT_EQ(OnlyProblem(Edit("target: \"http://127.0.0.1:9093\" ", "")),
            "workspace.yaml:34:9: agencies[1].channels[0].target: 'target' is required");
}

TEST(WarningRulesConfigTest, SecretEnvMustBeAVariableName) {
  EXPECT_EQ(OnlyProblem(Edit("secret_env: DISTRICT_KEY", "secret_env: district-key")),
            "workspace.yaml:29:84: agencies[0].channels[0].secret_env: 'district-key' is not an "
            "environment variable name (use letters, digits and '_', not starting with a digit)");
}

TEST(WarningRulesConfigTest, SecretEnvOnlyForWebhooks) {
  EXPECT_EQ(OnlyProblem(Edit("9093\" }", "9093\", secret_env: AM_KEY }")),
            "workspace.yaml:34:76: agencies[1].channels[0].secret_env: secret_env only applies "
            "to webhook channels");
}

TEST(WarningRulesConfigTest, RefreshMustBeShorterThanExpiry) {
  EXPECT_EQ(OnlyProblem(Edit("refresh_every: 15m", "refresh_every: 4d")),
            "workspace.yaml:17:20: policies[0].refresh_every: refresh_every (4d) must be shorter "
            "than expire_after (3d)");
}

TEST(WarningRulesConfigTest, AgencyDomainMustBeDeclared) {
  EXPECT_EQ(OnlyProblem(Edit("domains: [health]", "domains: [helth]")),
            "workspace.yaml:27:15: agencies[0].domains[0]: unknown domain 'helth' (did you mean "
            "'health'?)");
}

}  // namespace
}  // namespace vigil
