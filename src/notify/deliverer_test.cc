// Delivery to real HTTP(S) receivers on 127.0.0.1: headers and signature,
// retries with backoff, abandonment, restarts, secrets and TLS.
#include "notify/deliverer.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>

#include "core/clock.h"
#include "notify/notify_testing.h"
#include "notify/service_testing.h"
#include "sqlite/sqlite_store.h"

namespace vigil::notify {
namespace {

using vigil::testing::ReceivedRequest;
using vigil::testing::RecordingServer;

constexpr const char* kSecretEnv = "VIGIL_NOTIFY_TEST_SECRET";

// HMAC-SHA256 with OpenSSL's one-shot HMAC(), as a receiver would compute it.
std::string ExpectedSignature(const std::string& secret, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += fmt::format("{:02x}", mac[i]);
  }
  return "sha256=" + hex;
}

class DelivererTest : public NotifyTest {
 protected:
  void SetUp() override { ::unsetenv(kSecretEnv); }
  void TearDown() override { ::unsetenv(kSecretEnv); }

  // Issues a warning at kT0 and enqueues its items in `store`; returns the first.
  OutboxItem IssueAndEnqueue(Store& store) {
    std::vector<OutboxItem> items = Enqueue(store, ItemsOf(Act(2, kT0)));
    EXPECT_EQ(items.size(), 1u);
    return items.empty() ? OutboxItem{} : items[0];
  }

  // Two items to a webhook receiver, both due.
  void EnqueueTwoDue() {
    LoadCatalogue(WebhookChannel(receiver_.Url("/hook")));
    Enqueue(*store_, ItemsOf(Act(2, kT0)));
    Enqueue(*store_, ItemsOf(Act(3, kT0 + std::chrono::seconds(1))));
    clock_.Advance(std::chrono::seconds(2));
  }

  DeliveryReport Deliver(Deliverer& deliverer) {
    Result<DeliveryReport> report = deliverer.DeliverDue();
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : DeliveryReport{};
  }

  RecordingServer receiver_;
  FakeClock clock_{kT0};
};

TEST_F(DelivererTest, WebhookRequestIsSignedWithTheChannelSecret) {
  ::setenv(kSecretEnv, "s3cret-for-tests", 1);
  LoadCatalogue(WebhookChannel(receiver_.Url("/hook"), kSecretEnv));
  const OutboxItem item = IssueAndEnqueue(*store_);
  clock_.Advance(std::chrono::seconds(3));
  Deliverer deliverer(*store_, *catalogue_, clock_);
  EXPECT_EQ(Deliver(deliverer).delivered, 1);

  const std::vector<ReceivedRequest> requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const ReceivedRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/hook");
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.Header("X-Vigil-Delivery"), item.notification_id);
  EXPECT_EQ(r.body, item.payload);
  const std::string timestamp = r.Header("X-Vigil-Timestamp");
  EXPECT_EQ(timestamp, std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                          clock_.Now().time_since_epoch())
                                          .count()));
  EXPECT_EQ(r.Header("X-Vigil-Signature"),
            ExpectedSignature("s3cret-for-tests", timestamp + "." + r.body));
  EXPECT_NE(r.Header("X-Vigil-Signature"),
            ExpectedSignature("another-secret", timestamp + "." + r.body));

  const OutboxItem stored = Stored(*store_, item.id);
  EXPECT_EQ(stored.state, OutboxState::kDelivered);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(stored.delivered_at, clock_.Now());
}

TEST_F(DelivererTest, WebhookWithoutSecretEnvIsNotSigned) {
  LoadCatalogue(WebhookChannel(receiver_.Url("/hook")));
  IssueAndEnqueue(*store_);
  Deliverer deliverer(*store_, *catalogue_, clock_);
  EXPECT_EQ(Deliver(deliverer).delivered, 1);
  ASSERT_EQ(receiver_.Requests().size(), 1u);
  EXPECT_EQ(receiver_.Requests()[0].Header("X-Vigil-Signature"), "");
  EXPECT_NE(receiver_.Requests()[0].Header("X-Vigil-Timestamp"), "");
}

TEST_F(DelivererTest, ARoundDeliversEverythingDueAcrossPasses) {
  EnqueueTwoDue();
  Deliverer deliverer(*store_, *catalogue_, clock_, {.batch = 1});
  const Result<DeliveryReport> round = deliverer.DeliverAllDue();
  ASSERT_TRUE(round.ok()) << round.status().message();
  EXPECT_EQ(round->attempted, 2);
  EXPECT_EQ(round->delivered, 2);
  EXPECT_EQ(receiver_.Requests().size(), 2u);
}

