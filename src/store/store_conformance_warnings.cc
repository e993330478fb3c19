// The part of the Store conformance suite about what the warn stage writes:
// the append-only warning event log and the notification outbox, with its
// delivery attempts recorded outside any batch.
#include <string>
#include <vector>

#include "store/store_conformance.h"

namespace vigil {
namespace {

using std::chrono::hours;

const std::string kCholera = "health/CN-32/cholera";
const std::string kFlood = "hydro/CN-32/flood";

WarningEventRecord Event(std::int64_t seq, Timestamp at, const std::string& key = kCholera,
                         const std::string& warning_id = "") {
  return {seq,        at,       warning_id.empty() ? "evidence" : "issued", key,
          warning_id, "engine", "{\"seq\":" + std::to_string(seq) + "}"};
}

std::vector<std::int64_t> Seqs(const std::vector<WarningEventRecord>& events) {
  std::vector<std::int64_t> seqs;
  for (const WarningEventRecord& e : events) {
    seqs.push_back(e.seq);
  }
  return seqs;
}

std::vector<std::int64_t> Ids(const std::vector<OutboxItem>& items) {
  std::vector<std::int64_t> ids;
  for (const OutboxItem& item : items) {
    ids.push_back(item.id);
  }
  return ids;
}

// Appends `events` and enqueues `items` in one batch and commits it; returns
// the items as enqueued (with their ids).
std::vector<OutboxItem> CommitStep(Store& store, Timestamp arrived,
                                   const std::vector<WarningEventRecord>& events,
                                   std::vector<OutboxItem> items = {}) {
  auto txn = store.Begin({"warn", arrived});
  EXPECT_TRUE(txn.ok()) << txn.status().ToString();
  const Status appended = (*txn)->AppendWarningEvents(events);
  EXPECT_TRUE(appended.ok()) << appended.ToString();
  const Status enqueued = (*txn)->EnqueueOutbox(items);
  EXPECT_TRUE(enqueued.ok()) << enqueued.ToString();
  auto record = (*txn)->Commit();
  EXPECT_TRUE(record.ok()) << record.status().ToString();
  return items;
}

std::vector<WarningEventRecord> Events(Store& store, const WarningEventFilter& filter = {}) {
  auto events = store.ReadWarningEvents(filter);
  EXPECT_TRUE(events.ok()) << events.status().ToString();
  return events.ok() ? *events : std::vector<WarningEventRecord>{};
}

std::int64_t LastSeq(Store& store) {
  auto last = store.LastWarningEventSeq();
  EXPECT_TRUE(last.ok()) << last.status().ToString();
  return last.ok() ? *last : -1;
}

OutboxItem Item(const std::string& warning_id, Timestamp next_attempt) {
  OutboxItem item;
  item.notification_id = warning_id + "/" + std::to_string(next_attempt.time_since_epoch().count());
  item.event_seq = 1;
  item.warning_id = warning_id;
  item.agency = "provincial-cdc";
  item.channel = "webhook";
  item.target = "http://127.0.0.1:9/hook";
  item.payload = "{\"warning\":\"" + warning_id + "\"}";
  item.created = next_attempt;
  item.next_attempt = next_attempt;
  return item;
}

std::vector<OutboxItem> Outbox(Store& store, const OutboxFilter& filter = {}) {
  auto items = store.ReadOutbox(filter);
  EXPECT_TRUE(items.ok()) << items.status().ToString();
  return items.ok() ? *items : std::vector<OutboxItem>{};
}

// The one stored item with `id`; a default item when there is none.
OutboxItem Stored(Store& store, std::int64_t id) {
  for (const OutboxItem& item : Outbox(store)) {
    if (item.id == id) {
      return item;
    }
  }
  ADD_FAILURE() << "no outbox item " << id;
  return {};
}

// What delivery attempts have made of a stored item.
struct Delivery {
  OutboxState state;
  int attempts;
  std::optional<Timestamp> delivered_at;
  std::string last_error;
};

void ExpectDelivery(const OutboxItem& item, const Delivery& expected) {
  EXPECT_EQ(item.state, expected.state) << "item " << item.id;
  EXPECT_EQ(item.attempts, expected.attempts) << "item " << item.id;
  EXPECT_EQ(item.delivered_at, expected.delivered_at) << "item " << item.id;
  EXPECT_EQ(item.last_error, expected.last_error) << "item " << item.id;
}

}  // namespace

TEST_P(StoreConformanceTest, WarningEventKeepsEveryField) {
  const WarningEventRecord written{7,
                                   kDay1 + Duration(123'456'789),
                                   "issued",
                                   kCholera,
                                   "W-2024-0001",
                                   "duty officer",
                                   R"({"kind":"issued","level":"orange"})"};
  CommitStep(*store_, kDay1, {written});
  const std::vector<WarningEventRecord> read = Events(*store_);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].seq, 7);
  EXPECT_EQ(read[0].at, written.at);
  EXPECT_EQ(read[0].kind, "issued");
  EXPECT_EQ(read[0].key, kCholera);
  EXPECT_EQ(read[0].warning_id, "W-2024-0001");
  EXPECT_EQ(read[0].actor, "duty officer");
  EXPECT_EQ(read[0].body, written.body);
}

