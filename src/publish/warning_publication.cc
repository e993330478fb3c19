#include "publish/warning_publication.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <optional>
#include <string_view>
#include <system_error>
#include <unordered_map>

#include "publish/warning_cap.h"

namespace vigil::publish {
namespace {

using warn::Event;
using warn::EventKind;

using ActiveLevels =
    std::unordered_map<warn::WarningKey, int, warn::WarningKeyHash, warn::WarningKeyEqual>;

// What the walk over the log remembers: the messages sent per warning (the
// next message's references) and the level of every active warning (the
// child regions a grouped warning stands for).
struct Chain {
  std::unordered_map<std::string, std::vector<CapReference>> sent;
  ActiveLevels active;
};

// The warning a message is about, with the catalogue entries it refers to.
struct Subject {
  const Event* event;
  const Domain* domain;
  const Region* region;
  const WarningPolicy* policy;
};

Result<Subject> FindSubject(const Event& e, const Catalogue& catalogue) {
  const warn::WarningKey& key = e.warning.key;
  const Subject s{&e, catalogue.FindDomain(key.domain), catalogue.FindRegion(key.region),
                  catalogue.FindPolicy(e.warning.policy)};
  if (s.domain == nullptr) {
    return NotFound(fmt::format("domain '{}' is not in the catalogue", key.domain));
  }
  if (s.region == nullptr) {
    return NotFound(fmt::format("region '{}' is not in the catalogue", key.region));
  }
  if (s.policy == nullptr) {
    return NotFound(fmt::format("policy '{}' is not in the catalogue", e.warning.policy));
  }
  return s;
}

std::optional<CapMsgType> MessageTypeFor(EventKind kind) {
  switch (kind) {
    case EventKind::kIssued:
      return CapMsgType::kAlert;
    case EventKind::kUpdated:
      return CapMsgType::kUpdate;
    case EventKind::kCancelled:
    case EventKind::kExpired:
      return CapMsgType::kCancel;
    default:
      return std::nullopt;
  }
}

std::string AreaName(const Region& region) {
  return region.name.empty() ? region.code : region.name;
}

bool IsGrouped(const Event& e) {
  return std::any_of(e.signals.begin(), e.signals.end(),
                     [](const warn::Evidence& s) { return s.source == warn::kChildRegionsSource; });
}

// "Orange warning issued", "Red warning raised from orange", "Blue warning expired".
std::string WhatHappened(const Event& e) {
  std::string colour(LevelColour(e.warning.level));
  colour[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(colour[0])));
  std::string change;
  switch (e.kind) {
    case EventKind::kIssued:
      change = "issued";
      break;
    case EventKind::kUpdated:
      change =
          e.warning.level == e.previous_level
              ? "updated"
              : fmt::format("{} from {}", e.warning.level > e.previous_level ? "raised" : "lowered",
                            LevelColour(e.previous_level));
      break;
    case EventKind::kCancelled:
      change = "cancelled";
      break;
    default:
      change = "expired";
      break;
  }
  return fmt::format("{} warning {}", colour, change);
}

std::string Headline(const Subject& s) {
  return fmt::format("{}: {} in {}{}", WhatHappened(*s.event), s.policy->hazard,
                     AreaName(*s.region),
                     IsGrouped(*s.event) ? ", grouped from its child regions" : "");
}

// What changed, and who changed it and why.
std::string DescribeChange(const Event& e) {
  const bool by_hand = e.actor != warn::kSystemActor;
  std::string text =
      fmt::format("{}{}{}{}.", WhatHappened(e), by_hand ? fmt::format(" by {}", e.actor) : "",
                  e.reason.empty() ? "" : ": ", e.reason);
  if (e.warning.manual && e.warning.active()) {
    text +=
        fmt::format(" The level is held by hand until {}.", FormatRfc3339(e.warning.manual_until));
  }
  return text;
}

// One indicator's evidence: the detector, what it saw and the level it gave.
std::string DescribeSignal(const warn::Evidence& s, const Catalogue& catalogue) {
  const Indicator* indicator = catalogue.FindIndicator(s.source);
  std::string name = s.source;
  std::string period = FormatRfc3339(s.period);
  std::string detector = fmt::format("#{}", s.detector + 1);
  if (indicator != nullptr) {
    name = indicator->name.empty() ? s.source : fmt::format("{} ({})", indicator->name, s.source);
    period = FormatEventTime(s.period, indicator->frequency);
    if (s.detector >= 0 && static_cast<size_t>(s.detector) < indicator->detectors.size()) {
      detector = indicator->detectors[s.detector].method;
    }
  }
  std::vector<std::string> facts;
  const auto add = [&facts](std::string_view label, double value) {
    if (!std::isnan(value)) {
      facts.push_back(fmt::format("{} {:g}", label, value));
    }
  };
  add("observed", s.observed);
  add("expected (baseline)", s.expected);
  add("threshold", s.threshold);
  add("score", s.score);
  return fmt::format("{}, period {}: detector {} gives {}{}{}{}.", name, period, detector,
                     LevelColour(s.level), facts.empty() ? "" : " with ", fmt::join(facts, ", "),
                     s.revised ? " (revised after late data)" : "");
}

// The child regions behind a grouped warning, as the log stands at its event.
std::string DescribeChildren(const Subject& s, const Catalogue& catalogue,
                             const ActiveLevels& active) {
  const warn::WarningKey& key = s.event->warning.key;
  std::vector<std::string> warned;
  for (const Region* child : catalogue.Children(key.region)) {
    const auto found = active.find(warn::WarningKeyView{key.domain, child->code, key.hazard});
    if (found != active.end() && found->second >= s.policy->group_level) {
      warned.push_back(fmt::format("{} ({})", AreaName(*child), LevelColour(found->second)));
    }
  }
  return fmt::format(
      "Grouped from child regions: {} of its child regions at {} or above raise {}; warned now: "
      "{}.",
      s.policy->group_min_children, LevelColour(s.policy->group_level), AreaName(*s.region),
      warned.empty() ? "none" : fmt::format("{}", fmt::join(warned, ", ")));
}

std::string DescribePolicy(const WarningPolicy& p) {
  std::vector<std::string> cuts;
  for (int level = 1; level <= kWarningLevels; ++level) {
    if (const std::optional<double> cut = p.score_cut_points[level - 1]) {
      cuts.push_back(fmt::format("{} {:g}", LevelColour(level), *cut));
    }
  }
  const std::string combine = p.combine == CombineRule::kKOfN
                                  ? fmt::format("k-of-n (k = {})", p.combine_k)
                                  : std::string(CombineRuleName(p.combine));
  return fmt::format(
      "Policy {}: levels from detector score {}; indicators combined by rule {} within {}; the "
      "warning expires after {} without a signal.",
      p.id, cuts.empty() ? "none (an alarm is blue)" : fmt::format("{}", fmt::join(cuts, ", ")),
      combine, FormatDuration(p.CombineWindow()), FormatDuration(p.expire_after));
}

std::string Description(const Subject& s, const Catalogue& catalogue, const ActiveLevels& active) {
  std::vector<std::string> parts = {DescribeChange(*s.event)};
  if (s.event->signals.empty()) {
    parts.emplace_back("No evidence is current.");
  }
  for (const warn::Evidence& signal : s.event->signals) {
    parts.push_back(signal.source == warn::kChildRegionsSource
                        ? DescribeChildren(s, catalogue, active)
                        : DescribeSignal(signal, catalogue));
  }
  parts.push_back(DescribePolicy(*s.policy));
  return fmt::format("{}", fmt::join(parts, " "));
}

Result<CapAlert> BuildMessage(const Event& e, CapMsgType type, const Catalogue& catalogue,
                              const Chain& chain, CapStatus status) {
  const auto sent = chain.sent.find(e.warning.id);
  std::vector<CapReference> previous =
      sent == chain.sent.end() ? std::vector<CapReference>{} : sent->second;
  if (type != CapMsgType::kAlert && previous.empty()) {
    return FailedPrecondition(
        "the warning has no earlier 'issued' event; publish from a log that holds its issue");
  }
  VIGIL_ASSIGN_OR_RETURN(const Subject s, FindSubject(e, catalogue));
  const int sequence = static_cast<int>(previous.size()) + 1;
  return BuildWarningCap(
      {.warning_id = e.warning.id,
       .sequence = sequence,
       .msg_type = type,
       .status = status,
       .level = e.warning.level,
       .workspace = catalogue.info(),
       .domain = *s.domain,
       .region = *s.region,
       .policy = *s.policy,
       .headline = Headline(s),
       .description = Description(s, catalogue, chain.active),
       .sent = e.at,
       // A warning held by hand stands until its end, whatever the policy.
       .expires =
           std::max(e.at + s.policy->expire_after,
                    e.warning.manual && e.warning.active() ? e.warning.manual_until : Timestamp{}),
       .previous = std::move(previous)});
}

void Record(Chain& chain, const Event& e, const CapAlert& alert) {
  chain.sent[e.warning.id].push_back(
      {.sender = alert.sender, .identifier = alert.identifier, .sent = alert.sent});
  if (e.warning.active()) {
    chain.active[e.warning.key] = e.warning.level;
  } else {
    chain.active.erase(e.warning.key);
  }
}

// The base URL without trailing slashes; empty for relative links.
std::string_view BaseUrl(const PublishOptions& options) {
  std::string_view base = options.base_url;
  while (!base.empty() && base.back() == '/') {
    base.remove_suffix(1);
  }
  return base;
}

// Where a file of the published directory is served.
std::string ServedAt(std::string_view base, std::string_view file) {
  return base.empty() ? std::string(file) : fmt::format("{}/{}", base, file);
}

std::optional<Timestamp> Expires(const CapAlert& alert) {
  if (alert.infos.empty() || !alert.infos.front().expires.has_value()) {
    return std::nullopt;
  }
  return alert.infos.front().expires->time;
}

// Writes `content` to `path` unless it already holds exactly that; true when
// it wrote. Through a temporary file and a rename, so readers see the old
// file or the new one, never a partial one.
Result<bool> WriteIfChanged(const std::filesystem::path& path, std::string_view content) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size == content.size()) {
    std::ifstream in(path, std::ios::binary);
    std::string existing(content.size(), '\0');
    if (in.read(existing.data(), static_cast<std::streamsize>(existing.size())) &&
        existing == content) {
      return false;
    }
  }
  const std::filesystem::path temp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  std::ofstream out(temp, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) {
    return IoError(fmt::format("{}: cannot write the file", temp.string()));
  }
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return IoError(fmt::format("{}: cannot replace the file: {}", path.string(), ec.message()));
  }
  return true;
}

}  // namespace

