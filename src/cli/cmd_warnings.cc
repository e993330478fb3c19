// `vigil warnings`: lists the warnings, shows one with its evidence and
// timeline, and records what operators do (issue, update, cancel,
// acknowledge, silence) and clock ticks, each as events in the workspace's log.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/publication.h"
#include "cli/warning_output.h"
#include "cli/workspace.h"
#include "core/digest.h"
#include "engine/warning_ops.h"
#include "engine/warning_stage.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(The warnings of the workspace. Without a subcommand, lists the active
warnings, most severe first (--all: every warning, ended ones too).

Warnings are raised by `vigil ingest` from detector signals under the
catalogue's policies; operators change them with the subcommands below, each
naming who acts (--by) and why (--reason). Every change is an event in the
workspace's log, with the notifications it asks for queued for delivery.
A KEY is domain/region/hazard (health/XA-01/infectious-disease); a warning
ID is its key and number (health/XA-01/infectious-disease/2). Times are
RFC 3339 or +DURATION from now (+30m, +6h, +2d).

Examples:
  vigil warnings -w demo
  vigil warnings -w demo show health/XA-03/infectious-disease/1
  vigil warnings -w demo ack health/XA-03/infectious-disease --by duty-officer
  vigil warnings -w demo issue flood/XA-02/flood --level orange --by duty-officer \
      --reason "levee breach reported by the county"
  vigil warnings -w demo silence --region XA-04 --until +6h --by duty-officer \
      --reason "planned gauge maintenance"
  vigil warnings -w demo tick)";

constexpr const char* kFooter = R"(Exit codes:
  0  success
  2  bad command line
  3  action refused (no such warning, one already active, bad level, missing reason)
  4  store unavailable
)";

struct WarningsFlags {
  bool all = false;
  bool json = false;
  std::string id;  // show, ack, unsilence
  std::string by;
  std::string reason;
  std::string level;
  std::string until;
  std::string domain;
  std::string region;
  std::string hazard;
  std::string out;                // publish
  std::string status = "actual";  // publish
};

// The state, read from the committed log. The stage borrows the workspace's
// catalogue and store, so the workspace stays where it is.
struct Opened {
  std::unique_ptr<Workspace> workspace;
  std::unique_ptr<Clock> clock;
  std::unique_ptr<WarningStage> stage;
};

Result<Opened> Open(const GlobalOptions& global) {
  Opened opened;
  VIGIL_ASSIGN_OR_RETURN(Workspace workspace, OpenWorkspace(global.workspace));
  opened.workspace = std::make_unique<Workspace>(std::move(workspace));
  VIGIL_ASSIGN_OR_RETURN(opened.clock, ClockOf(global));
  VIGIL_ASSIGN_OR_RETURN(opened.stage, WarningStage::Open(opened.workspace->catalogue,
                                                          *opened.workspace->store, *opened.clock));
  return opened;
}

int Usage(const Status& status) {
  Fail(status);
  return kExitUsage;
}

// What an action is about: the warning, key or silence it names; the match of
// a new silence ('*' for any); nothing for a tick.
std::string ActionTarget(std::string_view what, const WarningsFlags& f) {
  if (what != "silence") {
    return f.id;
  }
  auto any = [](const std::string& m) { return m.empty() ? std::string("*") : m; };
  return fmt::format("{}/{}/{}", any(f.domain), any(f.region), any(f.hazard));
}

// What an action carried, for its audit record's digest: its options as
// "name=value" lines, in a fixed order.
std::string ActionPayload(std::string_view what, const WarningsFlags& f) {
  return fmt::format(
      "action={}\nid={}\nby={}\nreason={}\nlevel={}\nuntil={}\ndomain={}\nregion={}\nhazard={}\n",
      what, f.id, f.by, f.reason, f.level, f.until, f.domain, f.region, f.hazard);
}

int RunList(const GlobalOptions& global, const WarningsFlags& flags) {
  Result<Opened> opened = Open(global);
  if (!opened.ok()) {
    return Fail(opened.status());
  }
  std::fputs(FormatWarningList(ListWarnings(opened->stage->state(), flags.all), flags.json).c_str(),
             stdout);
  return kExitOk;
}

int RunShow(const GlobalOptions& global, const WarningsFlags& flags) {
  if (Result<warn::WarningKey> key = ParseWarningKey(flags.id); !key.ok()) {
    return Usage(key.status());
  }
  Result<Opened> opened = Open(global);
  if (!opened.ok()) {
    return Fail(opened.status());
  }
  Result<WarningTimeline> timeline = ReadWarningTimeline(*opened->workspace->store, flags.id);
  if (!timeline.ok()) {
    return Fail(timeline.status());
  }
  std::fputs(
      FormatWarning(timeline->warning, timeline->events, opened->workspace->catalogue, flags.json)
          .c_str(),
      stdout);
  return kExitOk;
}