TEST_P(StoreConformanceTest, LastWarningEventSeqIsZeroWithoutEventsThenTheHighest) {
  EXPECT_EQ(LastSeq(*store_), 0);
  CommitStep(*store_, kDay1, {Event(3, kDay1), Event(5, kDay1)});
  CommitStep(*store_, kDay2, {Event(9, kDay2)});
  EXPECT_EQ(LastSeq(*store_), 9);
}

TEST_P(StoreConformanceTest, WarningEventsPageAfterASeqInSeqOrder) {
  CommitStep(*store_, kDay1, {Event(1, kDay1), Event(2, kDay1), Event(4, kDay1)});
  CommitStep(*store_, kDay2, {Event(5, kDay2), Event(8, kDay2), Event(9, kDay2)});
  EXPECT_EQ(Seqs(Events(*store_)), (std::vector<std::int64_t>{1, 2, 4, 5, 8, 9}));
  EXPECT_EQ(Seqs(Events(*store_, {.after_seq = 2})), (std::vector<std::int64_t>{4, 5, 8, 9}));
  EXPECT_EQ(Seqs(Events(*store_, {.after_seq = 2, .limit = 2})), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(Seqs(Events(*store_, {.after_seq = 5, .limit = 2})), (std::vector<std::int64_t>{8, 9}));
  EXPECT_TRUE(Events(*store_, {.after_seq = 9}).empty());
}

TEST_P(StoreConformanceTest, WarningEventsFilterByKeyAndWarning) {
  CommitStep(*store_, kDay1,
             {Event(1, kDay1, kCholera), Event(2, kDay1, kFlood), Event(3, kDay1, kCholera, "W-1"),
              Event(4, kDay1, kFlood, "W-2"), Event(5, kDay1, kCholera, "W-1"),
              Event(6, kDay1, "", "W-1")});
  EXPECT_EQ(Seqs(Events(*store_, {.key = kCholera})), (std::vector<std::int64_t>{1, 3, 5}));
  EXPECT_EQ(Seqs(Events(*store_, {.warning_id = "W-1"})), (std::vector<std::int64_t>{3, 5, 6}));
  EXPECT_EQ(Seqs(Events(*store_, {.key = kCholera, .warning_id = "W-1"})),
            (std::vector<std::int64_t>{3, 5}));
  EXPECT_EQ(Seqs(Events(*store_, {.after_seq = 3, .key = kCholera})), std::vector<std::int64_t>{5});
  EXPECT_EQ(Seqs(Events(*store_, {.warning_id = "W-1", .limit = 2})),
            (std::vector<std::int64_t>{3, 5}));
  EXPECT_EQ(Seqs(Events(*store_, {.key = kFlood, .warning_id = "W-1"})),
            std::vector<std::int64_t>{});
  EXPECT_TRUE(Events(*store_, {.key = "nothing"}).empty());
}

TEST_P(StoreConformanceTest, WarningEventSeqAlreadyStoredIsAlreadyExists) {
  CommitStep(*store_, kDay1, {Event(1, kDay1), Event(2, kDay1)});
  auto txn = store_->Begin({"replay", kDay2});
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ((*txn)->AppendWarningEvents({Event(2, kDay2)}).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ((*txn)->AppendWarningEvents({Event(1, kDay2)}).code(), StatusCode::kAlreadyExists);
}

TEST_P(StoreConformanceTest, WarningEventSeqRepeatedInOneTransactionIsAlreadyExists) {
  auto txn = store_->Begin({"warn", kDay1});
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->AppendWarningEvents({Event(4, kDay1)}).ok());
  EXPECT_EQ((*txn)->AppendWarningEvents({Event(4, kDay1)}).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ((*txn)->AppendWarningEvents({Event(5, kDay1), Event(6, kDay1), Event(5, kDay1)}).code(),
            StatusCode::kAlreadyExists);
}

TEST_P(StoreConformanceTest, WarningEventSeqNotAboveTheLastIsInvalidArgument) {
  {
    auto txn = store_->Begin({"warn", kDay1});
    ASSERT_TRUE(txn.ok());
    EXPECT_EQ((*txn)->AppendWarningEvents({Event(0, kDay1)}).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ((*txn)->AppendWarningEvents({Event(-3, kDay1)}).code(), StatusCode::kInvalidArgument);
  }
  CommitStep(*store_, kDay1, {Event(5, kDay1)});
  auto txn = store_->Begin({"warn", kDay2});
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ((*txn)->AppendWarningEvents({Event(3, kDay2)}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*txn)->AppendWarningEvents({Event(8, kDay2), Event(7, kDay2)}).code(),
            StatusCode::kInvalidArgument);
}

TEST_P(StoreConformanceTest, RejectedWarningEventsCallWritesNoneOfItsEvents) {
  auto txn = store_->Begin({"warn", kDay1});
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->AppendWarningEvents({Event(1, kDay1)}).ok());
  EXPECT_EQ((*txn)->AppendWarningEvents({Event(2, kDay1), Event(3, kDay1), Event(3, kDay1)}).code(),
            StatusCode::kAlreadyExists);
  EXPECT_TRUE((*txn)->AppendWarningEvents({Event(2, kDay1)}).ok())
      << "seq 2 of the rejected call was not written";
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ(Seqs(Events(*store_)), (std::vector<std::int64_t>{1, 2}));
}

TEST_P(StoreConformanceTest, RolledBackWarningEventsAndOutboxLeaveNothing) {
  const std::vector<OutboxItem> kept =
      CommitStep(*store_, kDay1, {Event(1, kDay1)}, {Item("W-1", kDay1)});
  {
    auto txn = store_->Begin({"rolled back", kDay2});
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->AppendWarningEvents({Event(2, kDay2), Event(3, kDay2)}).ok());
    std::vector<OutboxItem> items{Item("W-2", kDay2), Item("W-3", kDay2)};
    ASSERT_TRUE((*txn)->EnqueueOutbox(items).ok());
    EXPECT_EQ(Seqs(Events(*store_)), std::vector<std::int64_t>{1})
        << "uncommitted events are not visible";
    EXPECT_EQ(LastSeq(*store_), 1);
    EXPECT_EQ(Ids(Outbox(*store_)), Ids(kept)) << "uncommitted items are not visible";
    (*txn)->Rollback();
  }
  EXPECT_EQ(Seqs(Events(*store_)), std::vector<std::int64_t>{1});
  EXPECT_EQ(LastSeq(*store_), 1);
  EXPECT_EQ(Ids(Outbox(*store_)), Ids(kept));
  CommitStep(*store_, kDay3, {Event(2, kDay3)});
  EXPECT_EQ(Seqs(Events(*store_)), (std::vector<std::int64_t>{1, 2}));
}

TEST_P(StoreConformanceTest, WarningWritesAfterCommitFail) {
  auto txn = store_->Begin({"warn", kDay1});
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ((*txn)->AppendWarningEvents({Event(1, kDay1)}).code(), StatusCode::kFailedPrecondition);
  std::vector<OutboxItem> items{Item("W-1", kDay1)};
  EXPECT_EQ((*txn)->EnqueueOutbox(items).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Events(*store_).empty());
  EXPECT_TRUE(Outbox(*store_).empty());
}

TEST_P(StoreConformanceTest, EnqueuedItemIsPendingAndKeepsEveryField) {
  OutboxItem item = Item("W-2024-0001", kDay2);
  item.event_seq = 42;
  item.created = kDay1 + Duration(1);
  item.state = OutboxState::kDelivered;
  item.attempts = 3;
  item.delivered_at = kDay1;
  item.last_error = "left over";
  const std::vector<OutboxItem> enqueued = CommitStep(*store_, kDay1, {}, {item});
  ASSERT_EQ(enqueued.size(), 1u);
  EXPECT_GT(enqueued[0].id, 0);
  ExpectDelivery(enqueued[0], {OutboxState::kPending, 0, std::nullopt, ""});

  const std::vector<OutboxItem> read = Outbox(*store_);
  ASSERT_EQ(read.size(), 1u);
  const OutboxItem& r = read[0];
  EXPECT_EQ(r.id, enqueued[0].id);
  EXPECT_EQ(r.notification_id, item.notification_id);
  EXPECT_EQ(r.event_seq, 42);
  EXPECT_EQ(r.warning_id, "W-2024-0001");
  EXPECT_EQ(r.agency, "provincial-cdc");
  EXPECT_EQ(r.channel, "webhook");
  EXPECT_EQ(r.target, "http://127.0.0.1:9/hook");
  EXPECT_EQ(r.payload, item.payload);
  EXPECT_EQ(r.created, kDay1 + Duration(1));
  EXPECT_EQ(r.next_attempt, kDay2);
  ExpectDelivery(r, {OutboxState::kPending, 0, std::nullopt, ""});
}

TEST_P(StoreConformanceTest, EnqueueAssignsIncreasingIdsReadInIdOrder) {
  const std::vector<OutboxItem> first =
      CommitStep(*store_, kDay1, {}, {Item("W-1", kDay3), Item("W-2", kDay1)});
  const std::vector<OutboxItem> second =
      CommitStep(*store_, kDay2, {}, {Item("W-3", kDay2), Item("W-4", kDay1)});
  std::vector<std::int64_t> ids = Ids(first);
  for (const std::int64_t id : Ids(second)) {
    EXPECT_GT(id, ids.back());
    ids.push_back(id);
  }
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_EQ(Ids(Outbox(*store_)), ids);
}

TEST_P(StoreConformanceTest, RolledBackEnqueueLeavesNoItemToDeliver) {
  const std::vector<OutboxItem> before = CommitStep(*store_, kDay1, {}, {Item("W-1", kDay1)});
  std::vector<OutboxItem> rolled_back{Item("W-2", kDay1), Item("W-3", kDay1)};
  {
    auto txn = store_->Begin({"rolled back", kDay2});
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->EnqueueOutbox(rolled_back).ok());
    (*txn)->Rollback();
  }
  const std::vector<OutboxItem> after = CommitStep(*store_, kDay3, {}, {Item("W-4", kDay1)});
  ASSERT_EQ(after.size(), 1u);
  EXPECT_GT(after[0].id, before[0].id);
  const std::vector<OutboxItem> read = Outbox(*store_);
  EXPECT_EQ(Ids(read), (std::vector<std::int64_t>{before[0].id, after[0].id}));
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[1].warning_id, "W-4");
  for (const OutboxItem& gone : rolled_back) {
    if (gone.id != after[0].id) {
      EXPECT_EQ(store_->RecordDelivery({gone.id, OutboxState::kDelivered, kDay3, kDay3, ""}).code(),
                StatusCode::kNotFound);
    }
  }
}

