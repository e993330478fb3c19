#include "warn/scenario.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "config/config.h"
#include "warn/machine.h"

namespace vigil::warn {
namespace {

// A line's words; `key="several words"` is one word with the quotes removed.
Result<std::vector<std::string>> Words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false;
  bool in_word = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (!quoted && (c == ' ' || c == '\t')) {
      if (in_word) {
        words.push_back(std::move(word));
        word.clear();
      }
      in_word = false;
    } else if (!quoted && c == '#' && !in_word) {
      break;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quoted) {
    return InvalidArgument("a quote is not closed");
  }
  if (in_word) {
    words.push_back(std::move(word));
  }
  return words;
}

// The `name=value` words of a command after its leading positional words.
class Args {
 public:
  static Result<Args> Parse(const std::vector<std::string>& words, size_t first) {
    Args args;
    for (size_t i = first; i < words.size(); ++i) {
      const size_t eq = words[i].find('=');
      if (eq == std::string::npos || eq == 0) {
        return InvalidArgument(fmt::format("expected name=value, got '{}'", words[i]));
      }
      if (!args.values_.emplace(words[i].substr(0, eq), words[i].substr(eq + 1)).second) {
        return InvalidArgument(fmt::format("'{}' is given twice", words[i].substr(0, eq)));
      }
    }
    return args;
  }
  const std::map<std::string, std::string>& values() const { return values_; }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Text(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? "" : it->second;
  }
  // Fails on any name not in `known`.
  Status Only(std::initializer_list<std::string_view> known) const {
    for (const auto& [name, value] : values_) {
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        return InvalidArgument(
            fmt::format("unknown argument '{}' (expected {})", name, fmt::join(known, ", ")));
      }
    }
    return Status::Ok();
  }

 private:
  std::map<std::string, std::string> values_;
};

Result<double> Number(const Args& args, const std::string& name, double otherwise) {
  if (!args.Has(name)) {
    return otherwise;
  }
  try {
    size_t used = 0;
    const double v = std::stod(args.Text(name), &used);
    if (used == args.Text(name).size()) {
      return v;
    }
  } catch (const std::exception&) {
  }
  return InvalidArgument(fmt::format("{}: expected a number, got '{}'", name, args.Text(name)));
}

Result<WarningKey> ParseKey(std::string_view text) {
  const size_t a = text.find('/');
  const size_t b = a == std::string_view::npos ? a : text.find('/', a + 1);
  if (b == std::string_view::npos || text.find('/', b + 1) != std::string_view::npos) {
    return InvalidArgument(fmt::format("'{}' is not a warning key domain/region/hazard", text));
  }
  return WarningKey{std::string(text.substr(0, a)), std::string(text.substr(a + 1, b - a - 1)),
                    std::string(text.substr(b + 1))};
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }

// What `expect warning` can check, as text.
std::map<std::string, std::string> Describe(const Warning& w) {
  return {{"id", w.id},
          {"level", std::to_string(w.level)},
          {"state", std::string(WarningStatusName(w.status))},
          {"agency", w.agency},
          {"tier", std::to_string(w.tier)},
          {"escalated", w.escalated},
          {"acked", YesNo(w.acknowledged)},
          {"held", YesNo(w.held)},
          {"manual", YesNo(w.manual)}};
}

std::map<std::string, std::string> Describe(const Notification& n) {
  return {{"kind", std::string(NotifyKindName(n.kind))},
          {"warning", n.key.ToString()},
          {"id", n.warning_id},
          {"level", std::to_string(n.level)},
          {"agency", n.agency},
          {"tier", std::to_string(n.tier)}};
}

std::map<std::string, std::string> Describe(const Event& e) {
  return {{"kind", std::string(EventKindName(e.kind))},
          {"warning", e.key.ToString()},
          {"actor", e.actor},
          {"level",
           std::to_string(e.kind == EventKind::kEvidence ? e.combined_level : e.warning.level)},
          {"silence", e.silence.id}};
}

// "" when every argument matches the description, else the first mismatch.
std::string Mismatch(const Args& args, const std::map<std::string, std::string>& found) {
  for (const auto& [name, want] : args.values()) {
    auto it = found.find(name);
    if (it == found.end()) {
      return fmt::format("'{}' cannot be checked here", name);
    }
    if (it->second != want) {
      return fmt::format("{} is '{}', expected '{}'", name, it->second, want);
    }
  }
  return "";
}