// Publishes the committed log and says what changed.
int Publish(const Workspace& workspace, Timestamp now, const std::string& dir,
            publish::CapStatus status) {
  Result<publish::PublishReport> report = PublishWorkspace(workspace, now, dir, status);
  if (!report.ok()) {
    return Fail(report.status());
  }
  if (report->written > 0 || report->feed_written) {
    std::fputs(fmt::format("published {} new CAP message(s); the feed lists {}\n", report->written,
                           report->feed_entries)
                   .c_str(),
               stdout);
  }
  return kExitOk;
}

int RunPublish(const GlobalOptions& global, const WarningsFlags& flags) {
  publish::CapStatus status = publish::CapStatus::kActual;
  if (flags.status == "exercise") {
    status = publish::CapStatus::kExercise;
  } else if (flags.status == "test") {
    status = publish::CapStatus::kTest;
  } else if (flags.status != "actual") {
    return Usage(
        InvalidArgument(fmt::format("--status '{}': use actual, exercise or test", flags.status)));
  }
  Result<Opened> opened = Open(global);
  if (!opened.ok()) {
    return Fail(opened.status());
  }
  return Publish(*opened->workspace, opened->clock->Now(), flags.out, status);
}

int RunSilences(const GlobalOptions& global, const WarningsFlags& flags) {
  Result<Opened> opened = Open(global);
  if (!opened.ok()) {
    return Fail(opened.status());
  }
  std::fputs(FormatSilences(opened->stage->state(), flags.json).c_str(), stdout);
  return kExitOk;
}

// Builds the input from the flags at the stage's time, steps, and commits it
// with its audit record.
using InputOf = std::function<Result<warn::Input>(Timestamp now)>;

int RunStep(const GlobalOptions& global, std::string_view what, const WarningsFlags& flags,
            const InputOf& input_of) {
  Result<Opened> opened = Open(global);
  if (!opened.ok()) {
    return Fail(opened.status());
  }
  const Timestamp now = opened->clock->Now();
  Result<warn::Input> input = input_of(now);
  if (!input.ok()) {
    return Usage(input.status());
  }
  const AuditEntry audit{.at = now,
                         .actor = CliActor(),
                         .action = fmt::format("warnings.{}", what),
                         .target = ActionTarget(what, flags),
                         .payload_digest = Sha256Hex(ActionPayload(what, flags))};
  Result<warn::StepResult> committed =
      CommitWarningStep(*opened->stage, *opened->workspace->store, *input,
                        {.origin = fmt::format("vigil warnings {}", what), .arrived = now}, audit);
  if (!committed.ok()) {
    return Fail(committed.status());
  }
  std::fputs(FormatStep(*committed).c_str(), stdout);
  return Publish(*opened->workspace, now, {}, publish::CapStatus::kActual);
}

Result<int> LevelOf(const std::string& text) {
  if (text.empty()) {
    return InvalidArgument("--level is required: 1-4 or blue, yellow, orange, red");
  }
  return ParseLevel(text);
}

warn::OperatorAction Action(warn::ActionKind kind, const WarningsFlags& flags) {
  return {.kind = kind, .actor = flags.by, .reason = flags.reason};
}

InputOf KeyAction(warn::ActionKind kind, const WarningsFlags& flags) {
  return [kind, &flags](Timestamp now) -> Result<warn::Input> {
    warn::OperatorAction action = Action(kind, flags);
    VIGIL_ASSIGN_OR_RETURN(action.key, ParseWarningKey(flags.id));
    if (kind == warn::ActionKind::kIssue || kind == warn::ActionKind::kUpdate) {
      VIGIL_ASSIGN_OR_RETURN(action.level, LevelOf(flags.level));
      if (!flags.until.empty()) {
        VIGIL_ASSIGN_OR_RETURN(action.until, ParseTimeOrOffset(flags.until, now));
      }
    }
    return warn::Input(std::move(action));
  };
}

CLI::App* Verb(CLI::App& parent, const std::string& name, const std::string& help,
               WarningsFlags& flags, const std::string& id_help, bool reason_required) {
  CLI::App* app = parent.add_subcommand(name, help);
  if (!id_help.empty()) {
    app->add_option("ID", flags.id, id_help)->required();
  }
  app->add_option("--by", flags.by, "Who acts (recorded in the log)")->required();
  CLI::Option* reason = app->add_option("--reason", flags.reason, "Why (recorded in the log)");
  if (reason_required) {
    reason->required();
  }
  return app;
}

}  // namespace

