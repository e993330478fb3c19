#include "publish/warning_publication.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>

#include "config/config.h"
#include "publish/cap_validate.h"
#include "publish/feed_testing.h"
#include "publish/warning_cap.h"
#include "warn/scenario.h"

namespace vigil::publish {
namespace {

using warn::Event;
using warn::EventKind;

const std::filesystem::path kTestdata = VIGIL_PUBLISH_TESTDATA;
const std::string kNorth = "health/XA-01/infectious-disease";

// Issued yellow, raised to red, lowered to orange after red's 6 hours,
// cancelled by hand; acknowledged and escalated on the way.
constexpr const char* kRaiseLowerCancel = R"(
at 2024-03-01T00:00:00Z
signal cases region=XA-01 score=2.5 observed=12 expected=4 threshold=9
expect warning health/XA-01/infectious-disease level=2
tick +1h
signal cases region=XA-01 score=9 observed=40 expected=4 threshold=9
expect warning health/XA-01/infectious-disease level=4
tick +2m
ack health/XA-01/infectious-disease by=duty-officer
tick +1h
signal cases region=XA-01 score=4.5 observed=20 expected=4 threshold=9
tick +6h
expect warning health/XA-01/infectious-disease level=3
cancel health/XA-01/infectious-disease by=duty-officer reason="cluster contained"
expect warning health/XA-01/infectious-disease state=cancelled
)";

// Two warnings alive at once: North raised to red, Island issued by hand.
constexpr const char* kTwoWarnings = R"(
at 2024-03-01T00:00:00Z
signal cases region=XA-01 score=2.5
tick +1h
signal cases region=XA-01 score=9
tick +1h
issue health/XA-03/infectious-disease level=yellow by=duty-officer reason="precaution"
)";

