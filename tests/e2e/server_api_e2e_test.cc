// End-to-end: the writing and querying routes of `vigil serve` on the real
// binary: observations in (all or nothing, partial, CSV, malformed, wrong
// type, too large, out of jurisdiction), series and signals out, warnings
// issued, updated and cancelled by hand, silences, agencies and escalations,
// and ingest -> warning -> acknowledgement -> CAP feed.
#include <set>

#include "core/digest.h"
#include "server_e2e_testing.h"

namespace vigil::e2e {
namespace {

constexpr const char* kNdjson = "application/x-ndjson";
// A gauge district of province XL-02, without a warning yet.
constexpr const char* kGauge = "XL-02-02";

// One river-level observation as a JSON Lines line.
std::string Line(const std::string& region, int hour, double value) {
  return fmt::format(
      R"({{"indicator": "river-level", "region": "{}", "time": "2025-01-01T{:02}:00:00Z", )"
      R"("value": {}}})"
      "\n",
      region, hour, value);
}

// Hours from..to (inclusive) at `value` metres: above 4.5 is red.
std::string Lines(const std::string& region, int from, int to, double value) {
  std::string out;
  for (int hour = from; hour <= to; ++hour) {
    out += Line(region, hour, value);
  }
  return out;
}

std::set<std::string> Ids(const nlohmann::json& list) {
  std::set<std::string> ids;
  for (const nlohmann::json& item : list) {
    ids.insert(item["id"].get<std::string>());
  }
  return ids;
}

class ServerApiTest : public ServerE2eTest {
 protected:
  void SetUp() override {
    max_body_bytes_ = "65536";
    ASSERT_NO_FATAL_FAILURE(ServerE2eTest::SetUp());
    county_feed_ =
        Token("--name county-feed --role ingest --region XL-02 --domain natural-hazards");
  }

  httplib::Result Ingest(const std::string& body, const std::string& token,
                         const std::string& query = "", const std::string& type = kNdjson) {
    return Post("/api/v1/observations" + query, token, body, type);
  }

  // The observations the series query returns for river-level in `region`.
  nlohmann::json Observations(const std::string& region) {
    return Json(
        Get("/api/v1/series?indicator=river-level&region=" + region, viewer_))["observations"];
  }

  static nlohmann::json Body(const httplib::Result& r) {
    return r ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
  }

  nlohmann::json LastAudit() {
    const RunResult audit = Run(ws_, "audit list --json");
    EXPECT_EQ(audit.exit_code, 0) << audit.err;
    return nlohmann::json::parse(audit.out).back();
  }

  std::string county_feed_;
};

TEST_F(ServerApiTest, ObservationsAreStoredAndAuditedWithTheTokenAndTheBodysDigest) {
  const std::string body = Lines(kGauge, 1, 3, 2.0);
  const httplib::Result r = Ingest(body, ingest_);
  const nlohmann::json answer = Json(r);
  EXPECT_EQ(answer["accepted"], 3);
  EXPECT_EQ(answer["rejected"], 0);
  EXPECT_TRUE(answer["errors"].empty());
  const nlohmann::json stored = Observations(kGauge);
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0]["time"], "2025-01-01T01:00:00Z");
  EXPECT_EQ(stored[0]["value"], 2.0);
  EXPECT_EQ(stored[0]["source"], "feeder") << "the token's name, for records without a source";

  const nlohmann::json audit = LastAudit();
  EXPECT_EQ(audit["action"], "ingest.batch");
  EXPECT_TRUE(audit["actor"].get<std::string>().starts_with("token:")) << audit.dump();
  EXPECT_EQ(audit["payload_digest"], Sha256Hex(body));
  EXPECT_EQ(Run(ws_, "audit verify").exit_code, 0);

  EXPECT_EQ(Json(Ingest(body, ingest_))["unchanged"], 3) << "the same data again changes nothing";
}

