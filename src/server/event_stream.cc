#include "server/event_stream.h"

#include <fmt/format.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "core/log.h"

namespace vigil::server {
namespace {

std::atomic<std::int64_t> open_subscribers{0};
std::atomic<std::uint64_t> dropped_clients{0};
std::atomic<std::uint64_t> dropped_events{0};

// Tells the client how long to wait before reconnecting.
constexpr std::string_view kPreamble = "retry: 3000\n\n";
constexpr std::string_view kHeartbeat = ": heartbeat\n\n";

}  // namespace

EventStreamStats ReadEventStreamStats() {
  return {open_subscribers.load(), dropped_clients.load(), dropped_events.load()};
}

std::string FormatServerSentEvent(const WarningEventRecord& event) {
  std::string out = fmt::format("id: {}\nevent: {}\n", event.seq, event.kind);
  // A data field ends at a line break: a body with several lines is sent as
  // several data lines, which the client joins again.
  std::string_view body = event.body;
  do {
    const size_t end = std::min(body.find('\n'), body.size());
    out += fmt::format("data: {}\n", body.substr(0, end));
    body.remove_prefix(std::min(body.size(), end + 1));
  } while (!body.empty());
  return out + "\n";
}

class Subscriber;

struct EventHub::State {
  EventSource source;
  EventStreamOptions options;
  std::mutex mutex;  // guards what follows
  std::condition_variable wake;
  bool started = false;
  bool stopping = false;
  std::int64_t last_seq = 0;  // the newest event handed out
  std::vector<std::shared_ptr<Subscriber>> subscribers;
};

// One client's stream: the replay of what it missed, then its queue of live
// events. Lock order: the hub's state, then a subscriber.
class Subscriber final : public ResponseStream {
 public:
  Subscriber(std::weak_ptr<EventHub::State> hub, const EventHub::State& state,
             std::int64_t replay_after, std::int64_t live_after, EventFilter filter)
      : hub_(std::move(hub)),
        source_(state.source),
        options_(state.options),
        replay_after_(replay_after),
        live_after_(live_after),
        filter_(std::move(filter)) {
    ++open_subscribers;
  }
  ~Subscriber() override { --open_subscribers; }

  // A live event (under the hub's lock); false when this subscriber is done.
  bool Offer(const WarningEventRecord& event) {
    return filter_(event) ? Push(FormatServerSentEvent(event), false) : !Ended();
  }
  bool Push(std::string chunk, bool heartbeat) {
    std::lock_guard lock(mutex_);
    if (ended_) {
      return false;
    }
    if (sink_) {
      Deliver(std::move(chunk));
    } else if (heartbeat) {
      // Only an idle client needs one; a queued event proves the stream alive.
    } else if (queue_.size() >= options_.queue_limit) {
      // The client does not keep up: drop it, counting what it loses.
      dropped_events += queue_.size() + replay_.size() + 1;
      ++dropped_clients;
      queue_.clear();
      replay_.clear();
      ended_ = true;
      LogWarn("dropped an event stream client that did not keep up");
    } else {
      queue_.push_back(std::move(chunk));
    }
    return !ended_;
  }
  // The hub stops: the stream ends once the client has what is queued.
  void End() {
    std::lock_guard lock(mutex_);
    ended_ = true;
    replay_after_ = live_after_;
    if (sink_) {
      std::exchange(sink_, nullptr)(std::nullopt);
    }
  }

  void Next(Sink sink) override;
  void Close() override;

 private:
  bool Ended() {
    std::lock_guard lock(mutex_);
    return ended_;
  }
  void Deliver(std::string chunk) { std::exchange(sink_, nullptr)(std::move(chunk)); }
  Status FillReplay();

  const std::weak_ptr<EventHub::State> hub_;
  const EventSource source_;
  const EventStreamOptions options_;
  std::mutex mutex_;                // guards what follows
  Sink sink_;                       // the pending Next
  std::deque<std::string> queue_;   // live events
  std::deque<std::string> replay_;  // the page of the replay being sent
  std::int64_t replay_after_;       // replayed up to here so far
  const std::int64_t live_after_;   // replay ends here; the queue has what follows
  EventFilter filter_;
  bool greeted_ = false;  // the preamble was sent
  bool ended_ = false;
  bool closed_ = false;
};

// Reads the next page of the replay. Under the subscriber's lock; the source
// takes the store's.
Status Subscriber::FillReplay() {
  while (replay_.empty() && replay_after_ < live_after_) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<WarningEventRecord> page,
                           source_.read(replay_after_, options_.page));
    if (page.empty()) {
      break;
    }
    for (const WarningEventRecord& event : page) {
      if (event.seq > live_after_) {
        break;
      }
      replay_after_ = event.seq;
      if (filter_(event)) {
        replay_.push_back(FormatServerSentEvent(event));
      }
    }
    if (page.back().seq > live_after_ || static_cast<std::int64_t>(page.size()) < options_.page) {
      replay_after_ = live_after_;
    }
  }
  return Status::Ok();
}