TEST_P(StoreConformanceTest, DueReadReturnsPendingItemsWhoseNextAttemptHasCome) {
  const std::vector<OutboxItem> items = CommitStep(
      *store_, kDay1, {}, {Item("W-1", kDay1 + hours(1)), Item("W-2", kDay3), Item("W-3", kDay2)});
  EXPECT_TRUE(Outbox(*store_, {.due_by = kDay1}).empty());
  EXPECT_EQ(Ids(Outbox(*store_, {.due_by = kDay1 + hours(1)})),
            std::vector<std::int64_t>{items[0].id});
  EXPECT_EQ(Ids(Outbox(*store_, {.due_by = kDay2})),
            (std::vector<std::int64_t>{items[0].id, items[2].id}));
  EXPECT_EQ(Ids(Outbox(*store_, {.due_by = kDay3})), Ids(items));
  EXPECT_EQ(Ids(Outbox(*store_, {.due_by = kDay3, .limit = 2})),
            (std::vector<std::int64_t>{items[0].id, items[1].id}));
}

TEST_P(StoreConformanceTest, FailedAttemptCountsAndReschedulesThePendingItem) {
  const std::int64_t id = CommitStep(*store_, kDay1, {}, {Item("W-1", kDay1)})[0].id;
  ASSERT_TRUE(store_->RecordDelivery({id, OutboxState::kPending, kDay1, kDay2, "HTTP 503"}).ok());
  const OutboxItem item = Stored(*store_, id);
  ExpectDelivery(item, {OutboxState::kPending, 1, std::nullopt, "HTTP 503"});
  EXPECT_EQ(item.next_attempt, kDay2);
  EXPECT_TRUE(Outbox(*store_, {.due_by = kDay2 - Duration(1)}).empty());
  EXPECT_EQ(Ids(Outbox(*store_, {.due_by = kDay2})), std::vector<std::int64_t>{id});
}

