// End-to-end: warnings raised by `vigil ingest` on the bundled scenario, and
// operated with `vigil warnings`, run through the real binary; every CAP
// message it publishes passes `vigil cap validate`.
#include <nlohmann/json.hpp>
#include <set>

#include "e2e_testing.h"

namespace vigil::e2e {
namespace {

constexpr const char* kNow = "--now 2025-01-01T00:00:00Z";

class WarningsE2eTest : public VigilTest {
 protected:
  void SetUp() override {
    VigilTest::SetUp();
    ws_ = root_ / "ws";
    const RunResult simulated =
        Run(root_, fmt::format("simulate --seed 42 --out '{}'", ws_.string()));
    ASSERT_EQ(simulated.exit_code, 0) << simulated.err;
  }

  RunResult At(const std::string& time, const std::string& args) {
    return Run(ws_, fmt::format("--now {} {}", time, args));
  }

  nlohmann::json Warnings(const std::string& args = "") {
    const RunResult listed = Run(ws_, fmt::format("{} warnings --json {}", kNow, args));
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    return nlohmann::json::parse(listed.out);
  }

  std::vector<std::filesystem::path> CapFiles() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(ws_ / "cap")) {
      if (entry.path().extension() == ".xml") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  std::filesystem::path ws_;
};

TEST_F(WarningsE2eTest, IngestRaisesWarningsOncePerKeyAndPublishesValidCap) {
  const RunResult ingested = Run(ws_, fmt::format("{} --log-level warn ingest", kNow));
  ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
  EXPECT_NE(ingested.out.find("warnings: "), std::string::npos) << ingested.out;

  const nlohmann::json active = Warnings();
  ASSERT_GE(active.size(), 1u);
  std::set<std::string> keys;
  for (const nlohmann::json& w : active) {
    EXPECT_EQ(w["status"], "active");
    const nlohmann::json& k = w["key"];
    EXPECT_TRUE(
        keys.insert(fmt::format("{}/{}/{}", k["domain"].get<std::string>(),
                                k["region"].get<std::string>(), k["hazard"].get<std::string>()))
            .second)
        << "two active warnings for one key: " << w.dump();
    EXPECT_FALSE(w["agency"].get<std::string>().empty()) << w.dump();
  }
  // Ingesting the same data again changes no warning and publishes nothing new.
  const size_t files = CapFiles().size();
  EXPECT_EQ(files, active.size());
  ASSERT_EQ(Run(ws_, fmt::format("{} --log-level warn ingest", kNow)).exit_code, 0);
  EXPECT_EQ(Warnings(), active);
  EXPECT_EQ(CapFiles().size(), files);

  const std::string id = active[0]["id"];
  const RunResult shown = Run(ws_, fmt::format("{} warnings show {}", kNow, id));
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("why (the evidence"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("observed"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("timeline:"), std::string::npos) << shown.out;

  std::string list;
  for (const std::filesystem::path& f : CapFiles()) {
    list += fmt::format(" '{}'", f.string());
  }
  const RunResult validated = Run(ws_, "cap validate" + list);
  EXPECT_EQ(validated.exit_code, 0) << validated.out << validated.err;
  const std::string feed = ReadFile(ws_ / "cap" / "index.atom");
  EXPECT_NE(feed.find("application/cap+xml"), std::string::npos);
}

TEST_F(WarningsE2eTest, OperatorsIssueRaiseAndCancelWithAValidCapChain) {
  const std::string key = "natural-hazards/XL-02/flood";
  RunResult r =
      At("2025-01-01T08:00:00Z", fmt::format("warnings issue {} --level orange --by duty-officer "
                                             "--reason 'levee breach reported'",
                                             key));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("issued"), std::string::npos) << r.out;
  // A second issue over the active warning is refused and changes nothing.
  r = At("2025-01-01T08:01:00Z",
         fmt::format("warnings issue {} --level red --by duty-officer --reason again", key));
  EXPECT_EQ(r.exit_code, 3) << r.out;
  r = At(
      "2025-01-01T08:30:00Z",
      fmt::format("warnings update {} --level red --by duty-officer --reason 'evacuation'", key));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Not acknowledged within red's minute: the next tick escalates.
  r = At("2025-01-01T08:35:00Z", "warnings tick");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("escalated"), std::string::npos) << r.out;
  r = At("2025-01-01T08:36:00Z", fmt::format("warnings ack {}/1 --by duty-officer", key));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = At("2025-01-01T12:00:00Z",
         fmt::format("warnings cancel {} --by duty-officer --reason 'water receding'", key));
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const nlohmann::json all = Warnings("--all");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["status"], "cancelled");
  EXPECT_TRUE(all[0]["acknowledged"].get<bool>());
  EXPECT_TRUE(Warnings().empty());

  const std::vector<std::filesystem::path> files = CapFiles();
  ASSERT_EQ(files.size(), 3u);  // Alert, Update, Cancel
  std::vector<std::string> types;
  std::string list;
  for (const std::filesystem::path& f : files) {
    const std::string text = ReadFile(f);
    for (const char* type : {"Alert", "Update", "Cancel"}) {
      if (text.find(fmt::format("<msgType>{}</msgType>", type)) != std::string::npos) {
        types.push_back(type);
      }
    }
    list += fmt::format(" '{}'", f.string());
  }
  std::sort(types.begin(), types.end());
  EXPECT_EQ(types, (std::vector<std::string>{"Alert", "Cancel", "Update"}));
  const std::string cancel = ReadFile(files[2]);
  EXPECT_NE(cancel.find("<msgType>Cancel</msgType>"), std::string::npos) << files[2];
  EXPECT_NE(cancel.find(files[0].stem().string()), std::string::npos) << "references the Alert";
  EXPECT_NE(cancel.find(files[1].stem().string()), std::string::npos) << "references the Update";
  r = Run(ws_, "cap validate" + list);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  r = Run(ws_, fmt::format("{} warnings show {}/1 --json", kNow, key));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> kinds;
  const nlohmann::json shown = nlohmann::json::parse(r.out);
  for (const nlohmann::json& e : shown["timeline"]) {
    kinds.push_back(e["kind"]);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"issued", "updated", "escalated", "acknowledged",
                                             "cancelled"}));
}

TEST_F(WarningsE2eTest, BadActionsNameTheProblem) {
  RunResult r =
      Run(ws_, fmt::format("{} warnings issue not-a-key --level red --by a --reason b", kNow));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a warning key"), std::string::npos) << r.err;
  r = Run(ws_, fmt::format("{} warnings issue health/XL-01/infectious-disease --level purple "
                           "--by a --reason b",
                           kNow));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("purple"), std::string::npos) << r.err;
  r = Run(ws_, fmt::format("{} warnings ack health/XL-01/infectious-disease --by a", kNow));
  EXPECT_EQ(r.exit_code, 3);
  r = Run(ws_, fmt::format("{} warnings show health/XL-01/infectious-disease/9", kNow));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no warning"), std::string::npos) << r.err;
  r = Run(ws_, "--now yesterday warnings tick");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--now"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vigil::e2e