void Subscriber::Next(Sink sink) {
  std::lock_guard lock(mutex_);
  if (closed_) {
    return;
  }
  sink_ = std::move(sink);
  // The preamble first, then the replay, then the live events.
  if (!greeted_) {
    greeted_ = true;
    return Deliver(std::string(kPreamble));
  }
  if (const Status filled = ended_ ? Status::Ok() : FillReplay(); !filled.ok()) {
    LogError("replaying warning events failed", {{"error", filled.message()}});
    ended_ = true;
  }
  std::deque<std::string>& from = replay_.empty() ? queue_ : replay_;
  if (!from.empty()) {
    Deliver(std::move(from.front()));
    from.pop_front();
  } else if (ended_) {
    std::exchange(sink_, nullptr)(std::nullopt);
  }
}

void Subscriber::Close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      return;
    }
    closed_ = ended_ = true;
    sink_ = nullptr;
  }
  if (std::shared_ptr<EventHub::State> hub = hub_.lock()) {
    std::lock_guard lock(hub->mutex);
    std::erase_if(hub->subscribers, [this](const auto& s) { return s.get() == this; });
  }
}

EventHub::EventHub(EventSource source, EventStreamOptions options)
    : state_(std::make_shared<State>()) {
  state_->source = std::move(source);
  state_->options = options;
}

EventHub::~EventHub() { Stop(); }

Result<std::shared_ptr<ResponseStream>> EventHub::Subscribe(std::optional<std::int64_t> after_seq,
                                                            EventFilter filter) {
  State& state = *state_;
  std::unique_lock lock(state.mutex);
  if (state.stopping) {
    return Unavailable("the server is stopping");
  }
  if (!state.started) {
    VIGIL_ASSIGN_OR_RETURN(state.last_seq, state.source.last_seq());
    state.started = true;
    poller_ = std::thread([this] { Run(); });
  }
  auto subscriber = std::make_shared<Subscriber>(state_, state, after_seq.value_or(state.last_seq),
                                                 state.last_seq, std::move(filter));
  state.subscribers.push_back(subscriber);
  return std::shared_ptr<ResponseStream>(std::move(subscriber));
}

void EventHub::Run() {
  State& state = *state_;
  const auto heartbeat_polls =
      std::max<std::int64_t>(1, state.options.heartbeat / state.options.poll_interval);
  std::int64_t polls = 0;
  std::unique_lock lock(state.mutex);
  while (!state.wake.wait_for(lock, state.options.poll_interval, [&] { return state.stopping; })) {
    lock.unlock();
    // A store another process holds is read at the next poll.
    if (const Status polled = Poll(); !polled.ok()) {
      LogWarn("reading warning events failed", {{"error", polled.message()}});
    }
    if (++polls % heartbeat_polls == 0) {
      Heartbeat();
    }
    lock.lock();
  }
}

Status EventHub::Poll() {
  State& state = *state_;
  for (;;) {
    // Only this thread moves last_seq after the start.
    const std::int64_t after = [&] {
      std::lock_guard lock(state.mutex);
      return state.last_seq;
    }();
    VIGIL_ASSIGN_OR_RETURN(const std::vector<WarningEventRecord> events,
                           state.source.read(after, state.options.page));
    if (events.empty()) {
      return Status::Ok();
    }
    std::lock_guard lock(state.mutex);
    for (const WarningEventRecord& event : events) {
      std::erase_if(state.subscribers, [&](const auto& s) { return !s->Offer(event); });
    }
    state.last_seq = events.back().seq;
  }
}

void EventHub::Heartbeat() {
  State& state = *state_;
  std::lock_guard lock(state.mutex);
  std::erase_if(state.subscribers,
                [](const auto& s) { return !s->Push(std::string(kHeartbeat), true); });
}

void EventHub::Stop() {
  std::vector<std::shared_ptr<Subscriber>> ending;
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    ending.swap(state_->subscribers);
  }
  state_->wake.notify_all();
  if (poller_.joinable()) {
    poller_.join();
  }
  for (const std::shared_ptr<Subscriber>& subscriber : ending) {
    subscriber->End();
  }
}

}  // namespace vigil::server