Result<std::vector<WarningMessage>> BuildWarningMessages(std::span<const warn::Event> events,
                                                         const Catalogue& catalogue,
                                                         CapStatus status) {
  Chain chain;
  std::vector<WarningMessage> messages;
  for (const Event& e : events) {
    const std::optional<CapMsgType> type = MessageTypeFor(e.kind);
    if (!type.has_value()) {
      continue;
    }
    Result<CapAlert> alert = BuildMessage(e, *type, catalogue, chain, status);
    if (!alert.ok()) {
      return alert.status().WithContext(fmt::format("event {} ({} of warning '{}')", e.seq,
                                                    warn::EventKindName(e.kind), e.warning.id));
    }
    Record(chain, e, *alert);
    messages.push_back({e.warning.id, std::move(alert).value()});
  }
  return messages;
}

FeedInput CurrentFeed(std::span<const WarningMessage> messages, const WorkspaceInfo& workspace,
                      const PublishOptions& options, Timestamp now) {
  // A warning's latest message is its last in log order.
  std::unordered_map<std::string_view, size_t> latest;
  for (size_t i = 0; i < messages.size(); ++i) {
    latest[messages[i].warning_id] = i;
  }
  std::vector<size_t> current;
  Timestamp changed = latest.empty() ? now : Timestamp::min();
  for (const auto& [id, i] : latest) {
    const CapAlert& alert = messages[i].alert;
    const std::optional<Timestamp> expires = Expires(alert);
    const bool listed = !expires.has_value() || *expires > now;
    if (listed) {
      current.push_back(i);
    }
    changed = std::max(changed, listed ? alert.sent.time : *expires);
  }
  std::sort(current.begin(), current.end(), [&](size_t a, size_t b) {
    const Timestamp sent_a = messages[a].alert.sent.time;
    const Timestamp sent_b = messages[b].alert.sent.time;
    return sent_a != sent_b ? sent_a > sent_b : a > b;
  });
  const std::string_view base = BaseUrl(options);
  const bool relative = base.empty();
  FeedInput feed{.id = relative ? fmt::format("urn:vigil:cap:{}:index", workspace.sender)
                                : ServedAt(base, "index.atom"),
                 .title = fmt::format("{}: current warnings{}", workspace.name,
                                      options.status == CapStatus::kActual
                                          ? ""
                                          : fmt::format(" ({})", CapStatusName(options.status))),
                 .self_url = relative ? "" : ServedAt(base, "index.atom"),
                 .author = workspace.name,
                 .updated = {changed, 0}};
  for (const size_t i : current) {
    const CapAlert& alert = messages[i].alert;
    FeedEntry entry = FeedEntryForCap(alert, ServedAt(base, alert.identifier + ".xml"));
    if (relative) {
      // An Atom id must be an absolute IRI; a relative link is not one.
      entry.id = "urn:vigil:cap:" + alert.identifier;
    }
    feed.entries.push_back(std::move(entry));
  }
  return feed;
}

Result<PublishReport> PublishWarnings(std::span<const warn::Event> events,
                                      const Catalogue& catalogue, const PublishOptions& options,
                                      Timestamp now) {
  if (options.dir.empty()) {
    return InvalidArgument("publish: no output directory given");
  }
  VIGIL_ASSIGN_OR_RETURN(const std::vector<WarningMessage> messages,
                         BuildWarningMessages(events, catalogue, options.status));
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) {
    return IoError(
        fmt::format("{}: cannot create the directory: {}", options.dir.string(), ec.message()));
  }
  PublishReport report;
  for (const WarningMessage& message : messages) {
    VIGIL_ASSIGN_OR_RETURN(
        const bool written,
        WriteIfChanged(options.dir / (message.alert.identifier + ".xml"), WriteCap(message.alert)));
    ++(written ? report.written : report.unchanged);
  }
  const FeedInput feed = CurrentFeed(messages, catalogue.info(), options, now);
  report.feed_entries = static_cast<int>(feed.entries.size());
  VIGIL_ASSIGN_OR_RETURN(report.feed_written,
                         WriteIfChanged(options.dir / "index.atom", WriteAtomFeed(feed)));
  return report;
}

}  // namespace vigil::publish