std::string Show(const std::map<std::string, std::string>& fields) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : fields) {
    parts.push_back(name + "=" + value);
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

class Runner {
 public:
  Runner(std::string label, std::filesystem::path dir)
      : label_(std::move(label)), dir_(std::move(dir)) {}

  Result<ScenarioOutcome> Run(std::string_view text);

 private:
  Status Line(const std::vector<std::string>& words);
  Status LoadCatalogue(const std::vector<std::string>& words);
  Status Advance(Timestamp to);
  Result<Timestamp> Time(const std::string& text) const;
  Status Feed(const Input& input);
  Status SendSignal(const std::vector<std::string>& words);
  Status SendAction(const std::vector<std::string>& words);
  Status Expect(const std::vector<std::string>& words);
  Status ExpectWarning(const std::vector<std::string>& words, bool none);
  template <typename T>
  Status ExpectIn(std::vector<T>& items, const Args& args, bool none, std::string_view what);
  void Fail(std::string message) {
    outcome_.failures.push_back(fmt::format("{}:{}: {}", label_, line_, message));
  }
  void CheckErrorHandled();

  std::string label_;
  std::filesystem::path dir_;
  int line_ = 0;
  std::unique_ptr<Catalogue> catalogue_;
  std::unique_ptr<Rules> rules_;
  State state_;
  std::optional<Timestamp> now_;
  std::vector<Notification> notifications_;           // of the latest step, not yet expected
  std::vector<Event> events_;                         // of the latest step, not yet expected
  std::optional<std::pair<int, std::string>> error_;  // the latest action's failure
  ScenarioOutcome outcome_;
};

Result<ScenarioOutcome> Runner::Run(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    ++line_;
    Result<std::vector<std::string>> words = Words(line);
    Status status = words.ok() ? Line(*words) : words.status();
    if (!status.ok()) {
      return InvalidArgument(fmt::format("{}:{}: {}", label_, line_, status.message()));
    }
  }
  CheckErrorHandled();
  if (!(Replay(outcome_.log) == state_)) {
    Fail(fmt::format("replaying the {} events of the log does not rebuild the state",
                     outcome_.log.size()));
  }
  return std::move(outcome_);
}

Status Runner::Line(const std::vector<std::string>& words) {
  if (words.empty()) {
    return Status::Ok();
  }
  const std::string& command = words[0];
  if (command != "expect") {
    CheckErrorHandled();
  }
  if (command == "catalogue") {
    return LoadCatalogue(words);
  }
  if (rules_ == nullptr) {
    return InvalidArgument("the script must start with 'catalogue FILE'");
  }
  if (command == "at" || command == "tick") {
    if (words.size() != 2) {
      return InvalidArgument(
          fmt::format("usage: {} {}", command, command == "at" ? "2024-03-01T00:00:00Z" : "+2h"));
    }
    if (command == "tick" && !words[1].starts_with("+")) {
      return InvalidArgument("tick takes a duration to advance by, e.g. 'tick +2h'");
    }
    VIGIL_ASSIGN_OR_RETURN(Timestamp to, Time(words[1]));
    return Advance(to);
  }
  if (!now_) {
    return InvalidArgument("set the clock with 'at TIME' first");
  }
  if (command == "signal") {
    return SendSignal(words);
  }
  if (command == "expect") {
    return Expect(words);
  }
  return SendAction(words);
}

Status Runner::LoadCatalogue(const std::vector<std::string>& words) {
  if (words.size() != 2 || rules_ != nullptr) {
    return InvalidArgument("usage: catalogue FILE (once, first)");
  }
  VIGIL_ASSIGN_OR_RETURN(Catalogue catalogue, LoadCatalogueFile(dir_ / words[1]));
  catalogue_ = std::make_unique<Catalogue>(std::move(catalogue));
  rules_ = std::make_unique<Rules>(*catalogue_);
  return Status::Ok();
}

Result<Timestamp> Runner::Time(const std::string& text) const {
  if (text.starts_with("+")) {
    if (!now_) {
      return InvalidArgument("a relative time needs the clock set first ('at TIME')");
    }
    VIGIL_ASSIGN_OR_RETURN(Duration d, ParseDuration(text.substr(1)));
    return *now_ + d;
  }
  return ParseRfc3339(text);
}

