#include "warn/event_json.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace vigil::warn {
namespace {

using Json = nlohmann::json;

bool IsWarningEvent(EventKind kind) {
  return kind != EventKind::kEvidence && kind != EventKind::kSilenceCreated &&
         kind != EventKind::kSilenceExpired;
}

Json Number(double x) { return std::isnan(x) ? Json(nullptr) : Json(x); }

Json Key(const WarningKey& k) {
  return {{"domain", k.domain}, {"region", k.region}, {"hazard", k.hazard}};
}

Json EvidenceJson(const Evidence& e) {
  return {{"source", e.source},
          {"detector", e.detector},
          {"level", e.level},
          {"at", FormatRfc3339(e.at)},
          {"period", FormatRfc3339(e.period)},
          {"score", Number(e.score)},
          {"observed", Number(e.observed)},
          {"expected", Number(e.expected)},
          {"threshold", Number(e.threshold)},
          {"revised", e.revised}};
}

Json WarningJson(const Warning& w) {
  Json j = {{"id", w.id},
            {"key", Key(w.key)},
            {"policy", w.policy},
            {"level", w.level},
            {"status", WarningStatusName(w.status)},
            {"issued_at", FormatRfc3339(w.issued_at)},
            {"changed_at", FormatRfc3339(w.changed_at)},
            {"changes", w.changes},
            {"manual", w.manual},
            {"manual_until", FormatRfc3339(w.manual_until)},
            {"agency", w.agency},
            {"tier", w.tier},
            {"escalated", w.escalated},
            {"acknowledged", w.acknowledged},
            {"acknowledged_by", w.acknowledged_by},
            {"ack_deadline", nullptr},
            {"held", w.held}};
  if (w.ack_deadline) {
    j["ack_deadline"] = FormatRfc3339(*w.ack_deadline);
  }
  return j;
}

Json SilenceJson(const Silence& s) {
  return {{"id", s.id},
          {"domain", s.domain},
          {"region", s.region},
          {"hazard", s.hazard},
          {"owner", s.owner},
          {"reason", s.reason},
          {"starts_at", FormatRfc3339(s.starts_at)},
          {"ends_at", FormatRfc3339(s.ends_at)}};
}

// Reads fields of one JSON object, remembering the first problem with its path.
class Reader {
 public:
  Reader(const Json& object, std::string path, Status& problem)
      : object_(object), path_(std::move(path)), problem_(problem) {
    if (!object_.is_object()) {
      Fail("", "an object");
    }
  }

  Reader Object(std::string_view name) { return Reader(Get(name), Path(name), problem_); }
  const Json& Array(std::string_view name) {
    const Json& j = Get(name);
    if (!j.is_array()) {
      Fail(name, "an array");
    }
    return j;
  }
  std::string Text(std::string_view name) {
    const Json& j = Get(name);
    if (!j.is_string()) {
      Fail(name, "a string");
      return {};
    }
    return j.get<std::string>();
  }
  int Int(std::string_view name) { return static_cast<int>(Int64(name)); }
  std::int64_t Int64(std::string_view name) {
    const Json& j = Get(name);
    if (!j.is_number_integer()) {
      Fail(name, "an integer");
      return 0;
    }
    return j.get<std::int64_t>();
  }
  bool Bool(std::string_view name) {
    const Json& j = Get(name);
    if (!j.is_boolean()) {
      Fail(name, "true or false");
      return false;
    }
    return j.get<bool>();
  }
  double Number(std::string_view name) {
    const Json& j = Get(name);
    if (j.is_null()) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    if (!j.is_number()) {
      Fail(name, "a number or null");
      return 0;
    }
    return j.get<double>();
  }
  Timestamp Time(std::string_view name) {
    const std::string text = Text(name);
    if (!problem_.ok()) {
      return {};
    }
    Result<Timestamp> t = ParseRfc3339(text);
    if (!t.ok()) {
      Fail(name, "an RFC 3339 time");
      return {};
    }
    return *t;
  }
  std::optional<Timestamp> OptionalTime(std::string_view name) {
    if (Get(name).is_null()) {
      return std::nullopt;
    }
    return Time(name);
  }
  template <typename Enum>
  Enum Named(std::string_view name, Result<Enum> (*parse)(std::string_view)) {
    const std::string text = Text(name);
    if (!problem_.ok()) {
      return Enum{};
    }
    Result<Enum> value = parse(text);
    if (!value.ok()) {
      problem_ = InvalidArgument(fmt::format("{}: {}", Path(name), value.status().message()));
      return Enum{};
    }
    return *value;
  }

  std::string Path(std::string_view name) const {
    return path_.empty() ? std::string(name) : fmt::format("{}.{}", path_, name);
  }

