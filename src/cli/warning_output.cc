#include "cli/warning_output.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "cli/signal_output.h"
#include "engine/warning_json.h"
#include "warn/event_json.h"

namespace vigil::cli {
namespace {

std::string Number(double x) { return std::isnan(x) ? "-" : fmt::format("{:.4g}", x); }

std::string Level(int level) { return fmt::format("{} {}", level, LevelColour(level)); }

std::string YesNo(bool b) { return b ? "yes" : "no"; }

std::string CombineName(const WarningPolicy& policy) {
  switch (policy.combine) {
    case CombineRule::kAny:
      return "any";
    case CombineRule::kAll:
      return "all";
    case CombineRule::kKOfN:
      return fmt::format("{}-of-n", policy.combine_k);
  }
  return "any";
}

std::string Source(const warn::Evidence& e, const Catalogue& catalogue) {
  if (e.source == warn::kChildRegionsSource) {
    return "child regions";
  }
  const Indicator* indicator = catalogue.FindIndicator(e.source);
  if (indicator == nullptr || e.detector >= static_cast<int>(indicator->detectors.size())) {
    return e.source;
  }
  return fmt::format("{} / {}", e.source, indicator->detectors[e.detector].method);
}

std::string EvidenceTable(const std::vector<warn::Evidence>& evidence, const Catalogue& catalogue) {
  std::vector<std::vector<std::string>> rows = {
      {"source", "period", "observed", "expected", "threshold", "score", "level", "revised"}};
  for (const warn::Evidence& e : evidence) {
    const bool grouped = e.source == warn::kChildRegionsSource;
    rows.push_back({Source(e, catalogue), grouped ? "-" : EventTime(e.period, e.source, catalogue),
                    Number(e.observed), Number(e.expected), Number(e.threshold), Number(e.score),
                    Level(e.level), YesNo(e.revised)});
  }
  return FormatTable(rows, {"observed", "expected", "threshold", "score"});
}

}  // namespace

std::string FormatWarningList(const std::vector<const warn::Warning*>& warnings, bool json) {
  if (json) {
    return WarningListJson(warnings);
  }
  if (warnings.empty()) {
    return "no warnings\n";
  }
  std::vector<std::vector<std::string>> rows = {
      {"id", "level", "status", "agency", "tier", "acked", "held", "issued", "changed"}};
  for (const warn::Warning* w : warnings) {
    rows.push_back({w->id, Level(w->level), std::string(warn::WarningStatusName(w->status)),
                    w->agency.empty() ? "-" : w->agency, std::to_string(w->tier),
                    YesNo(w->acknowledged), YesNo(w->held), FormatRfc3339(w->issued_at),
                    FormatRfc3339(w->changed_at)});
  }
  return FormatTable(rows, {"tier"});
}

std::string FormatWarning(const warn::Warning& w, const std::vector<warn::Event>& timeline,
                          const Catalogue& catalogue, bool json) {
  if (json) {
    return WarningTimelineJson(w, timeline);
  }
  const Region* region = catalogue.FindRegion(w.key.region);
  const WarningPolicy* policy = catalogue.FindPolicy(w.policy);
  std::string out = fmt::format("warning  {}\n", w.id);
  out += fmt::format("level    {} ({})\n", Level(w.level),
                     std::string(warn::WarningStatusName(w.status)));
  out += fmt::format("area     {}{}\n", w.key.region,
                     region != nullptr ? fmt::format(" ({})", region->name) : "");
  out += fmt::format("hazard   {} in {}\n", w.key.hazard, w.key.domain);
  if (policy != nullptr) {
    out += fmt::format("policy   {} (combine: {}, demote after {}, expire after {})\n", policy->id,
                       CombineName(*policy), FormatDuration(policy->demote_after),
                       FormatDuration(policy->expire_after));
  }
  out += fmt::format("agency   {} (tier {}{})\n", w.agency.empty() ? "-" : w.agency, w.tier,
                     w.escalated.empty() ? "" : ", escalated to " + w.escalated);
  out +=
      fmt::format("ack      {}{}\n", w.acknowledged ? "by " + w.acknowledged_by : std::string("no"),
                  w.ack_deadline ? ", due " + FormatRfc3339(*w.ack_deadline) : "");
  if (w.manual) {
    out += fmt::format("manual   until {}\n", FormatRfc3339(w.manual_until));
  }
  out += fmt::format("issued   {}\nchanged  {}\n", FormatRfc3339(w.issued_at),
                     FormatRfc3339(w.changed_at));
  for (auto it = timeline.rbegin(); it != timeline.rend(); ++it) {
    if (!it->signals.empty()) {
      out += fmt::format("\nwhy (the evidence at the {} of {}):\n", warn::EventKindName(it->kind),
                         FormatRfc3339(it->at));
      out += EvidenceTable(it->signals, catalogue);
      break;
    }
  }
  out += "\ntimeline:\n";
  std::vector<std::vector<std::string>> rows = {{"seq", "at", "event", "actor", "level", "reason"}};
  for (const warn::Event& e : timeline) {
    const bool evidence = e.kind == warn::EventKind::kEvidence;
    rows.push_back({std::to_string(e.seq), FormatRfc3339(e.at),
                    evidence ? fmt::format("evidence {}", Source(e.evidence, catalogue))
                             : std::string(warn::EventKindName(e.kind)),
                    e.actor, Level(evidence ? e.combined_level : e.warning.level), e.reason});
  }
  return out + FormatTable(rows, {"seq"});
}

std::string FormatSilences(const warn::State& state, bool json) {
  if (json) {
    std::vector<const warn::Silence*> silences;
    for (const auto& [id, s] : state.silences) {
      silences.push_back(&s);
    }
    return SilenceListJson(silences);
  }
  if (state.silences.empty()) {
    return "no active silences\n";
  }
  auto any = [](const std::string& m) { return m.empty() ? std::string("*") : m; };
  std::vector<std::vector<std::string>> rows = {
      {"id", "domain", "region", "hazard", "owner", "ends", "reason"}};
  for (const auto& [id, s] : state.silences) {
    rows.push_back({s.id, any(s.domain), any(s.region), any(s.hazard), s.owner,
                    FormatRfc3339(s.ends_at), s.reason});
  }
  return FormatTable(rows);
}

std::string FormatStep(const warn::StepResult& result) {
  std::string out;
  for (const warn::Event& e : result.events) {
    if (e.kind == warn::EventKind::kEvidence) {
      continue;
    }
    const bool silence =
        e.kind == warn::EventKind::kSilenceCreated || e.kind == warn::EventKind::kSilenceExpired;
    out += fmt::format("{:<16} {}{}\n", warn::EventKindName(e.kind),
                       silence ? e.silence.id : e.warning.id,
                       silence ? "" : fmt::format(" level {}", Level(e.warning.level)));
  }
  for (const warn::Notification& n : result.notifications) {
    out += fmt::format("notify {:<9} {} level {} to {} (tier {})\n", warn::NotifyKindName(n.kind),
                       n.warning_id, Level(n.level), n.agency.empty() ? "-" : n.agency, n.tier);
  }
  return out;
}

}  // namespace vigil::cli
