#include "ingest/audit_observer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/ingest_testing.h"
#include "store/audit.h"
#include "store/memory_store.h"

namespace vigil {
namespace {

class AuditingObserverTest : public ::testing::Test {
 protected:
  Result<IngestSummary> Ingest(const std::string& text, IngestOptions options = {}) {
    StringSource source(text);
    InputBuffer buffer(source, 64);
    VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<RecordReader> reader,
                           OpenRecordReader(InputFormat::kCsv, buffer, "in.csv"));
    IngestListener listener;
    return ingestor_.Ingest(*reader, {.name = "in.csv", .default_source = "weekly-file"}, options,
                            listener);
  }

  std::vector<AuditRecord> Audit() { return store_->ReadAudit({}).value(); }

  Catalogue catalogue_ = testing_catalogue::Make();
  std::unique_ptr<Store> store_ = NewMemoryStore();
  FakeClock clock_{*ParseRfc3339("2024-03-04T08:00:00Z")};
  AuditingObserver observer_{nullptr, clock_, "cli:alice", "in.csv"};
  Ingestor ingestor_{catalogue_, *store_, clock_, &observer_};
};

constexpr const char* kHeader = "indicator,region,time,value,denominator,source\n";

// The canonical line of one weekly salmonella count, as the header documents it.
std::string Canonical(const std::string& region, const std::string& week, const std::string& value,
                      const std::string& denominator, const std::string& source) {
  return fmt::format("salmonella-cases\t{}\t{}\t{}\t{}\t{}\n", region,
                     ParseIsoWeek(week)->time_since_epoch().count(), value, denominator, source);
}

TEST_F(AuditingObserverTest, EachBatchIsAuditedWithTheDigestOfItsObservations) {
  ASSERT_TRUE(Ingest(std::string(kHeader) + "salmonella-cases,XA-01,2024-W09,3,,\n" +
                         "salmonella-cases,XA-02,2024-W09,4,1000.5,lab\n" +
                         "salmonella-cases,XA-01,2024-W10,7,,\n",
                     {.batch_size = 2})
                  .ok());
  const std::vector<AuditRecord> log = Audit();
  ASSERT_EQ(log.size(), 2u);
  for (const AuditRecord& record : log) {
    EXPECT_EQ(record.entry.actor, "cli:alice");
    EXPECT_EQ(record.entry.action, "ingest.batch");
    EXPECT_EQ(record.entry.target, "in.csv");
    EXPECT_EQ(record.entry.at, clock_.Now());
  }
  EXPECT_EQ(log[0].entry.payload_digest,
            Sha256Hex(Canonical("XA-01", "2024-W09", "3", "", "weekly-file") +
                      Canonical("XA-02", "2024-W09", "4", "1000.5", "lab")));
  EXPECT_EQ(log[1].entry.payload_digest,
            Sha256Hex(Canonical("XA-01", "2024-W10", "7", "", "weekly-file")));
}

TEST_F(AuditingObserverTest, ARolledBackBatchLeavesNoRecordAndNoTraceInTheNextDigest) {
  EXPECT_FALSE(Ingest(std::string(kHeader) + "salmonella-cases,XA-01,2024-W09,3,,\n" +
                      "salmonella-cases,XA-01,2024-W10,-1,,\n")
                   .ok());
  EXPECT_TRUE(Audit().empty());
  ASSERT_TRUE(Ingest(std::string(kHeader) + "salmonella-cases,XA-01,2024-W11,5,,\n").ok());
  const std::vector<AuditRecord> log = Audit();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].entry.payload_digest,
            Sha256Hex(Canonical("XA-01", "2024-W11", "5", "", "weekly-file")));
}

TEST_F(AuditingObserverTest, AGivenPayloadDigestIsRecordedInsteadOfTheObservations) {
  AuditingObserver observer(nullptr, clock_, "token:1a2b", "api/v1/observations",
                            Sha256Hex("the body"));
  Ingestor ingestor(catalogue_, *store_, clock_, &observer);
  const std::string text = std::string(kHeader) + "salmonella-cases,XA-01,2024-W09,3,,\n";
  StringSource source(text);
  InputBuffer buffer(source);
  std::unique_ptr<RecordReader> reader =
      std::move(OpenRecordReader(InputFormat::kCsv, buffer, "body")).value();
  IngestListener listener;
  ASSERT_TRUE(ingestor.Ingest(*reader, {.name = "api/v1/observations"}, {}, listener).ok());
  const std::vector<AuditRecord> log = Audit();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].entry.actor, "token:1a2b");
  EXPECT_EQ(log[0].entry.payload_digest, Sha256Hex("the body"));
}

}  // namespace
}  // namespace vigil