Command RegisterWarnings(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<WarningsFlags>();
  Command command;
  CLI::App* w = app.add_subcommand("warnings", kDescription);
  command.app = w;
  w->footer(kFooter);
  w->require_subcommand(0, 1);
  w->add_flag("--all", flags->all, "Also warnings that have ended");
  w->add_flag("--json", flags->json, "JSON instead of a table");

  CLI::App* show = w->add_subcommand("show", "A warning: its evidence and timeline");
  show->add_option("ID", flags->id, "Warning id, e.g. health/XA-01/infectious-disease/1")
      ->required();
  show->add_flag("--json", flags->json, "JSON instead of text");

  constexpr const char* kKey = "Warning key domain/region/hazard";
  CLI::App* issue = Verb(*w, "issue", "Issue a warning by hand", *flags, kKey, true);
  CLI::App* update = Verb(*w, "update", "Change a warning's level by hand", *flags, kKey, true);
  for (CLI::App* a : {issue, update}) {
    a->add_option("--level", flags->level, "1-4 or blue, yellow, orange, red")->required();
    a->add_option("--until", flags->until,
                  "Keep this level until then, whatever the evidence (default: the policy's "
                  "expire_after from now)");
  }
  CLI::App* cancel = Verb(*w, "cancel", "Cancel a warning by hand", *flags, kKey, true);
  CLI::App* ack = Verb(*w, "ack", "Acknowledge a warning (stops escalation)", *flags,
                       "Warning key or id", false);
  CLI::App* silence =
      Verb(*w, "silence", "Hold notifications of matching warnings until a time", *flags, "", true);
  silence->add_option("--domain", flags->domain, "Match this domain");
  silence->add_option("--region", flags->region, "Match this region and every region beneath it");
  silence->add_option("--hazard", flags->hazard, "Match this hazard");
  silence->add_option("--until", flags->until, "When the silence ends")->required();
  CLI::App* unsilence =
      Verb(*w, "unsilence", "End a silence now", *flags, "Silence id, e.g. silence-1", true);
  CLI::App* silences = w->add_subcommand("silences", "List the active silences");
  silences->add_flag("--json", flags->json, "JSON instead of a table");
  CLI::App* publish = w->add_subcommand(
      "publish",
      "Write every CAP message of the log and the Atom feed index.atom (commands that change "
      "warnings do it into <workspace>/cap themselves)");
  publish->add_option("--out", flags->out, "Directory (default: <workspace>/cap)");
  publish
      ->add_option("--status", flags->status, "CAP status: actual, or exercise / test for drills")
      ->capture_default_str();
  CLI::App* tick = w->add_subcommand(
      "tick",
      "Advance the warnings to now: escalate unacknowledged ones past their deadline, lower, "
      "cancel or expire those whose evidence is gone, end silences (run it every minute)");

  command.run = [&global, flags, show, issue, update, cancel, ack, silence, unsilence, silences,
                 publish, tick]() -> int {
    const WarningsFlags& f = *flags;
    if (show->parsed()) {
      return RunShow(global, f);
    }
    if (issue->parsed()) {
      return RunStep(global, "issue", f, KeyAction(warn::ActionKind::kIssue, f));
    }
    if (update->parsed()) {
      return RunStep(global, "update", f, KeyAction(warn::ActionKind::kUpdate, f));
    }
    if (cancel->parsed()) {
      return RunStep(global, "cancel", f, KeyAction(warn::ActionKind::kCancel, f));
    }
    if (ack->parsed()) {
      return RunStep(global, "ack", f, KeyAction(warn::ActionKind::kAcknowledge, f));
    }
    if (silence->parsed()) {
      return RunStep(global, "silence", f, [&f](Timestamp now) -> Result<warn::Input> {
        warn::OperatorAction action = Action(warn::ActionKind::kSilence, f);
        action.silence = {.domain = f.domain, .region = f.region, .hazard = f.hazard};
        VIGIL_ASSIGN_OR_RETURN(action.until, ParseTimeOrOffset(f.until, now));
        return warn::Input(std::move(action));
      });
    }
    if (unsilence->parsed()) {
      return RunStep(global, "unsilence", f, [&f](Timestamp) -> Result<warn::Input> {
        warn::OperatorAction action = Action(warn::ActionKind::kExpireSilence, f);
        action.silence.id = f.id;
        return warn::Input(std::move(action));
      });
    }
    if (silences->parsed()) {
      return RunSilences(global, f);
    }
    if (publish->parsed()) {
      return RunPublish(global, f);
    }
    if (tick->parsed()) {
      return RunStep(global, "tick", f,
                     [](Timestamp) -> Result<warn::Input> { return warn::Input(warn::Tick{}); });
    }
    return RunList(global, f);
  };
  return command;
}

}  // namespace vigil::cli