TEST_F(ServerApiTest, OneBadLineRejectsTheWholeBodyAndStoresNothing) {
  const std::string body = Line(kGauge, 1, 2.0) + Line(kGauge, 2, 2.0) +
                           R"({"indicator": "river-level", "region": "XL-02-02", "time": )"
                           R"("2025-01-01", "value": 2})"
                           "\n" +
                           Line("XZ-99", 4, 2.0);
  const httplib::Result r = Ingest(body, ingest_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  const nlohmann::json answer = Body(r);
  EXPECT_EQ(answer["error"]["code"], "unprocessable");
  EXPECT_EQ(answer["accepted"], 0);
  EXPECT_EQ(answer["rejected"], 2);
  ASSERT_EQ(answer["errors"].size(), 2u) << answer.dump();
  EXPECT_EQ(answer["errors"][0]["line"], 3);
  EXPECT_EQ(answer["errors"][0]["field"], "time");
  EXPECT_EQ(answer["errors"][1]["line"], 4);
  EXPECT_EQ(answer["errors"][1]["field"], "region");
  EXPECT_TRUE(Observations(kGauge).empty()) << "nothing of the body was stored";
}

TEST_F(ServerApiTest, PartialStoresTheValidLinesAndListsTheOthers) {
  const std::string body = Line(kGauge, 1, 2.0) + R"({"indicator": "river-level", "region": )" +
                           "\n" + Line(kGauge, 2, 2.5);
  const nlohmann::json answer = Json(Ingest(body, ingest_, "?partial=true"));
  EXPECT_EQ(answer["accepted"], 2);
  EXPECT_EQ(answer["rejected"], 1);
  ASSERT_EQ(answer["errors"].size(), 1u);
  EXPECT_EQ(answer["errors"][0]["line"], 2);
  EXPECT_FALSE(answer["errors"][0]["message"].get<std::string>().empty());
  EXPECT_EQ(Observations(kGauge).size(), 2u);
  EXPECT_EQ(Ingest(body, ingest_, "?partial=maybe")->status, 400);
}

TEST_F(ServerApiTest, MalformedJsonIsRejectedWithItsLine) {
  const httplib::Result r = Ingest("{\"indicator\": \"river-level\", \"region\": [\n", ingest_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_EQ(Body(r)["errors"][0]["line"], 1);
  EXPECT_TRUE(Observations(kGauge).empty());
}

TEST_F(ServerApiTest, CsvIsTakenWithItsHeader) {
  const std::string csv =
      "indicator,region,time,value\n"
      "river-level,XL-02-02,2025-01-01T01:00:00Z,1.5\n"
      "river-level,XL-02-02,2025-01-01T02:00:00Z,1.75\n";
  EXPECT_EQ(Json(Ingest(csv, ingest_, "", "text/csv"))["accepted"], 2);
  const nlohmann::json stored = Observations(kGauge);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1]["value"], 1.75);

  const httplib::Result header = Ingest("indicator,place,time,value\n", ingest_, "", "text/csv");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->status, 400) << header->body;
  EXPECT_EQ(ErrorCode(header), "bad_request");
}

TEST_F(ServerApiTest, AWrongContentTypeIs415AndAnOversizedBody413) {
  const httplib::Result plain = Ingest(Line(kGauge, 1, 2.0), ingest_, "", "text/plain");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 415);
  EXPECT_EQ(ErrorCode(plain), "unsupported_media_type");

  const httplib::Result large =
      Ingest(Lines(kGauge, 0, 23, 2.0) + std::string(70000, '\n'), ingest_);
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 413);
  EXPECT_TRUE(Observations(kGauge).empty());
}

TEST_F(ServerApiTest, ObservationsOutsideTheTokensJurisdictionAreRejectedPerLine) {
  const std::string body = Line(kGauge, 1, 2.0) + Line("XL-01-01", 1, 2.0) +
                           R"({"indicator": "salmonella-cases", "region": "XL-02-01", )"
                           R"("time": "2024-W52", "value": 3})"
                           "\n";
  const httplib::Result all = Ingest(body, county_feed_);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->status, 422) << all->body;
  const nlohmann::json errors = Body(all)["errors"];
  ASSERT_GE(errors.size(), 2u) << errors.dump();
  EXPECT_EQ(errors[0]["line"], 2);
  EXPECT_EQ(errors[0]["field"], "region");

  const nlohmann::json partial = Json(Ingest(body, county_feed_, "?partial=true"));
  EXPECT_EQ(partial["accepted"], 1);
  EXPECT_EQ(Observations(kGauge).size(), 1u);
  EXPECT_TRUE(Observations("XL-01-01").empty());
}

TEST_F(ServerApiTest, ASeriesHasItsObservationsThresholdsAndSignals) {
  ASSERT_EQ(Json(Ingest(Lines(kGauge, 1, 6, 2.0), ingest_))["accepted"], 6);
  const nlohmann::json series =
      Json(Get("/api/v1/series?indicator=river-level&region=XL-02-02&from=2025-01-01T02:00:00Z&to="
               "2025-01-01T05:00:00Z",
               viewer_));
  EXPECT_EQ(series["frequency"], "hourly");
  ASSERT_EQ(series["observations"].size(), 3u) << "from is inclusive, to exclusive";
  ASSERT_FALSE(series["signals"].empty()) << series.dump();
  for (const nlohmann::json& s : series["signals"]) {
    EXPECT_EQ(s["method"], "threshold");
    EXPECT_EQ(s["upperbound"], 3.0) << "the blue threshold";
    EXPECT_FALSE(s["alarm"].get<bool>());
  }
  EXPECT_EQ(Get("/api/v1/series?region=XL-02-02", viewer_)->status, 400);
  EXPECT_EQ(Get("/api/v1/series?indicator=river-level&region=XL-02-02&from=soon", viewer_)->status,
            400);
  EXPECT_EQ(ErrorCode(Get("/api/v1/series?indicator=river-level&region=XL-02-02", district_)),
            "forbidden");
}

