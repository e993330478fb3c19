#include "detect/params.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

const MethodSpec& Method(std::string_view name) {
  const MethodSpec* m = FindMethod(name);
  EXPECT_NE(m, nullptr) << name;
  return *m;
}

TEST(ParamsTest, DefaultsFollowSurveillance) {
  auto p = ParamSet::Parse(Method("farrington-flexible"), {});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->GetInt("b"), 5);
  EXPECT_EQ(p->GetInt("w"), 3);
  EXPECT_DOUBLE_EQ(p->GetDouble("alpha"), 0.05);
  EXPECT_DOUBLE_EQ(p->GetDouble("weightsThreshold"), 2.58);
  EXPECT_TRUE(p->GetBool("reweight"));
  EXPECT_FALSE(p->IsSet("pastWeeksNotIncluded"));
  EXPECT_EQ(p->GetText("thresholdMethod"), "delta");
  EXPECT_EQ(p->GetList("limit54"), (std::vector<double>{5, 4}));
}

TEST(ParamsTest, OverridesAreParsed) {
  auto p = ParamSet::Parse(Method("ears-c1"), {{"alpha", "0.01"}, {"baseline", "10"}});
  ASSERT_TRUE(p.ok());
  EXPECT_DOUBLE_EQ(p->GetDouble("alpha"), 0.01);
  EXPECT_EQ(p->GetInt("baseline"), 10);
}

TEST(ParamsTest, OutOfRangeNamesParameterAndRange) {
  auto p = ParamSet::Parse(Method("ears-c1"), {{"alpha", "1.5"}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "parameter 'alpha' of ears-c1 must be a number in [1e-12, 0.5], got '1.5'");
}

TEST(ParamsTest, WholeNumbersRejectFractions) {
  EXPECT_FALSE(ParamSet::Parse(Method("ears-c2"), {{"baseline", "7.5"}}).ok());
  EXPECT_FALSE(ParamSet::Parse(Method("ears-c2"), {{"baseline", "2"}}).ok());
}

TEST(ParamsTest, UnknownParameterSuggestsNearName) {
  auto p = ParamSet::Parse(Method("ears-c1"), {{"alfa", "0.01"}});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("did you mean 'alpha'?"), std::string::npos)
      << p.status().message();
}

TEST(ParamsTest, UnknownParameterListsKnownOnes) {
  auto p = ParamSet::Parse(Method("ears-c1"), {{"alfa", "0.01"}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "unknown parameter 'alfa' of ears-c1 (did you mean 'alpha'?; known: baseline, "
            "minSigma, alpha)");
}

TEST(ParamsTest, CheckReportsEveryProblem) {
  auto problems =
      ParamSet::Check(Method("threshold"), {{"direction", "up"}, {"window", "1"}, {"widnow", "2"}});
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].given_index, 0);
  EXPECT_EQ(problems[1].given_index, 2);
  EXPECT_EQ(problems[2].given_index, -1);
  EXPECT_NE(problems[2].status.message().find("'levels' of threshold is required"),
            std::string::npos);
}

TEST(ParamsTest, BooleansAcceptRAndLowerCase) {
  for (const char* yes : {"TRUE", "true", "1"}) {
    auto p = ParamSet::Parse(Method("farrington"), {{"trend", yes}});
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(p->GetBool("trend"));
  }
  EXPECT_FALSE(ParamSet::Parse(Method("farrington"), {{"trend", "yes"}}).ok());
}

TEST(ParamsTest, ChoicesAreChecked) {
  EXPECT_TRUE(ParamSet::Parse(Method("farrington-flexible"), {{"thresholdMethod", "muan"}}).ok());
  auto p = ParamSet::Parse(Method("farrington-flexible"), {{"thresholdMethod", "exact"}});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("delta, nbPlugin, muan"), std::string::npos);
}

TEST(ParamsTest, ListsAreBoundedInLength) {
  EXPECT_TRUE(ParamSet::Parse(Method("threshold"), {{"levels", "1,2,3,4"}}).ok());
  EXPECT_FALSE(ParamSet::Parse(Method("threshold"), {{"levels", "1,2,3,4,5"}}).ok());
  EXPECT_FALSE(ParamSet::Parse(Method("threshold"), {{"levels", "1,,3"}}).ok());
}

TEST(ParamsTest, RequiredParameterWithoutDefault) {
  auto p = ParamSet::Parse(Method("threshold"), {});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("'levels' of threshold is required"), std::string::npos);
}

TEST(ParamsTest, OptionalAcceptsNull) {
  auto p = ParamSet::Parse(Method("cusum"), {{"m", "NULL"}});
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->IsSet("m"));
  auto q = ParamSet::Parse(Method("cusum"), {{"m", "4.5"}});
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->IsSet("m"));
}

TEST(ParamsTest, UnknownMethodListsKnownOnes) {
  EXPECT_EQ(FindMethod("ears-c4"), nullptr);
  EXPECT_NE(UnknownMethod("ears-c4").message().find("did you mean 'ears-c1'?"), std::string::npos);
}

}  // namespace
}  // namespace vigil