testing::AssertionResult Contains(const std::string& text, std::string_view part) {
  if (text.find(part) != std::string::npos) {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure() << "'" << part << "' is not in: " << text;
}

bool MakesMessage(EventKind kind) {
  return kind == EventKind::kIssued || kind == EventKind::kUpdated ||
         kind == EventKind::kCancelled || kind == EventKind::kExpired;
}

// The events of `log` that should each make one message of warning `id`.
std::vector<Event> LifecycleOf(const std::vector<Event>& log, const std::string& id) {
  std::vector<Event> out;
  std::copy_if(log.begin(), log.end(), std::back_inserter(out),
               [&](const Event& e) { return MakesMessage(e.kind) && e.warning.id == id; });
  return out;
}

std::vector<CapAlert> MessagesOf(const std::vector<WarningMessage>& messages,
                                 const std::string& id) {
  std::vector<CapAlert> out;
  for (const WarningMessage& m : messages) {
    if (m.warning_id == id) {
      out.push_back(m.alert);
    }
  }
  return out;
}

std::string Parameter(const CapAlert& alert, std::string_view name) {
  for (const CapValuePair& p : alert.infos.at(0).parameters) {
    if (p.value_name == name) {
      return p.value;
    }
  }
  return "<none>";
}

std::vector<CapMsgType> Types(const std::vector<CapAlert>& chain) {
  std::vector<CapMsgType> out;
  for (const CapAlert& a : chain) {
    out.push_back(a.msg_type);
  }
  return out;
}

// Each message's identifier carries its sequence, and its references are
// exactly the earlier messages of the chain, oldest first.
void ExpectChain(const std::vector<CapAlert>& chain, const std::string& warning_id) {
  for (size_t i = 0; i < chain.size(); ++i) {
    const CapAlert& alert = chain[i];
    EXPECT_EQ(alert.identifier,
              WarningCapIdentifier(alert.sender, warning_id, static_cast<int>(i) + 1));
    ASSERT_EQ(alert.references.size(), i) << alert.identifier;
    for (size_t j = 0; j < i; ++j) {
      EXPECT_EQ(alert.references[j].identifier, chain[j].identifier);
      EXPECT_EQ(alert.references[j].sender, chain[j].sender);
      EXPECT_EQ(FormatCapTime(alert.references[j].sent), FormatCapTime(chain[j].sent));
    }
  }
}

// Every message passes the CAP 1.2 schema and the prose rules, without even a warning.
void ExpectAllValid(const std::vector<WarningMessage>& messages) {
  for (const WarningMessage& m : messages) {
    const std::string xml = WriteCap(m.alert);
    const CapValidation v = ValidateCap(xml);
    EXPECT_TRUE(v.findings.empty()) << xml << "\n"
                                    << (v.findings.empty() ? "" : v.findings.front().message);
  }
}

class WarningPublicationTest : public testing::Test {
 protected:
  void SetUp() override {
    Result<Catalogue> loaded = LoadCatalogueFile(kTestdata / "warnings.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    catalogue_ = std::make_unique<Catalogue>(std::move(loaded).value());
  }

  // The event log of a scenario script (docs/WARNINGS.md) run by the real
  // warning state machine on testdata/warnings.yaml.
  static std::vector<Event> Log(std::string_view script) {
    Result<warn::ScenarioOutcome> outcome =
        warn::RunScenario(fmt::format("catalogue warnings.yaml\n{}", script), "test", kTestdata);
    EXPECT_TRUE(outcome.ok()) << outcome.status().message();
    if (!outcome.ok()) {
      return {};
    }
    EXPECT_TRUE(outcome->ok()) << fmt::format("{}", fmt::join(outcome->failures, "\n"));
    return outcome->log;
  }

  std::vector<WarningMessage> Messages(const std::vector<Event>& log,
                                       CapStatus status = CapStatus::kActual) const {
    Result<std::vector<WarningMessage>> built = BuildWarningMessages(log, *catalogue_, status);
    EXPECT_TRUE(built.ok()) << built.status().message();
    return built.ok() ? std::move(built).value() : std::vector<WarningMessage>{};
  }

  std::unique_ptr<Catalogue> catalogue_;
};

TEST_F(WarningPublicationTest, IssueRaiseLowerCancelMakeAlertUpdatesAndCancel) {
  const std::vector<Event> log = Log(kRaiseLowerCancel);
  const std::vector<WarningMessage> messages = Messages(log);
  const std::vector<CapAlert> chain = MessagesOf(messages, kNorth + "/1");
  EXPECT_EQ(Types(chain), (std::vector<CapMsgType>{CapMsgType::kAlert, CapMsgType::kUpdate,
                                                   CapMsgType::kUpdate, CapMsgType::kCancel}));
  ExpectChain(chain, kNorth + "/1");
  const std::vector<Event> lifecycle = LifecycleOf(log, kNorth + "/1");
  ASSERT_EQ(chain.size(), lifecycle.size());
  for (size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(Parameter(chain[i], "vigil:level"), std::to_string(lifecycle[i].warning.level));
    EXPECT_EQ(chain[i].sent.time, lifecycle[i].at);
    EXPECT_EQ(chain[i].infos[0].expires->time, lifecycle[i].at + std::chrono::hours(72));
  }
  EXPECT_TRUE(Contains(chain[1].infos[0].headline, "Red warning raised from yellow"));
  EXPECT_TRUE(Contains(chain[2].infos[0].headline, "Orange warning lowered from red"));
  ExpectAllValid(messages);
}

TEST_F(WarningPublicationTest, CancelSaysAllClearInThePast) {
  const std::vector<CapAlert> chain = MessagesOf(Messages(Log(kRaiseLowerCancel)), kNorth + "/1");
  ASSERT_FALSE(chain.empty());
  const CapInfo& info = chain.back().infos[0];
  EXPECT_EQ(chain.back().msg_type, CapMsgType::kCancel);
  EXPECT_EQ(info.response_types, std::vector<std::string>{"AllClear"});
  EXPECT_EQ(info.urgency, "Past");
  EXPECT_TRUE(Contains(info.description, "cancelled by duty-officer: cluster contained"));
}

TEST_F(WarningPublicationTest, OtherEventsMakeNoMessage) {
  const std::vector<Event> log = Log(kRaiseLowerCancel);
  const auto count = [&](EventKind kind) {
    return std::count_if(log.begin(), log.end(), [&](const Event& e) { return e.kind == kind; });
  };
  ASSERT_GT(count(EventKind::kEvidence), 0);
  ASSERT_GT(count(EventKind::kAcknowledged), 0);
  ASSERT_GT(count(EventKind::kEscalated), 0);
  EXPECT_EQ(
      static_cast<long>(Messages(log).size()),
      std::count_if(log.begin(), log.end(), [](const Event& e) { return MakesMessage(e.kind); }));
}

TEST_F(WarningPublicationTest, MessageCarriesLevelDomainRegionAndPolicy) {
  const std::vector<WarningMessage> messages = Messages(Log(kRaiseLowerCancel));
  ASSERT_FALSE(messages.empty());
  const CapAlert& alert = messages.front().alert;
  const CapInfo& info = alert.infos.at(0);
  const WarningPolicy& policy = *catalogue_->FindPolicy("outbreak");
  EXPECT_EQ(alert.sender, catalogue_->info().sender);
  EXPECT_EQ(info.sender_name, catalogue_->info().name);
  EXPECT_EQ(info.language, catalogue_->info().language);
  EXPECT_EQ(info.severity, StyleForLevel(2)->severity);
  EXPECT_EQ(Parameter(alert, "vigil:colour"), LevelColour(2));
  EXPECT_EQ(info.categories, std::vector<std::string>{"Health"});
  EXPECT_EQ(info.urgency, policy.urgency);
  EXPECT_EQ(info.certainty, policy.certainty);
  ASSERT_EQ(info.areas.size(), 1u);
  EXPECT_EQ(info.areas[0].area_desc, "North district");
  EXPECT_EQ(info.areas[0].polygons.size(), 1u);
  ASSERT_EQ(info.areas[0].geocodes.size(), 1u);
  EXPECT_EQ(info.areas[0].geocodes[0].value, "XA-01");
}

TEST_F(WarningPublicationTest, DescriptionSaysWhyItFired) {
  const std::vector<WarningMessage> messages = Messages(Log(kRaiseLowerCancel));
  ASSERT_FALSE(messages.empty());
  const CapInfo& info = messages.front().alert.infos.at(0);
  EXPECT_TRUE(Contains(info.headline, "Yellow warning issued: infectious-disease in North"));
  for (const char* part : {"Confirmed cases (cases)", "detector ears-c2 gives yellow",
                           "observed 12", "expected (baseline) 4", "threshold 9", "score 2.5",
                           "Policy outbreak", "combined by rule any", "evidence reached yellow"}) {
    EXPECT_TRUE(Contains(info.description, part));
  }
}

TEST_F(WarningPublicationTest, ExpiryEndsTheChainWithACancel) {
  const std::vector<Event> log = Log(R"(
at 2024-03-01T00:00:00Z
signal cases region=XA-02 score=2.5
tick +3d
expect warning health/XA-02/infectious-disease state=expired
)");
  const std::vector<WarningMessage> messages = Messages(log);
  const std::vector<CapAlert> chain = MessagesOf(messages, "health/XA-02/infectious-disease/1");
  EXPECT_EQ(Types(chain), (std::vector<CapMsgType>{CapMsgType::kAlert, CapMsgType::kCancel}));
  ExpectChain(chain, "health/XA-02/infectious-disease/1");
  const std::vector<Event> lifecycle = LifecycleOf(log, "health/XA-02/infectious-disease/1");
  ASSERT_EQ(lifecycle.size(), 2u);
  EXPECT_EQ(lifecycle[1].kind, EventKind::kExpired);
  const CapInfo& info = chain.at(1).infos.at(0);
  EXPECT_TRUE(Contains(info.headline, "warning expired"));
  EXPECT_TRUE(Contains(info.description, lifecycle[1].reason));
  EXPECT_EQ(info.urgency, "Past");
  // South district has no geometry: its area is the geocode alone.
  EXPECT_TRUE(info.areas.at(0).polygons.empty());
  ExpectAllValid(messages);
}

TEST_F(WarningPublicationTest, ManualIssueNamesTheActorAndReason) {
  const std::vector<WarningMessage> messages = Messages(Log(R"(
at 2024-03-01T00:00:00Z
issue health/XA-03/infectious-disease level=orange by=duty-officer reason="hospital reports of a cluster" until=+12h
)"));
  ASSERT_EQ(messages.size(), 1u);
  const CapInfo& info = messages[0].alert.infos.at(0);
  EXPECT_EQ(messages[0].alert.msg_type, CapMsgType::kAlert);
  EXPECT_TRUE(Contains(info.description,
                       "Orange warning issued by duty-officer: hospital reports of a cluster."));
  EXPECT_TRUE(Contains(info.description, "held by hand until 2024-03-01T12:00:00Z"));
  ExpectAllValid(messages);
}

TEST_F(WarningPublicationTest, GroupedParentWarningSaysItComesFromChildRegions) {
  const std::vector<WarningMessage> messages = Messages(Log(R"(
at 2024-03-01T00:00:00Z
signal cases region=XA-01 score=4.5
signal cases region=XA-02 score=4.4
expect warning health/XA/infectious-disease level=3 state=active
)"));
  const std::vector<CapAlert> chain = MessagesOf(messages, "health/XA/infectious-disease/1");
  ASSERT_EQ(chain.size(), 1u);
  const CapInfo& info = chain[0].infos.at(0);
  EXPECT_TRUE(Contains(info.headline, "in Example province, grouped from its child regions"));
  EXPECT_TRUE(Contains(info.description, "Grouped from child regions"));
  EXPECT_TRUE(Contains(info.description, "North district (orange), South district (orange)"));
  // The province's MultiPolygon gives one polygon per part.
  EXPECT_EQ(info.areas.at(0).polygons.size(), 2u);
  ExpectAllValid(messages);
}

TEST_F(WarningPublicationTest, DrillMessagesCarryTheirStatus) {
  const std::vector<WarningMessage> messages =
      Messages(Log(kRaiseLowerCancel), CapStatus::kExercise);
  ASSERT_FALSE(messages.empty());
  for (const WarningMessage& m : messages) {
    EXPECT_EQ(m.alert.status, CapStatus::kExercise);
  }
  ExpectAllValid(messages);
}

TEST_F(WarningPublicationTest, UpdateWithoutItsIssueIsRefused) {
  const std::vector<Event> log = Log(kRaiseLowerCancel);
  const auto issued = std::find_if(log.begin(), log.end(),
                                   [](const Event& e) { return e.kind == EventKind::kIssued; });
  ASSERT_NE(issued, log.end());
  const std::span<const Event> rest(std::next(issued), log.end());
  const Result<std::vector<WarningMessage>> built = BuildWarningMessages(rest, *catalogue_);
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.status().code(), StatusCode::kFailedPrecondition);
  const auto updated = std::find_if(rest.begin(), rest.end(),
                                    [](const Event& e) { return e.kind == EventKind::kUpdated; });
  ASSERT_NE(updated, rest.end());
  EXPECT_TRUE(Contains(built.status().message(), fmt::format("event {} (updated", updated->seq)));
}

// The latest message of each warning in `messages`, in log order.
std::vector<const CapAlert*> Latest(const std::vector<WarningMessage>& messages) {
  std::map<std::string, const CapAlert*> by_warning;
  for (const WarningMessage& m : messages) {
    by_warning[m.warning_id] = &m.alert;
  }
  std::vector<const CapAlert*> out;
  for (const auto& [id, alert] : by_warning) {
    out.push_back(alert);
  }
  std::sort(out.begin(), out.end(),
            [](const CapAlert* a, const CapAlert* b) { return a->sent.time < b->sent.time; });
  return out;
}

TEST_F(WarningPublicationTest, FeedListsTheLatestMessageOfEachWarningNewestFirst) {
  const std::vector<WarningMessage> messages = Messages(Log(kTwoWarnings));
  const std::vector<const CapAlert*> latest = Latest(messages);
  ASSERT_EQ(latest.size(), 2u);
  const Timestamp now = latest[1]->sent.time + std::chrono::hours(1);
  const FeedDoc d = ReadFeed(WriteAtomFeed(CurrentFeed(messages, catalogue_->info(), {}, now)));
  ASSERT_NE(d.doc, nullptr);
  EXPECT_EQ(d.Eval("count(/a:feed/a:entry)"), "2");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/a:link/@href)"), latest[1]->identifier + ".xml");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[2]/a:link/@href)"), latest[0]->identifier + ".xml");
  EXPECT_EQ(d.Eval("count(/a:feed/a:entry/a:link[@rel='alternate' and "
                   "@type='application/cap+xml'])"),
            "2");
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/a:id)"), "urn:vigil:cap:" + latest[1]->identifier);
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[2]/cap:msgType)"), "Update");
  EXPECT_EQ(d.Eval("string(/a:feed/a:updated)"), FormatCapTime(latest[1]->sent));
}

