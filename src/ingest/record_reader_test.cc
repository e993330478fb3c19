#include "ingest/record_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil {
namespace {

struct Read {
  std::vector<RawRecord> records;  // views valid only while reading; see Fields
  std::vector<std::string> fields;
  std::string rejects;
};

// "line|indicator|region|time|value|denominator|source|error", value and
// denominator shown as "-" absent, "t:TEXT" or "n:NUMBER".
std::string Describe(const RawRecord& r) {
  const auto value = [](const RawValue& v) {
    switch (v.kind) {
      case RawValue::Kind::kAbsent:
        return std::string("-");
      case RawValue::Kind::kText:
        return "t:" + std::string(v.text);
      case RawValue::Kind::kNumber:
        return "n:" + testing::PrintToString(v.number);
    }
    return std::string();
  };
  return std::to_string(r.line) + "|" + std::string(r.indicator) + "|" + std::string(r.region) +
         "|" + std::string(r.time) + "|" + value(r.value) + "|" + value(r.denominator) + "|" +
         std::string(r.source) + "|" + r.error;
}

// Reads every record, rejecting each with the reason "why".
Result<Read> ReadAll(InputFormat format, std::string_view input) {
  StringSource source(input);
  InputBuffer buffer(source, 8);
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<RecordReader> reader,
                         OpenRecordReader(format, buffer, "in.txt"));
  Read read;
  read.rejects = reader->RejectHeader();
  RawRecord record;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(const bool more, reader->Next(record));
    if (!more) {
      return read;
    }
    read.fields.push_back(Describe(record));
    reader->AppendReject("why", read.rejects);
  }
}

std::vector<std::string> Fields(InputFormat format, std::string_view input) {
  Result<Read> read = ReadAll(format, input);
  EXPECT_TRUE(read.ok()) << read.status().ToString();
  return read.ok() ? read->fields : std::vector<std::string>{};
}

TEST(CsvRecordReaderTest, MapsColumnsInAnyOrder) {
  EXPECT_EQ(Fields(InputFormat::kCsv,
                   "time,value,region,indicator,source,denominator\n"
                   "2024-W09,17,XA-01,salmonella-cases,lab,1000\n"
                   "2024-W10,,XA-01,salmonella-cases,,\n"),
            (std::vector<std::string>{"2|salmonella-cases|XA-01|2024-W09|t:17|t:1000|lab|",
                                      "3|salmonella-cases|XA-01|2024-W10|-|-||"}));
}

TEST(CsvRecordReaderTest, OptionalColumnsMayBeLeftOut) {
  EXPECT_EQ(Fields(InputFormat::kCsv, "indicator,region,time,value\nflu,XA,2024-03,4\n"),
            (std::vector<std::string>{"2|flu|XA|2024-03|t:4|-||"}));
}

TEST(CsvRecordReaderTest, RejectsUnknownColumn) {
  EXPECT_EQ(ReadAll(InputFormat::kCsv, "indicator,region,time,value,count\n").status().message(),
            "in.txt:1: header: unknown column 'count' (expected indicator, region, time, value "
            "and optionally denominator and source)");
}

TEST(CsvRecordReaderTest, RejectsMissingColumn) {
  EXPECT_EQ(ReadAll(InputFormat::kCsv, "\n\nindicator,region,value\n").status().message(),
            "in.txt:3: header: missing column 'time' (expected indicator, region, time, value "
            "and optionally denominator and source)");
}

TEST(CsvRecordReaderTest, RejectsDuplicateColumn) {
  EXPECT_EQ(ReadAll(InputFormat::kCsv, "indicator,region,time,value,time\n").status().message(),
            "in.txt:1: header: column 'time' appears twice");
}

TEST(CsvRecordReaderTest, RejectsEmptyInput) {
  EXPECT_EQ(ReadAll(InputFormat::kCsv, "").status().message(),
            "in.txt: no header row; a CSV file starts with one, like indicator,region,time,value");
}

TEST(CsvRecordReaderTest, ReportsWrongFieldCount) {
  EXPECT_EQ(Fields(InputFormat::kCsv, "indicator,region,time,value\na,b,c\na,b,c,d,e\n"),
            (std::vector<std::string>{"2||||-|-||record: 3 fields, but the header has 4 columns",
                                      "3||||-|-||record: 5 fields, but the header has 4 columns"}));
}

