// The part of the Store conformance suite about the HTTP API's security
// records: the hash-chained audit log, appended with a batch or with a token
// change, and the tokens themselves.
#include <string>
#include <vector>

#include "store/audit.h"
#include "store/store_conformance.h"

namespace vigil {
namespace {

using std::chrono::hours;

AuditEntry Entry(Timestamp at, const std::string& action, const std::string& target) {
  return {at, "cli:alice", action, target, std::string(64, 'a')};
}

TokenRecord Token(const std::string& id, Timestamp created) {
  return {.id = id,
          .name = "duty-" + id,
          .role = "operator",
          .regions = {"CN-32", "CN-33"},
          .domains = {"health"},
          .hash = std::string(63, '0') + id.substr(id.size() - 1),
          .created = created,
          .expires = created + hours(24)};
}

std::vector<std::int64_t> Seqs(const std::vector<AuditRecord>& records) {
  std::vector<std::int64_t> seqs;
  for (const AuditRecord& r : records) {
    seqs.push_back(r.seq);
  }
  return seqs;
}

std::vector<std::string> Actions(const std::vector<AuditRecord>& records) {
  std::vector<std::string> actions;
  for (const AuditRecord& r : records) {
    actions.push_back(r.entry.action);
  }
  return actions;
}

// Begins a batch, appends `entries` to its audit log, and commits or rolls back.
void AuditedBatch(Store& store, Timestamp at, const std::vector<AuditEntry>& entries,
                  bool commit = true) {
  auto txn = store.Begin({"batch", at});
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  for (const AuditEntry& entry : entries) {
    const Status appended = (*txn)->AppendAudit(entry);
    ASSERT_TRUE(appended.ok()) << appended.ToString();
  }
  if (commit) {
    ASSERT_TRUE((*txn)->Commit().ok());
  } else {
    (*txn)->Rollback();
  }
}

std::vector<AuditRecord> Audit(Store& store, const AuditFilter& filter = {}) {
  auto records = store.ReadAudit(filter);
  EXPECT_TRUE(records.ok()) << records.status().ToString();
  return records.ok() ? *records : std::vector<AuditRecord>{};
}

TEST_P(StoreConformanceTest, AuditRecordsAreNumberedAndChainedAcrossBatches) {
  AuditedBatch(*store_, kDay1, {Entry(kDay1, "ingest.batch", "a.csv")});
  AuditedBatch(*store_, kDay2,
               {Entry(kDay2, "warning.ack", "health/CN-32/cholera/1"),
                Entry(kDay2, "warning.update", "health/CN-32/cholera/1")});
  const std::vector<AuditRecord> log = Audit(*store_);
  ASSERT_EQ(Seqs(log), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(log[0].prev_hash, kAuditGenesisHash);
  EXPECT_EQ(log[1].prev_hash, log[0].hash);
  EXPECT_EQ(log[2].prev_hash, log[1].hash);
  EXPECT_EQ(log[1].entry.target, "health/CN-32/cholera/1");
  EXPECT_EQ(log[1].entry.at, kDay2);
  EXPECT_EQ(log[1].entry.actor, "cli:alice");
  AuditVerifier verifier;
  for (const AuditRecord& record : log) {
    const Status checked = verifier.Check(record);
    EXPECT_TRUE(checked.ok()) << checked.ToString();
  }
  EXPECT_EQ(verifier.last_hash(), log[2].hash);
}

TEST_P(StoreConformanceTest, AuditOfARolledBackBatchIsNotKept) {
  AuditedBatch(*store_, kDay1, {Entry(kDay1, "ingest.batch", "a.csv")});
  AuditedBatch(*store_, kDay2, {Entry(kDay2, "ingest.batch", "b.csv")}, false);
  AuditedBatch(*store_, kDay3, {Entry(kDay3, "ingest.batch", "c.csv")});
  const std::vector<AuditRecord> log = Audit(*store_);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].seq, 2);
  EXPECT_EQ(log[1].entry.target, "c.csv");
  EXPECT_EQ(log[1].prev_hash, log[0].hash);
}

TEST_P(StoreConformanceTest, AuditReadsAfterASeqAndNewestFirstWithALimit) {
  AuditedBatch(*store_, kDay1,
               {Entry(kDay1, "a", "x"), Entry(kDay1, "b", "x"), Entry(kDay1, "c", "x"),
                Entry(kDay1, "d", "x")});
  EXPECT_EQ(Actions(Audit(*store_, {.after_seq = 2})), (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(Actions(Audit(*store_, {.limit = 2, .newest_first = true})),
            (std::vector<std::string>{"d", "c"}));
  EXPECT_EQ(Actions(Audit(*store_, {.after_seq = 1, .limit = 2})),
            (std::vector<std::string>{"b", "c"}));
}

TEST_P(StoreConformanceTest, CreatedTokensAreListedFoundByHashAndAudited) {
  const TokenRecord second = Token("t2", kDay2);
  TokenRecord first = Token("t1", kDay1);
  first.regions.clear();
  first.expires.reset();
  ASSERT_TRUE(store_->CreateToken(second, Entry(kDay2, "token.create", "t2")).ok());
  ASSERT_TRUE(store_->CreateToken(first, Entry(kDay1, "token.create", "t1")).ok());

  auto tokens = store_->ListTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[0].id, "t1") << "in creation order";
  EXPECT_TRUE((*tokens)[0].regions.empty());
  EXPECT_FALSE((*tokens)[0].expires);
  const TokenRecord& listed = (*tokens)[1];
  EXPECT_EQ(listed.name, second.name);
  EXPECT_EQ(listed.role, "operator");
  EXPECT_EQ(listed.regions, second.regions);
  EXPECT_EQ(listed.domains, second.domains);
  EXPECT_EQ(listed.created, kDay2);
  EXPECT_EQ(listed.expires, second.expires);
  EXPECT_FALSE(listed.revoked);

  auto found = store_->FindTokenByHash(second.hash);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, "t2");
  auto missing = store_->FindTokenByHash(std::string(64, 'f'));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_EQ(Actions(Audit(*store_)), (std::vector<std::string>{"token.create", "token.create"}));
}

TEST_P(StoreConformanceTest, ATokenWithATakenIdOrHashIsRefusedAndNotAudited) {
  ASSERT_TRUE(store_->CreateToken(Token("t1", kDay1), Entry(kDay1, "token.create", "t1")).ok());
  TokenRecord same_id = Token("t2", kDay1);
  same_id.id = "t1";
  EXPECT_EQ(store_->CreateToken(same_id, Entry(kDay1, "token.create", "t1")).code(),
            StatusCode::kAlreadyExists);
  TokenRecord same_hash = Token("t3", kDay1);
  same_hash.hash = Token("t1", kDay1).hash;
  EXPECT_EQ(store_->CreateToken(same_hash, Entry(kDay1, "token.create", "t3")).code(),
            StatusCode::kAlreadyExists);
  TokenRecord no_hash = Token("t4", kDay1);
  no_hash.hash.clear();
  EXPECT_EQ(store_->CreateToken(no_hash, Entry(kDay1, "token.create", "t4")).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListTokens()->size(), 1u);
  EXPECT_EQ(Audit(*store_).size(), 1u);
}

TEST_P(StoreConformanceTest, RevokingMarksTheTokenOnceAndAuditsIt) {
  ASSERT_TRUE(store_->CreateToken(Token("t1", kDay1), Entry(kDay1, "token.create", "t1")).ok());
  const Status revoked = store_->RevokeToken("t1", kDay2, Entry(kDay2, "token.revoke", "t1"));
  ASSERT_TRUE(revoked.ok()) << revoked.ToString();
  EXPECT_EQ(store_->ListTokens()->at(0).revoked, kDay2);
  EXPECT_EQ(store_->RevokeToken("t1", kDay3, Entry(kDay3, "token.revoke", "t1")).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->RevokeToken("t9", kDay3, Entry(kDay3, "token.revoke", "t9")).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->ListTokens()->at(0).revoked, kDay2) << "the first revocation stands";
  EXPECT_EQ(Actions(Audit(*store_)), (std::vector<std::string>{"token.create", "token.revoke"}));
}

TEST_P(StoreConformanceTest, TokensDoNotChangeWhileATransactionIsOpen) {
  auto txn = store_->Begin({"batch", kDay1});
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ(store_->CreateToken(Token("t1", kDay1), Entry(kDay1, "token.create", "t1")).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->RevokeToken("t1", kDay1, Entry(kDay1, "token.revoke", "t1")).code(),
            StatusCode::kFailedPrecondition);
  (*txn)->Rollback();
  EXPECT_TRUE(store_->ListTokens()->empty());
  EXPECT_TRUE(Audit(*store_).empty());
}

TEST_P(StoreConformanceTest, TokenChangesAndBatchesShareOneChain) {
  AuditedBatch(*store_, kDay1, {Entry(kDay1, "ingest.batch", "a.csv")});
  ASSERT_TRUE(store_->CreateToken(Token("t1", kDay2), Entry(kDay2, "token.create", "t1")).ok());
  AuditedBatch(*store_, kDay3, {Entry(kDay3, "warning.ack", "w")});
  const std::vector<AuditRecord> log = Audit(*store_);
  ASSERT_EQ(Seqs(log), (std::vector<std::int64_t>{1, 2, 3}));
  AuditVerifier verifier;
  for (const AuditRecord& record : log) {
    EXPECT_TRUE(verifier.Check(record).ok()) << record.seq;
  }
}

}  // namespace
}  // namespace vigil