TEST_F(WarningPublicationTest, FeedDropsMessagesThatHaveExpired) {
  const std::vector<WarningMessage> messages = Messages(Log(kTwoWarnings));
  const std::vector<const CapAlert*> latest = Latest(messages);
  ASSERT_EQ(latest.size(), 2u);
  const Timestamp first_expiry = latest[0]->infos.at(0).expires->time;
  const FeedInput feed = CurrentFeed(messages, catalogue_->info(), {}, first_expiry);
  ASSERT_EQ(feed.entries.size(), 1u);
  EXPECT_EQ(feed.entries[0].cap_url, latest[1]->identifier + ".xml");
  // The list last changed when the dropped message expired.
  EXPECT_EQ(feed.updated.time, first_expiry);
  const Timestamp all_expired = latest[1]->infos.at(0).expires->time;
  EXPECT_TRUE(CurrentFeed(messages, catalogue_->info(), {}, all_expired).entries.empty());
}

TEST_F(WarningPublicationTest, FeedWithBaseUrlLinksAbsoluteUrls) {
  const std::vector<WarningMessage> messages = Messages(Log(kTwoWarnings), CapStatus::kTest);
  const std::vector<const CapAlert*> latest = Latest(messages);
  ASSERT_EQ(latest.size(), 2u);
  const PublishOptions options{.status = CapStatus::kTest, .base_url = "https://example.org/cap/"};
  const FeedDoc d = ReadFeed(
      WriteAtomFeed(CurrentFeed(messages, catalogue_->info(), options, latest[1]->sent.time)));
  const std::string url = "https://example.org/cap/" + latest[1]->identifier + ".xml";
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/a:link/@href)"), url);
  EXPECT_EQ(d.Eval("string(/a:feed/a:entry[1]/a:id)"), url);
  EXPECT_EQ(d.Eval("string(/a:feed/a:link[@rel='self']/@href)"),
            "https://example.org/cap/index.atom");
  EXPECT_TRUE(Contains(d.Eval("string(/a:feed/a:title)"), "(Test)"));
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The inode of every file in `dir`: a file replaced by a rename gets a new one.
std::map<std::string, ino_t> Inodes(const std::filesystem::path& dir) {
  std::map<std::string, ino_t> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    struct stat st {};
    EXPECT_EQ(::stat(entry.path().c_str(), &st), 0);
    out[entry.path().filename().string()] = st.st_ino;
  }
  return out;
}

