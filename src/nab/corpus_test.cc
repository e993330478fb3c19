#include "nab/corpus.h"

#include <gtest/gtest.h>

#include "nab/nab_testing.h"

namespace vigil::nab {
namespace {

TEST(NabCorpus, ParsesTimestampsWithAndWithoutFraction) {
  ASSERT_TRUE(ParseTimestamp("2014-04-10 07:15:00").ok());
  EXPECT_EQ(*ParseTimestamp("1970-01-02 00:00:01"), 86401);
  EXPECT_EQ(*ParseTimestamp("2014-04-10 07:15:00.000000"), *ParseTimestamp("2014-04-10 07:15:00"));
}

TEST(NabCorpus, RejectsAMalformedTimestamp) {
  const Result<std::int64_t> t = ParseTimestamp("2014-13-10 07:15:00");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("2014-13-10 07:15:00"), std::string::npos);
}

TEST(NabCorpus, RejectsANegativeTimestampField) {
  for (const char* text : {"2015-02-28 23:29:-9", "2015-02-28 -1:29:09", "2015-02--1 23:29:09"}) {
    EXPECT_FALSE(ParseTimestamp(text).ok()) << text;
  }
}

TEST(NabCorpus, ParsesADataFile) {
  const Result<DataFile> file =
      ParseDataFile("timestamp,value\n2014-04-01 00:00:00,1.5\r\n2014-04-01 00:05:00,2\n", "f");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->values, (std::vector<double>{1.5, 2}));
  EXPECT_EQ(file->timestamp_text[1], "2014-04-01 00:05:00");
  EXPECT_EQ(file->timestamps[1] - file->timestamps[0], 300);
}

TEST(NabCorpus, ErrorNamesFileLineAndField) {
  const Result<DataFile> file =
      ParseDataFile("timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,x\n", "f.csv");
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("f.csv:3: field value"), std::string::npos);
}

TEST(NabCorpus, RejectsAWrongHeader) {
  const Result<DataFile> file = ParseDataFile("time,value\n", "f.csv");
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("f.csv:1"), std::string::npos);
}

TEST(NabCorpus, ReadsFilesWindowsAndProfiles) {
  const Result<Corpus> corpus = ReadCorpus(testing::WriteTinyCorpus("vigil_nab_corpus").string());
  ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
  ASSERT_EQ(corpus->files.size(), 2u);
  EXPECT_EQ(corpus->files[0].category, "catA");
  EXPECT_EQ(corpus->files[0].name, "one");
  EXPECT_EQ(corpus->files[0].values.size(), 600u);
  ASSERT_EQ(corpus->files[1].windows.size(), 1u);
  EXPECT_EQ(corpus->files[1].windows[0].end - corpus->files[1].windows[0].start, 20 * 300);
  ASSERT_EQ(corpus->profiles.size(), 3u);
  EXPECT_EQ(corpus->profiles[2].name, "reward_low_FN_rate");
  EXPECT_EQ(corpus->profiles[2].fn_weight, 2.0);
}

TEST(NabCorpus, MissingDataFileIsNamed) {
  const std::filesystem::path root = testing::WriteTinyCorpus("vigil_nab_missing");
  std::filesystem::remove(root / "data/catB/two.csv");
  const Result<Corpus> corpus = ReadCorpus(root.string());
  ASSERT_FALSE(corpus.ok());
  EXPECT_EQ(corpus.status().code(), StatusCode::kIoError);
  EXPECT_NE(corpus.status().message().find("catB/two.csv"), std::string::npos);
}

}  // namespace
}  // namespace vigil::nab
