// The API's stream of warning changes, as Server-Sent Events: each warning
// event the store commits, whoever committed it (this server, or `vigil
// warnings` in another process), is found by polling the store's event log
// and sent to every subscriber whose filter takes it, as
//
//   id: <seq>\nevent: <kind>\ndata: <the event as JSON>\n\n
//
// A subscriber may start after a sequence number (the Last-Event-ID of a
// reconnecting client): the events after it are replayed from the store,
// page by page, then the live ones follow. A comment line is sent as a
// heartbeat to subscribers with nothing to send.
//
// Each subscriber has a bounded queue; one that does not keep up (its queue
// full) is dropped: its stream ends, and the events it lost are counted
// (ReadEventStreamStats) so that /metrics can show them. The client
// reconnects with its Last-Event-ID and loses nothing.
//
// Thread safety: Subscribe and Stop may be called from any thread; the
// streams it hands out are ResponseStreams (router.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "server/router.h"
#include "store/store.h"

namespace vigil::server {

struct EventStreamOptions {
  std::chrono::milliseconds poll_interval{250};  // how often the store's log is read
  std::chrono::milliseconds heartbeat{std::chrono::seconds(15)};
  std::size_t queue_limit = 512;  // live events waiting per subscriber; one more drops it
  std::int64_t page = 256;        // events read from the store at a time
};

// Process-wide counts, for /metrics.
struct EventStreamStats {
  std::int64_t subscribers = 0;       // open now
  std::uint64_t dropped_clients = 0;  // subscribers dropped for not keeping up
  std::uint64_t dropped_events = 0;   // events those subscribers did not get
};
EventStreamStats ReadEventStreamStats();

// Where the events come from: both run under the caller's lock on the store.
struct EventSource {
  // Committed events with seq > `after`, in order, at most `limit`.
  std::function<Result<std::vector<WarningEventRecord>>(std::int64_t after, std::int64_t limit)>
      read;
  std::function<Result<std::int64_t>()> last_seq;
};

// Which events a subscriber is sent.
using EventFilter = std::function<bool(const WarningEventRecord&)>;

// The Server-Sent Event of one stored event.
std::string FormatServerSentEvent(const WarningEventRecord& event);

class EventHub {
 public:
  explicit EventHub(EventSource source, EventStreamOptions options = {});
  ~EventHub();  // Stop()
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // A stream of the events that `filter` takes: those after `after_seq`,
  // replayed, then the live ones; without `after_seq`, the live ones from
  // now. The first subscription starts the polling thread. Errors: the
  // store's; Unavailable once stopped.
  Result<std::shared_ptr<ResponseStream>> Subscribe(std::optional<std::int64_t> after_seq,
                                                    EventFilter filter);

  // Stops polling and ends every stream. Idempotent.
  void Stop();

  struct State;  // internal: shared with the streams, which may outlive the hub

 private:
  void Run();
  // Reads what was committed since the last poll and hands it out.
  Status Poll();
  void Heartbeat();

  std::shared_ptr<State> state_;
  std::thread poller_;
};

}  // namespace vigil::server