TEST(CsvRecordReaderTest, ReportsMalformedQuoting) {
  EXPECT_EQ(Fields(InputFormat::kCsv, "indicator,region,time,value\na,b\"x,c,d\n"),
            (std::vector<std::string>{
                "2||||-|-||record: a quote inside an unquoted field (quote the whole field and "
                "double the quote)"}));
}

TEST(CsvRecordReaderTest, RejectLinesKeepTheOriginalTextAndAddAReason) {
  Result<Read> read =
      ReadAll(InputFormat::kCsv, "indicator,region,time,value\r\n\"a\",b,c,\"1,5\"\r\nx,y,z,1\n");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->rejects,
            "indicator,region,time,value,reject_reason\n"
            "\"a\",b,c,\"1,5\",why\n"
            "x,y,z,1,why\n");
}

TEST(JsonlRecordReaderTest, ReadsFieldsAndSkipsBlankLines) {
  EXPECT_EQ(Fields(InputFormat::kJsonl,
                   "{\"indicator\":\"gas-ppm\",\"region\":\"XA\",\"time\":\"2024-03-01T10:00:00Z\","
                   "\"value\":1.5,\"denominator\":\"20\",\"source\":\"s1\"}\n"
                   "\n  \r\n"
                   "{\"value\":\"7\",\"denominator\":null}"),
            (std::vector<std::string>{"1|gas-ppm|XA|2024-03-01T10:00:00Z|n:1.5|t:20|s1|",
                                      "4||||t:7|-||"}));
}

TEST(JsonlRecordReaderTest, ReportsInvalidJson) {
  const std::vector<std::string> fields = Fields(InputFormat::kJsonl, "{\"value\": 1,}\n");
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_TRUE(fields[0].starts_with("1||||-|-||record: not valid JSON: parse error at line 1"))
      << fields[0];
}

TEST(JsonlRecordReaderTest, ReportsNonObject) {
  EXPECT_EQ(Fields(InputFormat::kJsonl, "[1,2]\n"),
            std::vector<std::string>{"1||||-|-||record: not a JSON object"});
}

TEST(JsonlRecordReaderTest, ReportsUnknownField) {
  EXPECT_EQ(Fields(InputFormat::kJsonl, "{\"count\":1}\n"),
            std::vector<std::string>{"1||||-|-||record: unknown field 'count' (expected indicator, "
                                     "region, time, value and optionally denominator and source)"});
}

TEST(JsonlRecordReaderTest, ReportsWrongTypes) {
  EXPECT_EQ(Fields(InputFormat::kJsonl, "{\"region\":5}\n{\"value\":true}\n"),
            (std::vector<std::string>{"1||||-|-||region: expected a string",
                                      "2||||-|-||value: expected a number"}));
}

TEST(JsonlRecordReaderTest, RejectLinesAddAReasonField) {
  Result<Read> read = ReadAll(InputFormat::kJsonl, "{\"value\":1,\"region\":\"XA\"}\nnot json\n");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->rejects,
            "{\"value\":1,\"region\":\"XA\",\"reject_reason\":\"why\"}\n"
            "{\"line\":\"not json\",\"reject_reason\":\"why\"}\n");
}

TEST(InputFormatTest, FromPathAndName) {
  EXPECT_EQ(FormatFromPath("a/b.csv"), InputFormat::kCsv);
  EXPECT_EQ(FormatFromPath("b.ndjson"), InputFormat::kJsonl);
  EXPECT_EQ(FormatFromPath("b.jsonl"), InputFormat::kJsonl);
  EXPECT_EQ(FormatFromPath("b.txt"), std::nullopt);
  EXPECT_EQ(*ParseInputFormat("ndjson"), InputFormat::kJsonl);
  EXPECT_EQ(ParseInputFormat("xml").status().message(),
            "unknown format 'xml' (expected csv or jsonl)");
}

TEST(InputFormatTest, SniffsJsonByFirstByte) {
  const auto sniff = [](std::string_view text) {
    StringSource source(text);
    InputBuffer buffer(source, 2);
    Result<InputFormat> format = SniffFormat(buffer);
    EXPECT_EQ(buffer.Available().substr(0, 1), text.substr(0, 1)) << "nothing consumed";
    return *format;
  };
  EXPECT_EQ(sniff("\xEF\xBB\xBF\n  {\"a\":1}"), InputFormat::kJsonl);
  EXPECT_EQ(sniff("indicator,region"), InputFormat::kCsv);
  EXPECT_EQ(sniff(""), InputFormat::kCsv);
}

}  // namespace
}  // namespace vigil
