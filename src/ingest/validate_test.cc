#include "ingest/validate.h"

#include <gtest/gtest.h>

#include "ingest/ingest_testing.h"

namespace vigil {
namespace {

RawValue Text(std::string_view text) { return {.kind = RawValue::Kind::kText, .text = text}; }
RawValue Number(double number) { return {.kind = RawValue::Kind::kNumber, .number = number}; }

RawRecord Weekly(std::string_view time, RawValue value) {
  return {
      .line = 17, .indicator = "salmonella-cases", .region = "XA-01", .time = time, .value = value};
}

class ValidatorTest : public ::testing::Test {
 protected:
  std::string Error(const RawRecord& record) {
    Result<ValidRecord> valid = validator_.Validate(record);
    EXPECT_FALSE(valid.ok());
    return valid.ok() ? std::string() : valid.status().message();
  }

  Catalogue catalogue_ = testing_catalogue::Make();
  Validator validator_{catalogue_};
};

TEST_F(ValidatorTest, AcceptsAValidRecord) {
  RawRecord record = Weekly("2024-W09", Text("17"));
  record.denominator = Text("1000.5");
  record.source = "lab";
  Result<ValidRecord> valid = validator_.Validate(record);
  ASSERT_TRUE(valid.ok()) << valid.status().ToString();
  EXPECT_EQ(valid->indicator, catalogue_.FindIndicator("salmonella-cases"));
  EXPECT_EQ(valid->region, catalogue_.FindRegion("XA-01"));
  EXPECT_EQ(valid->time, *ParseIsoWeek("2024-W09"));
  EXPECT_EQ(valid->value, 17);
  EXPECT_EQ(valid->denominator, 1000.5);
  EXPECT_EQ(valid->source, "lab");
}

TEST_F(ValidatorTest, AcceptsJsonNumbers) {
  Result<ValidRecord> valid = validator_.Validate(Weekly("2024-W09", Number(3)));
  ASSERT_TRUE(valid.ok());
  EXPECT_EQ(valid->value, 3);
  EXPECT_EQ(valid->denominator, std::nullopt);
}

TEST_F(ValidatorTest, UnknownIndicator) {
  RawRecord record = Weekly("2024-W09", Text("1"));
  record.indicator = "cholera";
  EXPECT_EQ(Error(record), "indicator: 'cholera' is not in the catalogue");
}

TEST_F(ValidatorTest, MissingIndicator) {
  RawRecord record = Weekly("2024-W09", Text("1"));
  record.indicator = "";
  EXPECT_EQ(Error(record), "indicator: missing");
}

TEST_F(ValidatorTest, UnknownRegion) {
  RawRecord record = Weekly("2024-W09", Text("1"));
  record.region = "XB-01";
  EXPECT_EQ(Error(record), "region: 'XB-01' is not in the catalogue");
}

TEST_F(ValidatorTest, TimeNotInTheIndicatorsFrequency) {
  EXPECT_EQ(Error(Weekly("2024-03-01", Text("1"))),
            "time: '2024-03-01' is not an ISO week like 2024-W09 (indicator salmonella-cases is "
            "weekly)");
}

TEST_F(ValidatorTest, HourlyTimeNotOnTheHour) {
  RawRecord record = {.indicator = "river-level",
                      .region = "XA",
                      .time = "2024-03-01T10:30:00Z",
                      .value = Text("1.2")};
  EXPECT_EQ(Error(record),
            "time: '2024-03-01T10:30:00Z' is not on a whole hour, as an hourly indicator needs "
            "(indicator river-level is hourly)");
}

TEST_F(ValidatorTest, MissingTime) { EXPECT_EQ(Error(Weekly("", Text("1"))), "time: missing"); }

TEST_F(ValidatorTest, MissingValue) {
  EXPECT_EQ(Error(Weekly("2024-W09", RawValue{})), "value: missing");
}

TEST_F(ValidatorTest, ValueNotANumber) {
  EXPECT_EQ(Error(Weekly("2024-W09", Text("12 cases"))), "value: '12 cases' is not a number");
}

TEST_F(ValidatorTest, ValueNotFinite) {
  EXPECT_EQ(Error(Weekly("2024-W09", Text("inf"))), "value: 'inf' is not a finite number");
}

TEST_F(ValidatorTest, NegativeCount) {
  EXPECT_EQ(Error(Weekly("2024-W09", Text("-3"))),
            "value: -3 is negative, but indicator salmonella-cases is a count");
}

TEST_F(ValidatorTest, FractionalCount) {
  EXPECT_EQ(Error(Weekly("2024-W09", Number(2.5))),
            "value: 2.5 is not a whole number, but indicator salmonella-cases is a count");
}

TEST_F(ValidatorTest, NegativeLevelIsAllowed) {
  RawRecord record = {.indicator = "gas-ppm",
                      .region = "XA-02",
                      .time = "2024-03-01T10:00:00.5+08:00",
                      .value = Text("-0.25")};
  EXPECT_TRUE(validator_.Validate(record).ok());
}

TEST_F(ValidatorTest, DenominatorNotPositive) {
  RawRecord record = Weekly("2024-W09", Text("1"));
  record.denominator = Text("0");
  EXPECT_EQ(Error(record), "denominator: 0 is not positive");
}

TEST_F(ValidatorTest, DenominatorNotANumber) {
  RawRecord record = Weekly("2024-W09", Text("1"));
  record.denominator = Text("many");
  EXPECT_EQ(Error(record), "denominator: 'many' is not a number");
}

TEST_F(ValidatorTest, DenominatorNotFinite) {
  RawRecord record = Weekly("2024-W09", Text("1"));
  record.denominator = Text("nan");
  EXPECT_EQ(Error(record), "denominator: 'nan' is not a finite number");
}

TEST_F(ValidatorTest, RecordErrorIsPassedOn) {
  RawRecord record = Weekly("2024-W09", Text("1"));
  record.error = "record: 3 fields, but the header has 4 columns";
  EXPECT_EQ(Error(record), "record: 3 fields, but the header has 4 columns");
}

TEST(ParseNumberTest, WholeTextOnly) {
  EXPECT_EQ(ParseNumber("1e3"), 1000);
  EXPECT_EQ(ParseNumber("-0.5"), -0.5);
  EXPECT_EQ(ParseNumber("1.5x"), std::nullopt);
  EXPECT_EQ(ParseNumber(" 1"), std::nullopt);
  EXPECT_EQ(ParseNumber(""), std::nullopt);
}

}  // namespace
}  // namespace vigil