Status Runner::Advance(Timestamp to) {
  if (now_ && to < *now_) {
    return InvalidArgument(
        fmt::format("time cannot go back from {} to {}", FormatRfc3339(*now_), FormatRfc3339(to)));
  }
  now_ = to;
  return Feed(Tick{});
}

// Runs one step; its notifications and events replace the unchecked ones of the last.
Status Runner::Feed(const Input& input) {
  Result<StepResult> result = Step(*rules_, state_, input, *now_);
  notifications_.clear();
  events_.clear();
  error_.reset();
  if (!result.ok()) {
    error_.emplace(line_, result.status().message());
    return Status::Ok();
  }
  outcome_.log.insert(outcome_.log.end(), result->events.begin(), result->events.end());
  notifications_ = std::move(result->notifications);
  events_ = std::move(result->events);
  return Status::Ok();
}

void Runner::CheckErrorHandled() {
  if (error_) {
    outcome_.failures.push_back(
        fmt::format("{}:{}: the action failed: {}", label_, error_->first, error_->second));
    error_.reset();
  }
}

Status Runner::SendSignal(const std::vector<std::string>& words) {
  if (words.size() < 2) {
    return InvalidArgument("usage: signal INDICATOR region=CODE [score=X] [level=N] ...");
  }
  VIGIL_ASSIGN_OR_RETURN(Args args, Args::Parse(words, 2));
  VIGIL_RETURN_IF_ERROR(args.Only(
      {"region", "detector", "score", "level", "observed", "expected", "threshold", "revised"}));
  if (!args.Has("region")) {
    return InvalidArgument("signal: region=CODE is required");
  }
  const std::string region = args.Text("region");  // outlives the step that views it
  SignalInput s{.indicator = words[1], .region = region, .period = *now_};
  VIGIL_ASSIGN_OR_RETURN(double detector, Number(args, "detector", 0));
  VIGIL_ASSIGN_OR_RETURN(double level, Number(args, "level", 0));
  s.detector = static_cast<int>(detector);
  s.revised = args.Text("revised") == "yes";
  Evaluation& ev = s.evaluation;
  ev.evaluated = true;
  ev.level = static_cast<int>(level);
  VIGIL_ASSIGN_OR_RETURN(ev.score, Number(args, "score", kMissing));
  VIGIL_ASSIGN_OR_RETURN(ev.observed, Number(args, "observed", kMissing));
  VIGIL_ASSIGN_OR_RETURN(ev.expected, Number(args, "expected", kMissing));
  VIGIL_ASSIGN_OR_RETURN(ev.upperbound, Number(args, "threshold", kMissing));
  ev.alarm = ev.level > 0 || (!std::isnan(ev.score) && ev.score > 0);
  return Feed(s);
}

Status Runner::SendAction(const std::vector<std::string>& words) {
  static const std::map<std::string, ActionKind, std::less<>> kActions = {
      {"issue", ActionKind::kIssue},     {"update", ActionKind::kUpdate},
      {"cancel", ActionKind::kCancel},   {"ack", ActionKind::kAcknowledge},
      {"silence", ActionKind::kSilence}, {"unsilence", ActionKind::kExpireSilence}};
  auto kind = kActions.find(words[0]);
  if (kind == kActions.end()) {
    return InvalidArgument(fmt::format(
        "unknown command '{}' (expected catalogue, at, tick, signal, issue, update, cancel, ack, "
        "silence, unsilence or expect)",
        words[0]));
  }
  OperatorAction a{.kind = kind->second};
  const bool silence = a.kind == ActionKind::kSilence;
  const size_t first = silence ? 1 : 2;
  if (words.size() < first) {
    return InvalidArgument(fmt::format("usage: {} {}by=NAME reason=\"...\"", words[0],
                                       a.kind == ActionKind::kExpireSilence ? "ID " : "KEY "));
  }
  VIGIL_ASSIGN_OR_RETURN(Args args, Args::Parse(words, first));
  VIGIL_RETURN_IF_ERROR(
      args.Only({"by", "reason", "level", "until", "domain", "region", "hazard"}));
  a.actor = args.Text("by");
  a.reason = args.Text("reason");
  if (args.Has("level")) {
    VIGIL_ASSIGN_OR_RETURN(a.level, ParseLevel(args.Text("level")));
  }
  if (args.Has("until")) {
    VIGIL_ASSIGN_OR_RETURN(a.until, Time(args.Text("until")));
  }
  if (a.kind == ActionKind::kExpireSilence) {
    a.silence.id = words[1];
  } else if (silence) {
    a.silence = {.domain = args.Text("domain"),
                 .region = args.Text("region"),
                 .hazard = args.Text("hazard")};
  } else {
    VIGIL_ASSIGN_OR_RETURN(a.key, ParseKey(words[1]));
  }
  return Feed(a);
}

