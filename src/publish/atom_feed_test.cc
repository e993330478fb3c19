#include "publish/atom_feed.h"

#include <gtest/gtest.h>

#include <string>

#include "publish/feed_testing.h"

namespace vigil::publish {
namespace {

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

CapAlert Message(const std::string& id, const std::string& headline) {
  CapAlert alert;
  alert.identifier = id;
  alert.sender = "alerts@cdc.example.org";
  alert.sent = {At("2024-03-01T10:00:00Z"), 0};
  CapInfo info;
  info.event = "Influenza-like illness";
  info.headline = headline;
  info.severity = "Severe";
  info.sender_name = "Jiangsu CDC";
  info.description = "ILI visits 412 > threshold 380";
  info.expires = CapTime{At("2024-03-04T10:00:00Z"), 0};
  info.areas.push_back({.area_desc = "Nanjing"});
  alert.infos.push_back(info);
  return alert;
}

FeedInput Feed() {
  FeedInput feed{.id = "https://cdc.example.org/cap/index.atom",
                 .title = "Current warnings & alerts",
                 .self_url = "https://cdc.example.org/cap/index.atom",
                 .author = "Jiangsu CDC",
                 .updated = {At("2024-03-01T12:00:00Z"), 0}};
  feed.entries.push_back(FeedEntryForCap(Message("vigil-a-1", "Orange <warning>"),
                                         "https://cdc.example.org/cap/vigil-a-1.xml"));
  feed.entries.push_back(FeedEntryForCap(Message("vigil-b-1", "Yellow warning"),
                                         "https://cdc.example.org/cap/vigil-b-1.xml"));
  return feed;
}

TEST(WriteAtomFeedTest, IsWellFormedAtom) {
  const FeedDoc d = ReadFeed(WriteAtomFeed(Feed()));
  ASSERT_NE(d.doc, nullptr);
  EXPECT_EQ(d.Eval("count(/a:feed)"), "1");
  EXPECT_EQ(d.Eval("string(/a:feed/a:title)"), "Current warnings & alerts");
  EXPECT_EQ(d.Eval("string(/a:feed/a:updated)"), "2024-03-01T12:00:00-00:00");
  EXPECT_EQ(d.Eval("string(/a:feed/a:link[@rel='self']/@href)"),
            "https://cdc.example.org/cap/index.atom");
}

TEST(WriteAtomFeedTest, HasOneEntryPerMessage) {
  const FeedDoc d = ReadFeed(WriteAtomFeed(Feed()));
  EXPECT_EQ(d.Eval("count(/a:feed/a:entry)"), "2");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/a:title)"), "Orange <warning>");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[2]/a:id)"), "https://cdc.example.org/cap/vigil-b-1.xml");
}

TEST(WriteAtomFeedTest, EntriesLinkToCapMessagesWithCapMediaType) {
  const FeedDoc d = ReadFeed(WriteAtomFeed(Feed()));
  EXPECT_EQ(d.Eval("count(/a:feed/a:entry/a:link[@rel='alternate' and "
                   "@type='application/cap+xml'])"),
            "2");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/a:link/@href)"),
            "https://cdc.example.org/cap/vigil-a-1.xml");
}

TEST(WriteAtomFeedTest, EntriesHaveAuthorUpdatedAndSummary) {
  const FeedDoc d = ReadFeed(WriteAtomFeed(Feed()));
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/a:author/a:name)"), "Jiangsu CDC");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/a:updated)"), "2024-03-01T10:00:00-00:00");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/a:summary)"), "ILI visits 412 > threshold 380");
}

TEST(WriteAtomFeedTest, RepeatsCapFieldsInCapNamespace) {
  const FeedDoc d = ReadFeed(WriteAtomFeed(Feed()));
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/cap:severity)"), "Severe");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/cap:msgType)"), "Alert");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/cap:expires)"), "2024-03-04T10:00:00-00:00");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/cap:areaDesc)"), "Nanjing");
}

TEST(WriteAtomFeedTest, EmptyFeedHasNoEntries) {
  FeedInput feed = Feed();
  feed.entries.clear();
  const FeedDoc d = ReadFeed(WriteAtomFeed(feed));
  ASSERT_NE(d.doc, nullptr);
  EXPECT_EQ(d.Eval("count(/a:feed/a:entry)"), "0");
}

TEST(FeedEntryForCapTest, FallsBackToEventAndSenderWithoutHeadlineOrSenderName) {
  CapAlert alert = Message("vigil-c-1", "");
  alert.infos[0].sender_name.clear();
  const FeedEntry entry = FeedEntryForCap(alert, "https://x.example/c.xml");
  EXPECT_EQ(entry.title, "Influenza-like illness");
  EXPECT_EQ(entry.author, "alerts@cdc.example.org");
}

}  // namespace
}  // namespace vigil::publish