class PublishWarningsTest : public WarningPublicationTest {
 protected:
  void SetUp() override {
    WarningPublicationTest::SetUp();
    std::string pattern = testing::TempDir() + "vigil-publish-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    options_.dir = std::filesystem::path(pattern) / "cap";
  }
  void TearDown() override { std::filesystem::remove_all(options_.dir.parent_path()); }

  PublishReport Publish(std::span<const Event> log, Timestamp now) const {
    Result<PublishReport> report = PublishWarnings(log, *catalogue_, options_, now);
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : PublishReport{};
  }

  PublishOptions options_;
};

TEST_F(PublishWarningsTest, WritesEveryMessageAndTheFeed) {
  const std::vector<Event> log = Log(kTwoWarnings);
  const std::vector<WarningMessage> messages = Messages(log);
  const Timestamp now = log.back().at;
  const PublishReport report = Publish(log, now);
  EXPECT_EQ(report.written, static_cast<int>(messages.size()));
  EXPECT_EQ(report.unchanged, 0);
  EXPECT_EQ(report.feed_entries, 2);
  EXPECT_TRUE(report.feed_written);
  for (const WarningMessage& m : messages) {
    const std::string xml = ReadFile(options_.dir / (m.alert.identifier + ".xml"));
    EXPECT_EQ(xml, WriteCap(m.alert));
    EXPECT_TRUE(ValidateCap(xml).ok()) << m.alert.identifier;
  }
  const FeedDoc d = ReadFeed(ReadFile(options_.dir / "index.atom"));
  ASSERT_NE(d.doc, nullptr);
  EXPECT_EQ(d.Eval("count(/a:feed/a:entry)"), "2");
  // Nothing else: no temporary file is left behind.
  EXPECT_EQ(Inodes(options_.dir).size(), messages.size() + 1);
}