TEST_P(StoreConformanceTest, DeliveredItemIsNeverDueAgainAndKeepsTheLastError) {
  const std::int64_t id = CommitStep(*store_, kDay1, {}, {Item("W-1", kDay1)})[0].id;
  ASSERT_TRUE(store_->RecordDelivery({id, OutboxState::kPending, kDay1, kDay2, "timeout"}).ok());
  ASSERT_TRUE(store_->RecordDelivery({id, OutboxState::kDelivered, kDay2, kDay2, ""}).ok());
  ExpectDelivery(Stored(*store_, id), {OutboxState::kDelivered, 2, kDay2, "timeout"});
  EXPECT_TRUE(Outbox(*store_, {.due_by = kDay3 + hours(24 * 365)}).empty());
  EXPECT_TRUE(Outbox(*store_, {.state = OutboxState::kPending}).empty());
  EXPECT_EQ(Ids(Outbox(*store_, {.state = OutboxState::kDelivered})),
            std::vector<std::int64_t>{id});
}

TEST_P(StoreConformanceTest, AbandonedItemIsNoLongerDue) {
  const std::int64_t id = CommitStep(*store_, kDay1, {}, {Item("W-1", kDay1)})[0].id;
  ASSERT_TRUE(store_->RecordDelivery({id, OutboxState::kAbandoned, kDay2, kDay2, "HTTP 410"}).ok());
  ExpectDelivery(Stored(*store_, id), {OutboxState::kAbandoned, 1, std::nullopt, "HTTP 410"});
  EXPECT_TRUE(Outbox(*store_, {.due_by = kDay3}).empty());
  EXPECT_EQ(Ids(Outbox(*store_, {.state = OutboxState::kAbandoned})),
            std::vector<std::int64_t>{id});
}

