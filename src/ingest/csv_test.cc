#include "ingest/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil {
namespace {

struct Row {
  std::int64_t line;
  std::vector<std::string> fields;
  std::string text;
  std::string error;
  bool operator==(const Row&) const = default;
};

void PrintTo(const Row& r, std::ostream* os) {
  *os << r.line << " [" << testing::PrintToString(r.fields) << "] '" << r.text << "' " << r.error;
}

// Reads every record of `input` through a window of `capacity` bytes.
std::vector<Row> ReadAll(std::string_view input, std::size_t capacity = 4096) {
  StringSource source(input);
  InputBuffer buffer(source, capacity);
  CsvReader reader(buffer);
  CsvRecord record;
  std::vector<Row> rows;
  for (;;) {
    Result<bool> more = reader.Next(record);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) {
      return rows;
    }
    rows.push_back({record.line,
                    {record.fields.begin(), record.fields.end()},
                    std::string(record.text),
                    record.error});
  }
}

TEST(CsvReaderTest, SplitsPlainLines) {
  EXPECT_EQ(ReadAll("a,b,c\n1,,3\n"),
            (std::vector<Row>{{1, {"a", "b", "c"}, "a,b,c", ""}, {2, {"1", "", "3"}, "1,,3", ""}}));
}

TEST(CsvReaderTest, ReadsLastLineWithoutLineEnd) {
  EXPECT_EQ(ReadAll("a,b\n1,2"),
            (std::vector<Row>{{1, {"a", "b"}, "a,b", ""}, {2, {"1", "2"}, "1,2", ""}}));
}

TEST(CsvReaderTest, AcceptsCrLfLineEnds) {
  EXPECT_EQ(ReadAll("a,b\r\n1,\r\n"),
            (std::vector<Row>{{1, {"a", "b"}, "a,b", ""}, {2, {"1", ""}, "1,", ""}}));
}

TEST(CsvReaderTest, SkipsByteOrderMark) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBF"
                    "a,b\n"),
            (std::vector<Row>{{1, {"a", "b"}, "a,b", ""}}));
}

TEST(CsvReaderTest, SkipsEmptyLinesButCountsThem) {
  EXPECT_EQ(ReadAll("a\n\n\r\nb\n\n"),
            (std::vector<Row>{{1, {"a"}, "a", ""}, {4, {"b"}, "b", ""}}));
}

TEST(CsvReaderTest, EmptyInputHasNoRecords) {
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").empty());
}

TEST(CsvReaderTest, UnquotesQuotedFields) {
  EXPECT_EQ(
      ReadAll("\"a,1\",\"say \"\"hi\"\"\",\"\"\n"),
      (std::vector<Row>{{1, {"a,1", "say \"hi\"", ""}, "\"a,1\",\"say \"\"hi\"\"\",\"\"", ""}}));
}

TEST(CsvReaderTest, KeepsLineBreaksInsideQuotesAndCountsThem) {
  const std::vector<Row> rows = ReadAll("x,\"one\r\ntwo\nthree\"\r\nnext,1\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"x", "one\r\ntwo\nthree"}));
  EXPECT_EQ(rows[0].text, "x,\"one\r\ntwo\nthree\"");
  EXPECT_EQ(rows[1], (Row{4, {"next", "1"}, "next,1", ""}));
}

TEST(CsvReaderTest, QuotedFieldAtEndOfInputWithoutLineEnd) {
  EXPECT_EQ(ReadAll("a,\"b\""), (std::vector<Row>{{1, {"a", "b"}, "a,\"b\"", ""}}));
}

TEST(CsvReaderTest, ReportsStrayQuoteAndResumes) {
  const std::vector<Row> rows = ReadAll("ab\"c,d\nok\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].error,
            "a quote inside an unquoted field (quote the whole field and double the quote)");
  EXPECT_EQ(rows[1], (Row{2, {"ok"}, "ok", ""}));
}

TEST(CsvReaderTest, ReportsTextAfterClosingQuote) {
  const std::vector<Row> rows = ReadAll("\"ab\"c,d\nok\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].error, "text after the closing quote of a field");
  EXPECT_EQ(rows[1].fields, std::vector<std::string>{"ok"});
}

TEST(CsvReaderTest, ReportsUnclosedQuote) {
  const std::vector<Row> rows = ReadAll("a,\"b\nc\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].error, "a quoted field is not closed before the end of the input");
}

TEST(CsvReaderTest, SameRecordsWhateverTheWindowSize) {
  const std::string input = "h1,h2\n\"a\"\"\",\"x\ny\"\r\nplain,2\n\"q\",\"\"\"\"\n";
  const std::vector<Row> expected = ReadAll(input, 1 << 16);
  ASSERT_EQ(expected.size(), 4u);
  for (std::size_t capacity = 1; capacity < 24; ++capacity) {
    EXPECT_EQ(ReadAll(input, capacity), expected) << "capacity " << capacity;
  }
}

TEST(CsvReaderTest, ReadsVeryLongLines) {
  const std::string long_field(3 << 20, 'x');
  const std::vector<Row> rows = ReadAll("a," + long_field + "\n\"" + long_field + "\",b\n", 64);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[1].size(), long_field.size());
  EXPECT_EQ(rows[1].fields[0].size(), long_field.size());
  EXPECT_EQ(rows[1].line, 2);
}

TEST(CsvReaderTest, RefusesRecordLongerThanTheMaximum) {
  const std::string input = "a\n" + std::string(100, 'x') + "\n";
  StringSource source(input);
  InputBuffer buffer(source, 16, 64);
  CsvReader reader(buffer);
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(record));
  Result<bool> second = reader.Next(record);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(),
            "line 2: a record is longer than 64 bytes, the most one record may hold");
}

TEST(CsvFieldTest, QuotesOnlyWhenNeeded) {
  std::string out;
  AppendCsvField("plain", out);
  out += ',';
  AppendCsvField("a,\"b\"", out);
  out += ',';
  AppendCsvField("x\ny", out);
  EXPECT_EQ(out, "plain,\"a,\"\"b\"\"\",\"x\ny\"");
}

}  // namespace
}  // namespace vigil
