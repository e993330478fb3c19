// `vigil serve`'s /metrics through Debian's Prometheus and promtool: the
// real binary serves a workspace that `vigil ingest` filled, the real
// Prometheus scrapes it every second, and its query API must see the target
// up and Vigil's metrics agree with the API's own answers.
#include <sys/wait.h>

#include <cstdlib>
#include <map>
#include <sstream>

#include "server_e2e_testing.h"

namespace vigil::e2e {
namespace {

using nlohmann::json;

// The samples of a text exposition: "name{labels}" as written -> value.
std::map<std::string, double> Samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const size_t space = line.rfind(' ');
    if (!line.starts_with('#') && space != std::string::npos) {
      out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
  }
  return out;
}

class MetricsE2eTest : public ServerE2eTest {
 protected:
  void SetUp() override {
    prometheus_ = testing::FindOnPath(testing::PrometheusProcess::kBinary);
    promtool_ = testing::FindOnPath("promtool");
    if (prometheus_.empty() || promtool_.empty()) {
      GTEST_SKIP() << "Debian's prometheus (prometheus and promtool) is not installed; "
                      "scripts/setup installs it";
    }
    ServerE2eTest::SetUp();
    // Serve what ingest left, as an operations centre would.
    server_.reset();
    const RunResult ingested = Run(ws_, fmt::format("--now {} --log-level warn ingest", kNow));
    ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
    ASSERT_NO_FATAL_FAILURE(StartServer());
  }

  std::string Metrics() const {
    const httplib::Result r = Get("/metrics", "");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    return r ? r->body : "";
  }

  // Active warnings by level colour, as the API lists them (active is its default).
  std::map<std::string, int> ActiveByLevel() const {
    constexpr const char* kColours[] = {"blue", "yellow", "orange", "red"};
    std::map<std::string, int> counts = {{"blue", 0}, {"yellow", 0}, {"orange", 0}, {"red", 0}};
    for (const json& w : Json(Get("/api/v1/warnings", admin_))) {
      ++counts[kColours[w["level"].get<int>() - 1]];
    }
    return counts;
  }

  std::string prometheus_;
  std::string promtool_;
};

// The value of a one-sample instant query, or "" while there is none.
std::string OneValue(const std::string& body) {
  const json answer = json::parse(body, nullptr, false);
  if (!answer.is_object() || answer.value("status", "") != "success") {
    return "";
  }
  const json& result = answer["data"]["result"];
  return result.size() == 1 ? result[0]["value"][1].get<std::string>() : "";
}

TEST_F(MetricsE2eTest, PrometheusScrapesTheServer) {
  auto started = testing::PrometheusProcess::Start(prometheus_, root_ / "prometheus",
                                                   fmt::format("127.0.0.1:{}", port_));
  ASSERT_TRUE(started.ok()) << started.status().message();
  const testing::PrometheusProcess& prometheus = **started;
  const auto value_of = [&](const std::string& query) {
    Result<std::string> body = prometheus.Query(query);
    return body.ok() ? OneValue(*body) : "";
  };

  // The first scrape lands some seconds after start: discovery batches updates.
  EXPECT_TRUE(testing::PollUntil([&] { return value_of(R"(up{job="vigil"})") == "1"; }, 600))
      << prometheus.Log();
  int active = 0;
  for (const auto& [level, count] : ActiveByLevel()) {
    active += count;
  }
  ASSERT_GT(active, 0) << "the workspace should hold the warnings issued by hand";
  std::string seen;
  EXPECT_TRUE(testing::PollUntil(
      [&] {
        seen = value_of(R"(sum(vigil_warnings_active{job="vigil"}))");
        return seen == std::to_string(active);
      },
      600))
      << "Prometheus saw '" << seen << "', the API lists " << active << " active warnings";
  // A scrape is counted once answered, so the next scrape is the first to see it.
  EXPECT_TRUE(testing::PollUntil(
      [&] {
        return !value_of(R"(vigil_http_requests_total{route="/metrics",code="200"} > 0)").empty();
      },
      600))
      << "Prometheus' own scrapes are counted";
}

TEST_F(MetricsE2eTest, ExpositionPassesPromtoolWithoutLintWarnings) {
  ASSERT_EQ(Get("/api/v1/warnings", viewer_)->status, 200);  // so that histograms have samples
  const std::string body = Metrics();
  ASSERT_FALSE(body.empty());
  const std::filesystem::path file = root_ / "metrics.txt";
  const std::filesystem::path out = root_ / "promtool.txt";
  WriteFile(file, body);
  const int status = std::system(
      fmt::format("'{}' check metrics <'{}' >'{}' 2>&1", promtool_, file.string(), out.string())
          .c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadFile(out) << "\n" << body;
  EXPECT_EQ(ReadFile(out), "") << "promtool's lint warnings fail the test";
}

TEST_F(MetricsE2eTest, MetricsAgreeWithWhatTheServerDid) {
  constexpr int kMissing = 3;
  for (int i = 0; i < kMissing; ++i) {
    EXPECT_EQ(Get("/no/such/route", "")->status, 404);
  }
  EXPECT_EQ(Get("/api/v1/warnings", "")->status, 401);
  const std::map<std::string, int> by_level = ActiveByLevel();

  const httplib::Result r = Get("/metrics", "");
  ASSERT_TRUE(r && r->status == 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::map<std::string, double> s = Samples(r->body);
  EXPECT_EQ(s.at(R"(vigil_http_requests_total{method="GET",route="unmatched",code="404"})"),
            kMissing);
  EXPECT_EQ(s.at(R"(vigil_http_requests_total{method="GET",route="/api/v1/warnings",code="401"})"),
            1);
  EXPECT_EQ(s.at(R"(vigil_http_request_duration_seconds_count{method="GET",route="unmatched"})"),
            kMissing);
  for (const auto& [level, count] : by_level) {
    EXPECT_EQ(s.at(fmt::format(R"(vigil_warnings_active{{level="{}"}})", level)), count) << level;
  }
  EXPECT_TRUE(s.contains("vigil_outbox_pending"));
  EXPECT_EQ(s.at("vigil_event_stream_subscribers"), 0) << "nobody follows the event stream";
  EXPECT_EQ(s.at("vigil_event_stream_dropped_events_total"), 0);
  EXPECT_EQ(s.at("vigil_ingest_observations_accepted_total"), 0) << "this process ingested nothing";
  EXPECT_GT(s.at("process_open_fds"), 0);
  EXPECT_GT(s.at("process_resident_memory_bytes"), 0);
}

TEST_F(MetricsE2eTest, MetricsCanRequireAToken) {
  server_.reset();
  ASSERT_NO_FATAL_FAILURE(StartServer({"--metrics-token"}));
  EXPECT_EQ(Get("/metrics", "")->status, 401);
  EXPECT_EQ(Get("/metrics", ingest_)->status, 403);
  const httplib::Result r = Get("/metrics", viewer_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("# TYPE vigil_warnings_active gauge"), std::string::npos);
}

}  // namespace
}  // namespace vigil::e2e
