#include "ingest/sources.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil {
namespace {

Catalogue WithSources(std::vector<DataSource> sources) {
  return Catalogue({}, {}, {}, {}, {}, std::move(sources));
}

TEST(SourcesTest, CatalogueFileSourcesAreResolvedNamedAndSourcedByTheirId) {
  const Catalogue catalogue =
      WithSources({{.id = "weekly", .kind = "file", .path = "data/cases.csv"},
                   {.id = "lab-feed", .kind = "file", .path = "data/feed.txt", .format = "jsonl"},
                   {.id = "unknown", .kind = "file", .path = "data/other.dat"}});
  const Result<std::vector<InputSpec>> inputs = CatalogueInputs("/srv/ws", catalogue, std::nullopt);
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  ASSERT_EQ(inputs->size(), 3u);
  EXPECT_EQ((*inputs)[0].path, "/srv/ws/data/cases.csv");
  EXPECT_EQ((*inputs)[0].name, "data/cases.csv");
  EXPECT_EQ((*inputs)[0].default_source, "weekly");
  EXPECT_EQ((*inputs)[0].format, InputFormat::kCsv);
  EXPECT_EQ((*inputs)[1].format, InputFormat::kJsonl) << "the declared format, not the name's";
  EXPECT_EQ((*inputs)[1].default_source, "lab-feed");
  EXPECT_EQ((*inputs)[2].format, std::nullopt) << "sniffed when read";
}

TEST(SourcesTest, AForcedFormatOverridesTheDeclaredOne) {
  const Catalogue catalogue =
      WithSources({{.id = "lab-feed", .kind = "file", .path = "data/feed.txt", .format = "jsonl"}});
  const Result<std::vector<InputSpec>> inputs = CatalogueInputs("ws", catalogue, InputFormat::kCsv);
  ASSERT_TRUE(inputs.ok());
  ASSERT_EQ(inputs->size(), 1u);
  EXPECT_EQ((*inputs)[0].format, InputFormat::kCsv);
  EXPECT_EQ((*inputs)[0].path, "ws/data/feed.txt");
}

TEST(SourcesTest, ACommandLineFileIsNamedAndSourcedByItsPath) {
  const InputSpec file = CommandLineInput("in/cases.jsonl", std::nullopt);
  EXPECT_EQ(file.path, "in/cases.jsonl");
  EXPECT_EQ(file.name, "in/cases.jsonl");
  EXPECT_EQ(file.default_source, "in/cases.jsonl");
  EXPECT_EQ(file.format, InputFormat::kJsonl);
  const InputSpec stdin_input = CommandLineInput("-", InputFormat::kCsv);
  EXPECT_EQ(stdin_input.name, "stdin");
  EXPECT_EQ(stdin_input.format, InputFormat::kCsv);
}

}  // namespace
}  // namespace vigil
