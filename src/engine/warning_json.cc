#include "engine/warning_json.h"

#include <nlohmann/json.hpp>

#include "warn/event_json.h"

namespace vigil {
namespace {

// The warning as an event encodes it, so that both forms stay one.
nlohmann::json WarningJson(const warn::Warning& w) {
  warn::Event e;
  e.kind = warn::EventKind::kIssued;
  e.warning = w;
  return nlohmann::json::parse(warn::EncodeEvent(e))["warning"];
}

}  // namespace

std::string WarningListJson(const std::vector<const warn::Warning*>& warnings) {
  nlohmann::json out = nlohmann::json::array();
  for (const warn::Warning* w : warnings) {
    out.push_back(WarningJson(*w));
  }
  return out.dump(2) + "\n";
}

std::string SilenceListJson(const std::vector<const warn::Silence*>& silences) {
  nlohmann::json out = nlohmann::json::array();
  for (const warn::Silence* s : silences) {
    warn::Event e;
    e.kind = warn::EventKind::kSilenceCreated;
    e.silence = *s;
    out.push_back(nlohmann::json::parse(warn::EncodeEvent(e))["silence"]);
  }
  return out.dump(2) + "\n";
}

std::string WarningTimelineJson(const warn::Warning& warning,
                                const std::vector<warn::Event>& timeline) {
  nlohmann::json out = {{"warning", WarningJson(warning)}, {"timeline", nlohmann::json::array()}};
  for (const warn::Event& e : timeline) {
    out["timeline"].push_back(nlohmann::json::parse(warn::EncodeEvent(e)));
  }
  return out.dump(2) + "\n";
}

}  // namespace vigil