TEST_F(ServerApiTest, SignalsAreFilteredAndLimitedWithinTheJurisdiction) {
  ASSERT_EQ(
      Json(Ingest(Lines(kGauge, 1, 12, 2.0) + Lines("XL-01-01", 1, 6, 2.0), ingest_))["accepted"],
      18);
  const nlohmann::json all = Json(Get("/api/v1/signals?indicator=river-level", viewer_));
  std::set<std::string> regions;
  for (const nlohmann::json& s : all) {
    regions.insert(s["region"].get<std::string>());
  }
  EXPECT_EQ(regions, (std::set<std::string>{"XL-01-01", kGauge}));
  const nlohmann::json district = Json(Get("/api/v1/signals", district_));
  ASSERT_FALSE(district.empty());
  for (const nlohmann::json& s : district) {
    EXPECT_EQ(s["region"], "XL-01-01");
  }
  const nlohmann::json last = Json(Get("/api/v1/signals?region=XL-02-02&limit=1", viewer_));
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0]["time"], all.back()["time"]) << "the limit keeps the most recent";
  // The newest signals are the gauge's, outside the district: its page is
  // still full.
  const nlohmann::json page = Json(Get("/api/v1/signals?limit=3", district_));
  ASSERT_EQ(page.size(), 3u);
  for (const nlohmann::json& s : page) {
    EXPECT_EQ(s["region"], "XL-01-01");
  }
  EXPECT_EQ(page.back()["time"], district.back()["time"]);
  EXPECT_EQ(ErrorCode(Get("/api/v1/signals?region=XL-02-02", district_)), "forbidden");
  EXPECT_EQ(Get("/api/v1/signals?limit=many", viewer_)->status, 400);
}

TEST_F(ServerApiTest, AnOperatorIssuesUpdatesAndCancelsAWarningInItsJurisdiction) {
  const std::string key = "natural-hazards/XL-02-04/flood";
  const nlohmann::json issued = Json(Post(
      "/api/v1/warnings", county_,
      R"({"key": ")" + key + R"(", "level": "orange", "reason": "levee breach", "until": "+6h"})"));
  EXPECT_EQ(issued["warning"]["id"], key + "/1");
  EXPECT_EQ(issued["warning"]["level"], 3);
  EXPECT_EQ(LastAudit()["action"], "warnings.issue");
  EXPECT_FALSE(CapIdentifier("XL-02-04").empty()) << "CAP published again";

  const nlohmann::json updated = Json(Post("/api/v1/warnings/" + key + "/1/update", county_,
                                           R"({"level": 4, "reason": "rising"})"));
  EXPECT_EQ(updated["warning"]["level"], 4);
  EXPECT_EQ(LastAudit()["action"], "warnings.update");

  const nlohmann::json cancelled =
      Json(Post("/api/v1/warnings/" + key + "/cancel", county_, R"({"reason": "receded"})"));
  EXPECT_EQ(cancelled["warning"]["status"], "cancelled");
  EXPECT_EQ(LastAudit()["action"], "warnings.cancel");
  EXPECT_EQ(Ids(Json(Get("/api/v1/warnings?status=cancelled", viewer_))),
            std::set<std::string>{key + "/1"});

  EXPECT_EQ(ErrorCode(Post("/api/v1/warnings", county_,
                           R"({"key": "health/XL-01/infectious-disease", "level": "red", )"
                           R"("reason": "x"})")),
            "forbidden");
  EXPECT_EQ(ErrorCode(Post(std::string("/api/v1/warnings/") + kDisease + "/cancel", county_,
                           R"({"reason": "x"})")),
            "forbidden");
  EXPECT_EQ(ErrorCode(Post("/api/v1/warnings", county_, R"({"key": ")" + key + R"("})")),
            "bad_request")
      << "no level";
  EXPECT_EQ(ErrorCode(Post("/api/v1/warnings", county_, "[1]")), "bad_request");
  EXPECT_EQ(ErrorCode(Post(std::string("/api/v1/warnings/") + kFlood + "/update", county_,
                           R"({"level": "purple", "reason": "x"})")),
            "bad_request");
}