TEST_F(DelivererTest, ARoundStopsWhenToldBeforeAPass) {
  EnqueueTwoDue();
  Deliverer deliverer(*store_, *catalogue_, clock_, {.batch = 1});
  int passes = 0;
  const Result<DeliveryReport> round = deliverer.DeliverAllDue([&] { return passes++ < 1; });
  ASSERT_TRUE(round.ok()) << round.status().message();
  EXPECT_EQ(round->attempted, 1);
  EXPECT_EQ(receiver_.Requests().size(), 1u);
}

TEST_F(DelivererTest, FailedAttemptIsRetriedOnceAfterTheBackoff) {
  receiver_.Answer({500});
  LoadCatalogue(WebhookChannel(receiver_.Url("/hook")));
  const OutboxItem item = IssueAndEnqueue(*store_);
  const DeliveryOptions options;
  Deliverer deliverer(*store_, *catalogue_, clock_, options);
  EXPECT_EQ(Deliver(deliverer).retrying, 1);

  const OutboxItem failed = Stored(*store_, item.id);
  EXPECT_EQ(failed.state, OutboxState::kPending);
  EXPECT_EQ(failed.attempts, 1);
  EXPECT_NE(failed.last_error.find("HTTP 500"), std::string::npos) << failed.last_error;
  const Duration wait = failed.next_attempt - kT0;
  EXPECT_LE(wait, options.retry.first_delay);
  EXPECT_GE(wait, options.retry.first_delay * (1 - options.retry.jitter));

  clock_.Set(failed.next_attempt - Duration(1));
  EXPECT_EQ(Deliver(deliverer).attempted, 0) << "not due before the backoff has passed";
  clock_.Set(failed.next_attempt);
  EXPECT_EQ(Deliver(deliverer).delivered, 1);

  const std::vector<ReceivedRequest> requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].Header("X-Vigil-Delivery"), requests[0].Header("X-Vigil-Delivery"));
  EXPECT_EQ(requests[1].body, requests[0].body);
  const OutboxItem delivered = Stored(*store_, item.id);
  EXPECT_EQ(delivered.state, OutboxState::kDelivered);
  EXPECT_EQ(delivered.attempts, 2);
  EXPECT_EQ(delivered.delivered_at, failed.next_attempt);
}

TEST_F(DelivererTest, DeliveredItemIsNotSentAgainAfterARestart) {
  LoadCatalogue(WebhookChannel(receiver_.Url("/hook")));
  vigil::testing::TempDir dir;
  const std::filesystem::path file = dir.path() / "vigil.db";
  {
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(file, {});
    ASSERT_TRUE(store.ok()) << store.status().message();
    IssueAndEnqueue(**store);
    Deliverer deliverer(**store, *catalogue_, clock_);
    EXPECT_EQ(Deliver(deliverer).delivered, 1);
    clock_.Advance(std::chrono::hours(48));
    EXPECT_EQ(Deliver(deliverer).attempted, 0);
  }
  Result<std::unique_ptr<Store>> reopened = OpenSqliteStore(file, {});
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  Deliverer restarted(**reopened, *catalogue_, clock_);
  EXPECT_EQ(Deliver(restarted).attempted, 0);
  EXPECT_EQ(receiver_.Requests().size(), 1u);
}

TEST_F(DelivererTest, ItemIsAbandonedAfterTheMaximumAttempts) {
  receiver_.Answer({}, 503);
  LoadCatalogue(WebhookChannel(receiver_.Url("/hook")));
  const OutboxItem item = IssueAndEnqueue(*store_);
  DeliveryOptions options;
  options.retry.max_attempts = 3;
  Deliverer deliverer(*store_, *catalogue_, clock_, options);
  for (int attempt = 1; attempt < options.retry.max_attempts; ++attempt) {
    EXPECT_EQ(Deliver(deliverer).retrying, 1);
    clock_.Set(Stored(*store_, item.id).next_attempt);
  }
  EXPECT_EQ(Deliver(deliverer).abandoned, 1);
  clock_.Advance(std::chrono::hours(48));
  EXPECT_EQ(Deliver(deliverer).attempted, 0);

  const OutboxItem abandoned = Stored(*store_, item.id);
  EXPECT_EQ(abandoned.state, OutboxState::kAbandoned);
  EXPECT_EQ(abandoned.attempts, options.retry.max_attempts);
  EXPECT_NE(abandoned.last_error.find("HTTP 503"), std::string::npos);
  EXPECT_EQ(receiver_.Requests().size(), static_cast<size_t>(options.retry.max_attempts));
}

