#include "server/event_stream.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "store/memory_store.h"

namespace vigil::server {
namespace {

using std::chrono::milliseconds;

const Timestamp kAt = *ParseRfc3339("2025-01-01T00:00:00Z");

WarningEventRecord Event(std::int64_t seq, std::string region) {
  return {.seq = seq,
          .at = kAt,
          .kind = "issued",
          .key = "health/" + region + "/flood",
          .warning_id = "health/" + region + "/flood/1",
          .actor = "system",
          .body = fmt::format(R"({{"seq":{}}})", seq)};
}

// An in-memory store whose warning log the hub polls, as the API's does,
// under one lock.
class EventStreamTest : public ::testing::Test {
 protected:
  void Commit(std::vector<WarningEventRecord> events) {
    std::lock_guard lock(mutex_);
    auto transaction = std::move(store_->Begin({.origin = "test", .arrived = kAt})).value();
    ASSERT_TRUE(transaction->AppendWarningEvents(events).ok());
    ASSERT_TRUE(transaction->Commit().ok());
  }

  EventSource Source() {
    return {.read =
                [this](std::int64_t after, std::int64_t limit) {
                  std::lock_guard lock(mutex_);
                  return store_->ReadWarningEvents({.after_seq = after, .limit = limit});
                },
            .last_seq =
                [this] {
                  std::lock_guard lock(mutex_);
                  return store_->LastWarningEventSeq();
                }};
  }

  // The stream's next chunk; "(end)" when it ended, "(none)" when nothing
  // came within the bound.
  static std::string NextOf(ResponseStream& stream) {
    auto promise = std::make_shared<std::promise<std::string>>();
    std::future<std::string> next = promise->get_future();
    stream.Next([promise](std::optional<std::string> chunk) {
      promise->set_value(chunk ? *chunk : "(end)");
    });
    return next.wait_for(std::chrono::seconds(10)) == std::future_status::ready ? next.get()
                                                                                : "(none)";
  }

  std::mutex mutex_;
  std::unique_ptr<Store> store_ = NewMemoryStore();
  EventStreamOptions options_{.poll_interval = milliseconds(5)};
};

TEST(ServerSentEventTest, AnEventIsItsIdKindAndDataLinesThenABlankLine) {
  WarningEventRecord e = Event(7, "XA");
  EXPECT_EQ(FormatServerSentEvent(e), "id: 7\nevent: issued\ndata: {\"seq\":7}\n\n");
  e.body = "{\n\"a\": 1\n}";
  EXPECT_EQ(FormatServerSentEvent(e), "id: 7\nevent: issued\ndata: {\ndata: \"a\": 1\ndata: }\n\n");
}

TEST_F(EventStreamTest, ASubscriberGetsThePreambleThenTheEventsCommittedAfterItInOrder) {
  Commit({Event(1, "XA")});
  EventHub hub(Source(), options_);
  auto stream = hub.Subscribe(std::nullopt, [](const auto&) { return true; });
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  EXPECT_EQ(NextOf(**stream), "retry: 3000\n\n");
  Commit({Event(2, "XA"), Event(3, "XB")});
  EXPECT_EQ(NextOf(**stream), FormatServerSentEvent(Event(2, "XA")));
  EXPECT_EQ(NextOf(**stream), FormatServerSentEvent(Event(3, "XB")));
}

TEST_F(EventStreamTest, TheFilterDecidesWhichEventsASubscriberGets) {
  EventHub hub(Source(), options_);
  auto stream = hub.Subscribe(std::nullopt, [](const WarningEventRecord& e) {
    return e.key.find("/XB/") != std::string::npos;
  });
  ASSERT_TRUE(stream.ok());
  NextOf(**stream);
  Commit({Event(1, "XA"), Event(2, "XB"), Event(3, "XA")});
  EXPECT_EQ(NextOf(**stream), FormatServerSentEvent(Event(2, "XB")));
}

TEST_F(EventStreamTest, ALastEventIdReplaysWhatCameAfterItPageByPageThenTheLiveEvents) {
  Commit({Event(1, "XA"), Event(2, "XA"), Event(3, "XA"), Event(4, "XA"), Event(5, "XA")});
  options_.page = 2;
  EventHub hub(Source(), options_);
  auto stream = hub.Subscribe(1, [](const auto&) { return true; });
  ASSERT_TRUE(stream.ok());
  NextOf(**stream);
  Commit({Event(6, "XA")});
  for (std::int64_t seq = 2; seq <= 6; ++seq) {
    EXPECT_EQ(NextOf(**stream), FormatServerSentEvent(Event(seq, "XA")));
  }
}

TEST_F(EventStreamTest, ASubscriberThatDoesNotKeepUpIsDroppedAndItsLostEventsCounted) {
  options_.queue_limit = 3;
  EventHub hub(Source(), options_);
  auto slow = hub.Subscribe(std::nullopt, [](const auto&) { return true; });
  auto fast = hub.Subscribe(std::nullopt, [](const auto&) { return true; });
  ASSERT_TRUE(slow.ok() && fast.ok());
  const EventStreamStats before = ReadEventStreamStats();
  NextOf(**fast);
  // The fast one takes each event as it comes, so each was handed out to both.
  for (std::int64_t seq = 1; seq <= 5; ++seq) {
    Commit({Event(seq, "XA")});
    ASSERT_EQ(NextOf(**fast), FormatServerSentEvent(Event(seq, "XA")));
  }
  const EventStreamStats after = ReadEventStreamStats();
  EXPECT_EQ(after.dropped_clients - before.dropped_clients, 1u);
  EXPECT_EQ(after.dropped_events - before.dropped_events, 4u)
      << "the three queued and the one that did not fit";
  EXPECT_EQ(NextOf(**slow), "retry: 3000\n\n");
  EXPECT_EQ(NextOf(**slow), "(end)");
}

TEST_F(EventStreamTest, StopEndsAWaitingStreamAndClosingUnsubscribes) {
  EventHub hub(Source(), options_);
  auto waiting = hub.Subscribe(std::nullopt, [](const auto&) { return true; });
  auto closed = hub.Subscribe(std::nullopt, [](const auto&) { return true; });
  ASSERT_TRUE(waiting.ok() && closed.ok());
  const std::int64_t open = ReadEventStreamStats().subscribers;
  (*closed)->Close();
  closed->reset();
  EXPECT_EQ(ReadEventStreamStats().subscribers, open - 1);
  NextOf(**waiting);
  std::promise<std::string> ended;
  (*waiting)->Next(
      [&](std::optional<std::string> chunk) { ended.set_value(chunk.value_or("(end)")); });
  hub.Stop();
  EXPECT_EQ(ended.get_future().get(), "(end)");
  EXPECT_EQ(hub.Subscribe(std::nullopt, [](const auto&) { return true; }).status().code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace vigil::server