TEST_F(ServerApiTest, SilencesAreCreatedListedAndEndedWithinTheJurisdiction) {
  const httplib::Result created =
      Post("/api/v1/silences", county_,
           R"({"domain": "natural-hazards", "region": "XL-02", "until": "+6h", )"
           R"("reason": "gauge maintenance"})");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = Body(created)["id"];
  EXPECT_EQ(LastAudit()["action"], "warnings.silence");

  EXPECT_EQ(Ids(Json(Get("/api/v1/silences", county_))), std::set<std::string>{id});
  EXPECT_TRUE(Json(Get("/api/v1/silences", district_)).empty());
  EXPECT_EQ(ErrorCode(Post("/api/v1/silences", county_,
                           R"({"domain": "natural-hazards", "until": "+6h", "reason": "all"})")),
            "forbidden")
      << "a silence of every region is beyond a county";
  EXPECT_EQ(ErrorCode(Post("/api/v1/silences", county_,
                           R"({"domain": "natural-hazards", "region": "XL-02", "reason": "x"})")),
            "bad_request")
      << "no end";

  const RunResult cli = Run(ws_, fmt::format("--now {} warnings silences --json", kNow));
  EXPECT_EQ(Json(Get("/api/v1/silences", viewer_)), nlohmann::json::parse(cli.out));

  EXPECT_EQ(ErrorCode(Delete("/api/v1/silences/" + id + "?reason=done", district_)), "forbidden");
  EXPECT_EQ(Json(Delete("/api/v1/silences/" + id + "?reason=done", county_))["id"], id);
  EXPECT_EQ(LastAudit()["action"], "warnings.unsilence");
  EXPECT_TRUE(Json(Get("/api/v1/silences", county_)).empty());
  EXPECT_EQ(ErrorCode(Delete("/api/v1/silences/" + id + "?reason=again", county_)), "not_found");
}

TEST_F(ServerApiTest, AgenciesAreListedWithoutSecretsAndEscalationsPerWarning) {
  const nlohmann::json agencies = Json(Get("/api/v1/agencies", viewer_));
  ASSERT_FALSE(agencies.empty());
  EXPECT_EQ(agencies.dump().find("secret"), std::string::npos) << agencies.dump();
  for (const nlohmann::json& a : agencies) {
    EXPECT_TRUE(a.contains("channels") && a.contains("regions")) << a.dump();
  }
  const nlohmann::json county = Json(Get("/api/v1/agencies", county_));
  ASSERT_FALSE(county.empty());
  EXPECT_LT(county.size(), agencies.size()) << "not the health agencies";
  for (const nlohmann::json& a : county) {
    const nlohmann::json& domains = a["domains"];
    EXPECT_TRUE(domains.empty() ||
                std::find(domains.begin(), domains.end(), "natural-hazards") != domains.end())
        << a.dump();
  }

  const nlohmann::json escalations = Json(Get("/api/v1/escalations", viewer_));
  EXPECT_EQ(Ids(escalations), (std::set<std::string>{kFlood, kDisease}));
  for (const nlohmann::json& e : escalations) {
    EXPECT_EQ(e["tier"], 0);
    EXPECT_FALSE(e["acknowledged"].get<bool>());
    EXPECT_FALSE(e["agency"].get<std::string>().empty()) << e.dump();
  }
  EXPECT_EQ(Ids(Json(Get("/api/v1/escalations", district_))), std::set<std::string>{kDisease});
}

TEST_F(ServerApiTest, IngestRaisesAWarningThatIsAcknowledgedAndPublished) {
  const nlohmann::json answer = Json(Ingest(Lines(kGauge, 1, 6, 5.0), county_feed_));
  EXPECT_GT(answer["alarms"].get<int>(), 0) << answer.dump();
  EXPECT_GT(answer["warning_events"].get<int>(), 0) << answer.dump();

  const std::string id = fmt::format("natural-hazards/{}/flood/1", kGauge);
  const nlohmann::json warnings = Json(Get("/api/v1/warnings?region=XL-02-02", viewer_));
  ASSERT_EQ(Ids(warnings), std::set<std::string>{id});
  EXPECT_EQ(warnings[0]["level"], 4);

  const nlohmann::json acked =
      Json(Post("/api/v1/warnings/" + id + "/ack", county_, R"({"reason": "crews out"})"));
  EXPECT_TRUE(acked["warning"]["acknowledged"].get<bool>());
  for (const nlohmann::json& e : Json(Get("/api/v1/escalations", county_))) {
    EXPECT_EQ(e["acknowledged"].get<bool>(), e["id"] == id) << e.dump();
  }

  const std::string cap = CapIdentifier(kGauge);
  ASSERT_FALSE(cap.empty()) << "published after the ingest";
  const httplib::Result feed = Get("/cap/feed.atom", viewer_);
  ASSERT_TRUE(feed && feed->status == 200);
  EXPECT_NE(feed->body.find(cap), std::string::npos) << feed->body;
  const httplib::Result message = Get("/cap/" + cap + ".xml", county_);
  ASSERT_TRUE(message && message->status == 200);
  EXPECT_NE(message->body.find("<severity>"), std::string::npos);
}

}  // namespace
}  // namespace vigil::e2e