Status Runner::Expect(const std::vector<std::string>& words) {
  const bool none = words.size() > 1 && words[1] == "no";
  const size_t at = none ? 2 : 1;
  const std::string what = words.size() > at ? words[at] : "";
  if (what == "warning") {
    return ExpectWarning(words, none);
  }
  if (what == "error" && !none) {
    ++outcome_.expectations;
    const std::string want = words.size() > 2 ? words[2] : "";
    if (!error_) {
      Fail(fmt::format("expected the last action to fail ({}), but it succeeded", want));
    } else if (error_->second.find(want) == std::string::npos) {
      Fail(fmt::format("the error was '{}', expected it to mention '{}'", error_->second, want));
    }
    error_.reset();
    return Status::Ok();
  }
  if (what != "notify" && what != "event") {
    return InvalidArgument(
        "usage: expect [no] warning KEY ..., expect [no] notify ..., expect [no] event ..., "
        "expect error TEXT");
  }
  VIGIL_ASSIGN_OR_RETURN(Args args, Args::Parse(words, at + 1));
  ++outcome_.expectations;
  return what == "notify" ? ExpectIn(notifications_, args, none, "notification")
                          : ExpectIn(events_, args, none, "event");
}

// `expect notify` and `expect event` take the first matching item of the
// latest step, so two alike are checked by two lines; `expect no` finds none.
template <typename T>
Status Runner::ExpectIn(std::vector<T>& items, const Args& args, bool none, std::string_view what) {
  for (auto it = items.begin(); it != items.end(); ++it) {
    if (Mismatch(args, Describe(*it)).empty()) {
      if (none) {
        Fail(fmt::format("expected no {} like this, found {}", what, Show(Describe(*it))));
      } else {
        items.erase(it);
      }
      return Status::Ok();
    }
  }
  if (!none) {
    std::vector<std::string> seen;
    for (const T& item : items) {
      seen.push_back(Show(Describe(item)));
    }
    Fail(fmt::format("no {} with {} in the latest step; it had: {}", what, Show(args.values()),
                     seen.empty() ? "none" : fmt::format("{}", fmt::join(seen, "; "))));
  }
  return Status::Ok();
}

Status Runner::ExpectWarning(const std::vector<std::string>& words, bool none) {
  const size_t at = none ? 3 : 2;
  if (words.size() <= at) {
    return InvalidArgument("usage: expect [no] warning DOMAIN/REGION/HAZARD [level=N] [state=...]");
  }
  VIGIL_ASSIGN_OR_RETURN(WarningKey key, ParseKey(words[at]));
  VIGIL_ASSIGN_OR_RETURN(Args args, Args::Parse(words, at + 1));
  ++outcome_.expectations;
  const Warning* w = state_.Latest(WarningKeyEqual::View(key));
  if (none) {
    if (w != nullptr && w->active()) {
      Fail(fmt::format("expected no active warning for {}, found {}", key.ToString(),
                       Show(Describe(*w))));
    }
    return Status::Ok();
  }
  if (w == nullptr) {
    Fail(fmt::format("no warning for {} was ever issued", key.ToString()));
    return Status::Ok();
  }
  if (const std::string why = Mismatch(args, Describe(*w)); !why.empty()) {
    Fail(fmt::format("warning {}: {} (found {})", key.ToString(), why, Show(Describe(*w))));
  }
  return Status::Ok();
}

}  // namespace

Result<ScenarioOutcome> RunScenario(std::string_view text, std::string_view label,
                                    const std::filesystem::path& dir) {
  return Runner(std::string(label), dir).Run(text);
}

Result<ScenarioOutcome> RunScenarioFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return IoError(fmt::format("cannot read {}", file.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return RunScenario(text.str(), file.string(), file.parent_path());
}

}  // namespace vigil::warn