TEST_F(PublishWarningsTest, PublishingTwiceWritesNothingTheSecondTime) {
  const std::vector<Event> log = Log(kRaiseLowerCancel);
  const Timestamp now = log.back().at;
  const PublishReport first = Publish(log, now);
  const std::map<std::string, ino_t> before = Inodes(options_.dir);
  const PublishReport second = Publish(log, now);
  EXPECT_EQ(second.written, 0);
  EXPECT_EQ(second.unchanged, first.written);
  EXPECT_FALSE(second.feed_written);
  EXPECT_EQ(second.feed_entries, first.feed_entries);
  EXPECT_EQ(Inodes(options_.dir), before);
}

TEST_F(PublishWarningsTest, ALongerLogWritesOnlyTheNewMessages) {
  const std::vector<Event> log = Log(kRaiseLowerCancel);
  const auto last =
      std::find_if(log.rbegin(), log.rend(), [](const Event& e) { return MakesMessage(e.kind); });
  ASSERT_NE(last, log.rend());
  const std::span<const Event> before_last(log.begin(), std::prev(last.base()));
  const PublishReport first = Publish(before_last, before_last.back().at);
  const PublishReport second = Publish(log, log.back().at);
  EXPECT_EQ(second.written, 1);
  EXPECT_EQ(second.unchanged, first.written);
  EXPECT_TRUE(second.feed_written);
}

TEST_F(PublishWarningsTest, AChangedFileIsReplaced) {
  const std::vector<Event> log = Log(kTwoWarnings);
  const Timestamp now = log.back().at;
  const PublishReport first = Publish(log, now);
  const std::vector<WarningMessage> messages = Messages(log);
  ASSERT_FALSE(messages.empty());
  const std::filesystem::path file = options_.dir / (messages[0].alert.identifier + ".xml");
  std::ofstream(file, std::ios::trunc) << "<alert/>";
  const PublishReport second = Publish(log, now);
  EXPECT_EQ(second.written, 1);
  EXPECT_EQ(second.unchanged, first.written - 1);
  EXPECT_EQ(ReadFile(file), WriteCap(messages[0].alert));
}

TEST_F(PublishWarningsTest, NoDirectoryIsRefused) {
  const Result<PublishReport> report =
      PublishWarnings(Log(kTwoWarnings), *catalogue_, PublishOptions{}, Timestamp{});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::publish
