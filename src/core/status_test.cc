#include "core/status.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) {
    return InvalidArgument("odd");
  }
  return x / 2;
}

Result<int> Quarter(int x) {
  VIGIL_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, ToStringNamesCodeAndMessage) {
  EXPECT_EQ(NotFound("no region 'X'").ToString(), "not-found: no region 'X'");
}

TEST(StatusTest, WithContextPrefixesMessage) {
  EXPECT_EQ(InvalidArgument("bad").WithContext("data.csv:3").message(), "data.csv:3: bad");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(ResultTest, CarriesValueOrStatus) {
  EXPECT_EQ(*Half(4), 2);
  EXPECT_EQ(Half(3).status().code(), StatusCode::kInvalidArgument);
}

TEST(ResultTest, AssignOrReturnPropagatesError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_FALSE(Quarter(6).ok());
  EXPECT_FALSE(Quarter(5).ok());
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternalError) {
  Result<int> r{Status::Ok()};
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace vigil
