#include "store/audit.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/digest.h"

namespace vigil {
namespace {

const Timestamp kAt = Timestamp{} + std::chrono::seconds(1'700'000'000);

std::vector<AuditRecord> Chain3() {
  std::vector<AuditRecord> log;
  std::int64_t seq = 0;
  std::string hash(kAuditGenesisHash);
  for (const char* action : {"ingest.batch", "warning.ack", "token.create"}) {
    log.push_back(ChainAudit(seq, hash, {kAt, "cli:alice", action, "x", Sha256Hex(action)}));
    seq = log.back().seq;
    hash = log.back().hash;
  }
  return log;
}

// The first record whose check fails; 0 when every record passes.
std::int64_t FirstBroken(const std::vector<AuditRecord>& log) {
  AuditVerifier verifier;
  for (const AuditRecord& record : log) {
    if (!verifier.Check(record).ok()) {
      return record.seq;
    }
  }
  return 0;
}

TEST(AuditTest, CanonicalFormPrefixesEachTextWithItsLength) {
  EXPECT_EQ(CanonicalAuditRecord(7, {Timestamp{} + std::chrono::nanoseconds(42), "cli:a\nb",
                                     "warning.ack", "", "ff"}),
            "7\n42\n7:cli:a\nb\n11:warning.ack\n0:\n2:ff\n");
}

TEST(AuditTest, HashCoversThePreviousHashAndTheCanonicalForm) {
  const AuditEntry entry{kAt, "cli:alice", "warning.ack", "w/1", "ff"};
  const AuditRecord first = ChainAudit(0, kAuditGenesisHash, entry);
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, kAuditGenesisHash);
  EXPECT_EQ(first.hash, Sha256Hex(std::string(kAuditGenesisHash) + CanonicalAuditRecord(1, entry)));
}

TEST(AuditTest, AnUntouchedChainVerifies) {
  const std::vector<AuditRecord> log = Chain3();
  EXPECT_EQ(FirstBroken(log), 0);
  AuditVerifier verifier;
  for (const AuditRecord& record : log) {
    ASSERT_TRUE(verifier.Check(record).ok());
  }
  EXPECT_EQ(verifier.checked(), 3);
  EXPECT_EQ(verifier.last_hash(), log.back().hash);
}

TEST(AuditTest, AChangedFieldIsNamedByItsRecord) {
  for (std::string AuditEntry::*field : {&AuditEntry::actor, &AuditEntry::action,
                                         &AuditEntry::target, &AuditEntry::payload_digest}) {
    std::vector<AuditRecord> log = Chain3();
    log[1].entry.*field += "!";
    EXPECT_EQ(FirstBroken(log), 2);
  }
  std::vector<AuditRecord> log = Chain3();
  log[2].entry.at += std::chrono::nanoseconds(1);
  EXPECT_EQ(FirstBroken(log), 3);
}

TEST(AuditTest, ARecomputedHashBreaksTheNextRecord) {
  std::vector<AuditRecord> log = Chain3();
  log[0].entry.actor = "cli:mallory";
  log[0].hash = AuditHash(log[0].prev_hash, 1, log[0].entry);
  EXPECT_EQ(FirstBroken(log), 2);
}

TEST(AuditTest, ARemovedRecordIsNamed) {
  std::vector<AuditRecord> log = Chain3();
  log.erase(log.begin() + 1);
  AuditVerifier verifier;
  ASSERT_TRUE(verifier.Check(log[0]).ok());
  const Status missing = verifier.Check(log[1]);
  EXPECT_EQ(missing.code(), StatusCode::kCorruption);
  EXPECT_NE(missing.message().find("record 2 is missing"), std::string::npos) << missing.message();
}

}  // namespace
}  // namespace vigil