TEST_F(DelivererTest, ItemIsAbandonedWhenAFailureComesPastTheMaximumAge) {
  receiver_.Answer({}, 502);
  LoadCatalogue(WebhookChannel(receiver_.Url("/hook")));
  const OutboxItem item = IssueAndEnqueue(*store_);
  DeliveryOptions options;
  options.retry.max_age = std::chrono::hours(1);
  Deliverer deliverer(*store_, *catalogue_, clock_, options);
  EXPECT_EQ(Deliver(deliverer).retrying, 1);
  clock_.Set(item.created + options.retry.max_age);
  EXPECT_EQ(Deliver(deliverer).abandoned, 1);
  EXPECT_EQ(Stored(*store_, item.id).state, OutboxState::kAbandoned);
  EXPECT_EQ(Stored(*store_, item.id).attempts, 2);
}

TEST_F(DelivererTest, MissingSecretFailsTheAttemptWithoutSending) {
  LoadCatalogue(WebhookChannel(receiver_.Url("/hook"), kSecretEnv));
  const OutboxItem item = IssueAndEnqueue(*store_);
  Deliverer deliverer(*store_, *catalogue_, clock_);
  EXPECT_EQ(Deliver(deliverer).retrying, 1);
  EXPECT_TRUE(receiver_.Requests().empty());
  const OutboxItem failed = Stored(*store_, item.id);
  EXPECT_EQ(failed.state, OutboxState::kPending);
  EXPECT_NE(failed.last_error.find(kSecretEnv), std::string::npos) << failed.last_error;

  ::setenv(kSecretEnv, "now-set", 1);
  clock_.Set(failed.next_attempt);
  EXPECT_EQ(Deliver(deliverer).delivered, 1);
  ASSERT_EQ(receiver_.Requests().size(), 1u);
  EXPECT_NE(receiver_.Requests()[0].Header("X-Vigil-Signature"), "");
}

TEST_F(DelivererTest, UnreachableReceiverIsRetried) {
  LoadCatalogue(
      WebhookChannel(fmt::format("http://127.0.0.1:{}/hook", vigil::testing::FreePort())));
  const OutboxItem item = IssueAndEnqueue(*store_);
  Deliverer deliverer(*store_, *catalogue_, clock_);
  EXPECT_EQ(Deliver(deliverer).retrying, 1);
  EXPECT_NE(Stored(*store_, item.id).last_error.find("cannot connect"), std::string::npos)
      << Stored(*store_, item.id).last_error;
}

TEST_F(DelivererTest, HttpsReceiverIsTrustedThroughTheCaFile) {
  vigil::testing::TempDir dir;
  Result<vigil::testing::TestCertificate> cert =
      vigil::testing::MakeSelfSignedCertificate(dir.path());
  ASSERT_TRUE(cert.ok()) << cert.status().message();
  RecordingServer https(cert->cert, cert->key);
  LoadCatalogue(WebhookChannel(https.Url("/hook")));
  const OutboxItem item = IssueAndEnqueue(*store_);

  Deliverer untrusting(*store_, *catalogue_, clock_);
  EXPECT_EQ(Deliver(untrusting).retrying, 1);
  EXPECT_NE(Stored(*store_, item.id).last_error.find("certificate"), std::string::npos)
      << Stored(*store_, item.id).last_error;
  EXPECT_TRUE(https.Requests().empty());

  clock_.Set(Stored(*store_, item.id).next_attempt);
  Deliverer trusting(*store_, *catalogue_, clock_, {.ca_file = cert->cert.string()});
  EXPECT_EQ(Deliver(trusting).delivered, 1);
  ASSERT_EQ(https.Requests().size(), 1u);
  EXPECT_EQ(https.Requests()[0].body, item.payload);
}

TEST(RetryDelayTest, DoublesFromTheFirstDelayUpToTheCap) {
  const RetryPolicy policy;
  EXPECT_EQ(RetryDelay(policy, 1, 0), policy.first_delay);
  EXPECT_EQ(RetryDelay(policy, 2, 0), 2 * policy.first_delay);
  EXPECT_EQ(RetryDelay(policy, 4, 0), 8 * policy.first_delay);
  EXPECT_EQ(RetryDelay(policy, 60, 0), policy.max_delay);
}

TEST(RetryDelayTest, JitterShortensByAtMostItsFraction) {
  const RetryPolicy policy;
  const Duration full = RetryDelay(policy, 3, 0);
  const Duration most = RetryDelay(policy, 3, 0.999);
  EXPECT_LT(most, full);
  EXPECT_GE(most, full - Duration(static_cast<Duration::rep>(full.count() * policy.jitter)));
}

}  // namespace
}  // namespace vigil::notify