 private:
  const Json& Get(std::string_view name) {
    static const Json kMissing;
    if (!object_.is_object()) {
      return kMissing;
    }
    auto it = object_.find(name);
    if (it == object_.end()) {
      if (problem_.ok()) {
        problem_ = InvalidArgument(fmt::format("{}: missing", Path(name)));
      }
      return kMissing;
    }
    return *it;
  }
  void Fail(std::string_view name, std::string_view expected) {
    if (problem_.ok()) {
      const std::string where = name.empty() ? path_ : Path(name);
      problem_ = InvalidArgument(
          fmt::format("{}: expected {}", where.empty() ? "event" : where, expected));
    }
  }

  const Json& object_;
  std::string path_;
  Status& problem_;
};

Result<WarningStatus> ParseWarningStatus(std::string_view text) {
  for (WarningStatus s :
       {WarningStatus::kActive, WarningStatus::kCancelled, WarningStatus::kExpired}) {
    if (WarningStatusName(s) == text) {
      return s;
    }
  }
  return InvalidArgument(
      fmt::format("unknown warning status '{}' (expected active, cancelled or expired)", text));
}

WarningKey ReadKey(Reader r) { return {r.Text("domain"), r.Text("region"), r.Text("hazard")}; }

Evidence ReadEvidence(Reader r) {
  Evidence e;
  e.source = r.Text("source");
  e.detector = r.Int("detector");
  e.level = r.Int("level");
  e.at = r.Time("at");
  e.period = r.Time("period");
  e.score = r.Number("score");
  e.observed = r.Number("observed");
  e.expected = r.Number("expected");
  e.threshold = r.Number("threshold");
  e.revised = r.Bool("revised");
  return e;
}

Warning ReadWarning(Reader r) {
  Warning w;
  w.id = r.Text("id");
  w.key = ReadKey(r.Object("key"));
  w.policy = r.Text("policy");
  w.level = r.Int("level");
  w.status = r.Named<WarningStatus>("status", &ParseWarningStatus);
  w.issued_at = r.Time("issued_at");
  w.changed_at = r.Time("changed_at");
  w.changes = r.Int("changes");
  w.manual = r.Bool("manual");
  w.manual_until = r.Time("manual_until");
  w.agency = r.Text("agency");
  w.tier = r.Int("tier");
  w.escalated = r.Text("escalated");
  w.acknowledged = r.Bool("acknowledged");
  w.acknowledged_by = r.Text("acknowledged_by");
  w.ack_deadline = r.OptionalTime("ack_deadline");
  w.held = r.Bool("held");
  return w;
}

Silence ReadSilence(Reader r) {
  Silence s;
  s.id = r.Text("id");
  s.domain = r.Text("domain");
  s.region = r.Text("region");
  s.hazard = r.Text("hazard");
  s.owner = r.Text("owner");
  s.reason = r.Text("reason");
  s.starts_at = r.Time("starts_at");
  s.ends_at = r.Time("ends_at");
  return s;
}

}  // namespace

std::string EncodeEvent(const Event& e) {
  Json j = {{"seq", e.seq},     {"at", FormatRfc3339(e.at)}, {"kind", EventKindName(e.kind)},
            {"actor", e.actor}, {"reason", e.reason},        {"key", Key(e.key)}};
  if (e.kind == EventKind::kEvidence) {
    j["evidence"] = EvidenceJson(e.evidence);
    j["combined_level"] = e.combined_level;
  } else if (IsWarningEvent(e.kind)) {
    j["warning"] = WarningJson(e.warning);
    j["previous_level"] = e.previous_level;
    Json signals = Json::array();
    for (const Evidence& s : e.signals) {
      signals.push_back(EvidenceJson(s));
    }
    j["signals"] = std::move(signals);
    j["clears_evidence"] = e.clears_evidence;
  } else {
    j["silence"] = SilenceJson(e.silence);
  }
  return j.dump();
}

Result<Event> DecodeEvent(std::string_view json) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return InvalidArgument("event: not valid JSON");
  }
  Status problem;
  Reader r(j, "", problem);
  Event e;
  e.seq = r.Int64("seq");
  e.at = r.Time("at");
  e.kind = r.Named<EventKind>("kind", &ParseEventKind);
  e.actor = r.Text("actor");
  e.reason = r.Text("reason");
  e.key = ReadKey(r.Object("key"));
  if (!problem.ok()) {
    return problem;
  }
  if (e.kind == EventKind::kEvidence) {
    e.evidence = ReadEvidence(r.Object("evidence"));
    e.combined_level = r.Int("combined_level");
  } else if (IsWarningEvent(e.kind)) {
    e.warning = ReadWarning(r.Object("warning"));
    e.previous_level = r.Int("previous_level");
    const Json& signals = r.Array("signals");
    if (signals.is_array()) {
      for (size_t i = 0; i < signals.size() && problem.ok(); ++i) {
        e.signals.push_back(
            ReadEvidence(Reader(signals[i], fmt::format("signals[{}]", i), problem)));
      }
    }
    e.clears_evidence = r.Bool("clears_evidence");
  } else {
    e.silence = ReadSilence(r.Object("silence"));
  }
  if (!problem.ok()) {
    return problem;
  }
  return e;
}

}  // namespace vigil::warn