TEST_P(StoreConformanceTest, DeliveryOfUnknownItemIsNotFound) {
  const std::int64_t id = CommitStep(*store_, kDay1, {}, {Item("W-1", kDay1)})[0].id;
  EXPECT_EQ(store_->RecordDelivery({id + 1, OutboxState::kDelivered, kDay2, kDay2, ""}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->RecordDelivery({0, OutboxState::kDelivered, kDay2, kDay2, ""}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Stored(*store_, id).attempts, 0);
}

TEST_P(StoreConformanceTest, DeliveryOfFinishedItemIsFailedPrecondition) {
  const std::vector<OutboxItem> items =
      CommitStep(*store_, kDay1, {}, {Item("W-1", kDay1), Item("W-2", kDay1)});
  ASSERT_TRUE(
      store_->RecordDelivery({items[0].id, OutboxState::kDelivered, kDay1, kDay1, ""}).ok());
  ASSERT_TRUE(
      store_->RecordDelivery({items[1].id, OutboxState::kAbandoned, kDay1, kDay1, "gone"}).ok());
  for (const OutboxItem& item : items) {
    EXPECT_EQ(
        store_->RecordDelivery({item.id, OutboxState::kPending, kDay2, kDay3, "again"}).code(),
        StatusCode::kFailedPrecondition);
  }
  ExpectDelivery(Stored(*store_, items[0].id), {OutboxState::kDelivered, 1, kDay1, ""});
  ExpectDelivery(Stored(*store_, items[1].id), {OutboxState::kAbandoned, 1, std::nullopt, "gone"});
}

TEST_P(StoreConformanceTest, DeliveryWhileATransactionIsOpenIsFailedPrecondition) {
  const std::int64_t id = CommitStep(*store_, kDay1, {}, {Item("W-1", kDay1)})[0].id;
  {
    auto txn = store_->Begin({"open", kDay2});
    ASSERT_TRUE(txn.ok());
    EXPECT_EQ(store_->RecordDelivery({id, OutboxState::kDelivered, kDay2, kDay2, ""}).code(),
              StatusCode::kFailedPrecondition);
    (*txn)->Rollback();
  }
  EXPECT_EQ(Stored(*store_, id).attempts, 0);
  EXPECT_TRUE(store_->RecordDelivery({id, OutboxState::kDelivered, kDay2, kDay2, ""}).ok());
  EXPECT_EQ(Stored(*store_, id).state, OutboxState::kDelivered);
}

TEST_P(StoreConformanceTest, CountsPendingItemsOfCommittedBatchesOnly) {
  EXPECT_EQ(store_->CountPendingOutbox().value(), 0);
  const std::vector<OutboxItem> items =
      CommitStep(*store_, kDay1, {}, {Item("W-1", kDay1), Item("W-2", kDay1), Item("W-3", kDay2)});
  EXPECT_EQ(store_->CountPendingOutbox().value(), 3);
  ASSERT_TRUE(
      store_->RecordDelivery({items[0].id, OutboxState::kDelivered, kDay1, kDay1, ""}).ok());
  ASSERT_TRUE(
      store_->RecordDelivery({items[1].id, OutboxState::kAbandoned, kDay1, kDay1, "HTTP 410"})
          .ok());
  ASSERT_TRUE(
      store_->RecordDelivery({items[2].id, OutboxState::kPending, kDay1, kDay2, "HTTP 503"}).ok());
  EXPECT_EQ(store_->CountPendingOutbox().value(), 1);

  auto open = store_->Begin({"step", kDay2});
  ASSERT_TRUE(open.ok());
  std::vector<OutboxItem> more = {Item("W-4", kDay2)};
  ASSERT_TRUE((*open)->EnqueueOutbox(more).ok());
  EXPECT_EQ(store_->CountPendingOutbox().value(), 1)
      << "an open transaction's items are not counted";
  (*open)->Rollback();
  EXPECT_EQ(store_->CountPendingOutbox().value(), 1);
}

TEST_P(StoreConformanceTest, OutboxFiltersByStateWarningAndLimit) {
  const std::vector<OutboxItem> items =
      CommitStep(*store_, kDay1, {}, {Item("W-1", kDay1), Item("W-2", kDay1), Item("W-1", kDay2)});
  ASSERT_TRUE(
      store_->RecordDelivery({items[0].id, OutboxState::kDelivered, kDay1, kDay1, ""}).ok());
  EXPECT_EQ(Ids(Outbox(*store_, {.warning_id = "W-1"})),
            (std::vector<std::int64_t>{items[0].id, items[2].id}));
  EXPECT_EQ(Ids(Outbox(*store_, {.state = OutboxState::kPending})),
            (std::vector<std::int64_t>{items[1].id, items[2].id}));
  EXPECT_EQ(Ids(Outbox(*store_, {.state = OutboxState::kPending, .warning_id = "W-1"})),
            std::vector<std::int64_t>{items[2].id});
  EXPECT_EQ(Ids(Outbox(*store_, {.limit = 2})),
            (std::vector<std::int64_t>{items[0].id, items[1].id}));
  EXPECT_TRUE(Outbox(*store_, {.state = OutboxState::kDelivered, .due_by = kDay3}).empty())
      << "due_by lists pending items only";
  EXPECT_TRUE(Outbox(*store_, {.warning_id = "W-9"}).empty());
}

}  // namespace vigil
