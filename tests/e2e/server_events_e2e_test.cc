// End-to-end: the event stream of `vigil serve` (/api/v1/events, Server-Sent
// Events) read off a raw connection as it comes: warning changes made
// through the API and by another process, the jurisdiction filter, the
// replay after a Last-Event-ID, and the stream closed on SIGTERM.
#include <signal.h>

#include "raw_connection.h"
#include "server_e2e_testing.h"

namespace vigil::e2e {
namespace {

struct StreamedEvent {
  std::int64_t id = 0;
  std::string kind;
  nlohmann::json data;
};

// The value of the field `name` in the lines of one event.
std::string Field(const std::string& event, const std::string& name) {
  const size_t at = event.find(name + ": ");
  return at == std::string::npos
             ? ""
             : event.substr(at + name.size() + 2, event.find('\n', at) - at - name.size() - 2);
}

class ServerEventsTest : public ServerE2eTest {
 protected:
  // Opens the event stream with `token`; the stream after its head.
  std::unique_ptr<RawConnection> Subscribe(const std::string& token,
                                           const std::string& last_event_id = "") {
    auto stream = std::make_unique<RawConnection>(port_);
    EXPECT_TRUE(stream->connected());
    stream->Send(fmt::format(
        "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n{}\r\n", token,
        last_event_id.empty() ? "" : "Last-Event-ID: " + last_event_id + "\r\n"));
    const std::string head = stream->ReadUntil("retry: 3000\n\n");
    EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK")) << head;
    EXPECT_NE(head.find("Content-Type: text/event-stream"), std::string::npos) << head;
    EXPECT_NE(head.find("Transfer-Encoding: chunked"), std::string::npos) << head;
    return stream;
  }

  // The next event of `stream`, past heartbeats; id 0 when none came.
  static StreamedEvent Next(RawConnection& stream) {
    for (;;) {
      const std::string chunk = stream.ReadUntil("\n\n");
      if (!chunk.ends_with("\n\n")) {
        return {};
      }
      const size_t at = chunk.find("id: ");
      if (at == std::string::npos) {
        continue;  // a heartbeat
      }
      const std::string event = chunk.substr(at);
      return {std::stoll(Field(event, "id")), Field(event, "event"),
              nlohmann::json::parse(Field(event, "data"), nullptr, false)};
    }
  }

  void AckByCommandLine(const std::string& id) {
    const RunResult r =
        Run(ws_, fmt::format("--now {} warnings ack {} --by duty --reason seen", kNow, id));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(ServerEventsTest, AnAcknowledgementThroughTheApiIsStreamedAsTheTimelineShowsIt) {
  const auto stream = Subscribe(viewer_);
  const nlohmann::json shown =
      Json(Post(std::string("/api/v1/warnings/") + kFlood + "/ack", county_));
  const StreamedEvent event = Next(*stream);
  EXPECT_EQ(event.kind, "acknowledged");
  EXPECT_EQ(event.data, shown["timeline"].back());
  EXPECT_EQ(event.id, shown["timeline"].back()["seq"].get<std::int64_t>());
  EXPECT_EQ(event.data["warning"]["id"], kFlood);
}

TEST_F(ServerEventsTest, ChangesByAnotherProcessAreStreamedWithinEachTokensJurisdiction) {
  const auto everything = Subscribe(admin_);
  const auto district = Subscribe(district_);
  AckByCommandLine(kFlood);
  AckByCommandLine(kDisease);
  const StreamedEvent flood = Next(*everything);
  const StreamedEvent disease = Next(*everything);
  EXPECT_EQ(flood.data["warning"]["id"], kFlood);
  EXPECT_EQ(disease.data["warning"]["id"], kDisease);
  EXPECT_LT(flood.id, disease.id);
  const StreamedEvent seen = Next(*district);
  EXPECT_EQ(seen.data["warning"]["id"], kDisease) << "XL-02 is outside the district's XL-01";
  EXPECT_EQ(seen.id, disease.id);
}

TEST_F(ServerEventsTest, ALastEventIdReplaysTheWarningChangesAfterIt) {
  const auto from_start = Subscribe(viewer_, "0");
  const StreamedEvent first = Next(*from_start);
  const StreamedEvent second = Next(*from_start);
  EXPECT_EQ(first.kind, "issued");
  EXPECT_EQ(first.data["warning"]["id"], kFlood);
  EXPECT_EQ(second.kind, "issued");
  EXPECT_EQ(second.data["warning"]["id"], kDisease);
  // A client reconnecting after the first gets the second, then what is new.
  const auto resumed = Subscribe(viewer_, std::to_string(first.id));
  EXPECT_EQ(Next(*resumed).id, second.id);
  AckByCommandLine(kFlood);
  const StreamedEvent live = Next(*resumed);
  EXPECT_EQ(live.kind, "acknowledged");
  EXPECT_GT(live.id, second.id);
}

TEST_F(ServerEventsTest, AMalformedLastEventIdIs400) {
  httplib::Headers headers = Bearer(viewer_);
  headers.emplace("Last-Event-ID", "seven");
  const httplib::Result r = Client().Get("/api/v1/events", headers);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(ErrorCode(r), "bad_request");
}

TEST_F(ServerEventsTest, SigtermEndsOpenStreamsAndTheServerExitsZero) {
  // A stream that held up the drain would keep the server past the wait.
  server_.reset();
  ASSERT_NO_FATAL_FAILURE(StartServer({"--drain-timeout", "5m"}));
  const auto stream = Subscribe(viewer_);
  server_->Signal(SIGTERM);
  stream->ReadUntil();  // returns when the server closes the connection
  int code = -1;
  ASSERT_TRUE(server_->WaitExit(&code)) << server_->Log();
  EXPECT_EQ(code, 0) << server_->Log();
}

}  // namespace
}  // namespace vigil::e2e
