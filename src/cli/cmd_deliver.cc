// `vigil deliver`: sends the notifications waiting in the outbox to their
// webhooks and Alertmanagers; with --follow, keeps doing so and ticks the
// warnings, as the workspace's long-running dispatcher.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "cli/publication.h"
#include "cli/signal_output.h"
#include "cli/workspace.h"
#include "core/digest.h"
#include "engine/warning_ops.h"
#include "engine/warning_stage.h"
#include "notify/deliverer.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Send the notifications waiting in the workspace's outbox: every warning
notification is queued there, per channel of the agency it goes to, in the
same transaction as the change that caused it. Each is POSTed once per pass;
a 2xx answer delivers it, anything else retries later with exponential
backoff until it is abandoned (after 20 attempts or a day). A delivered
notification is never sent again, also after a crash or restart. Webhook
requests are signed with HMAC-SHA256 using the secret in the environment
variable the channel's secret_env names (docs/NOTIFY.md).

Without --follow, one round: everything due now, then exit. With --follow,
every --interval: advance the warnings to now (escalation, expiry, silence
ends; as `vigil warnings tick`), publish their CAP files, and deliver; until
interrupted (SIGINT, SIGTERM).

Examples:
  vigil deliver -w demo
  vigil deliver -w demo --pending
  VIGIL_OPS_SECRET=... vigil deliver -w demo --follow --interval 15s)";

constexpr const char* kFooter = R"(Exit codes:
  0  success (also when some notifications are retrying)
  2  bad command line
  3  invalid catalogue
  4  store unavailable
)";

struct DeliverFlags {
  bool follow = false;
  std::string interval = "10s";
  std::string ca_file;
  bool pending = false;
};

std::atomic<bool> stop_requested{false};

extern "C" void RequestStop(int) { stop_requested = true; }

int ListPending(Store& store) {
  Result<std::vector<OutboxItem>> items = store.ReadOutbox({.state = OutboxState::kPending});
  if (!items.ok()) {
    return Fail(items.status());
  }
  if (items->empty()) {
    std::fputs("no pending notifications\n", stdout);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows = {
      {"id", "notification", "channel", "attempts", "next attempt", "last error"}};
  for (const OutboxItem& item : *items) {
    rows.push_back({std::to_string(item.id), item.notification_id, item.channel,
                    std::to_string(item.attempts), FormatRfc3339(item.next_attempt),
                    item.last_error.empty() ? "-" : item.last_error});
  }
  std::fputs(FormatTable(rows, {"id", "attempts"}).c_str(), stdout);
  return kExitOk;
}

// Delivers until nothing is due: a pass sends at most a batch.
Status DeliverAll(notify::Deliverer& deliverer) {
  VIGIL_ASSIGN_OR_RETURN(const notify::DeliveryReport total, deliverer.DeliverAllDue());
  if (total.attempted > 0) {
    std::fputs(fmt::format("delivered {}, retrying {}, abandoned {}\n", total.delivered,
                           total.retrying, total.abandoned)
                   .c_str(),
               stdout);
    std::fflush(stdout);
  }
  return Status::Ok();
}

// One tick of the warnings, committed with its audit record and published.
Status Tick(const Workspace& workspace, WarningStage& stage, const Clock& clock) {
  const Timestamp now = clock.Now();
  VIGIL_ASSIGN_OR_RETURN(const warn::StepResult committed,
                         CommitWarningStep(stage, *workspace.store, warn::Tick{},
                                           {.origin = "vigil deliver", .arrived = now},
                                           {.at = now,
                                            .actor = CliActor(),
                                            .action = "warnings.tick",
                                            .payload_digest = Sha256Hex("")}));
  if (!committed.events.empty()) {
    VIGIL_RETURN_IF_ERROR(PublishWorkspace(workspace, clock.Now()).status());
  }
  return Status::Ok();
}

int RunDeliver(const GlobalOptions& global, const DeliverFlags& flags) {
  Result<Duration> interval = ParseDuration(flags.interval);
  if (!interval.ok() || *interval <= Duration{0}) {
    Fail(InvalidArgument(
        fmt::format("--interval '{}': use a duration such as 10s or 1m", flags.interval)));
    return kExitUsage;
  }
  Result<Workspace> workspace = OpenWorkspace(global.workspace);
  if (!workspace.ok()) {
    return Fail(workspace.status());
  }
  if (flags.pending) {
    return ListPending(*workspace->store);
  }
  std::unique_ptr<Clock> clock = std::move(ClockOf(global)).value();
  notify::Deliverer deliverer(*workspace->store, workspace->catalogue, *clock,
                              {.ca_file = flags.ca_file});
  if (!flags.follow) {
    const Status delivered = DeliverAll(deliverer);
    return delivered.ok() ? kExitOk : Fail(delivered);
  }
  Result<std::unique_ptr<WarningStage>> stage =
      WarningStage::Open(workspace->catalogue, *workspace->store, *clock);
  if (!stage.ok()) {
    return Fail(stage.status());
  }
  std::signal(SIGINT, RequestStop);
  std::signal(SIGTERM, RequestStop);
  while (!stop_requested) {
    for (const Status& status : {Tick(*workspace, **stage, *clock), DeliverAll(deliverer)}) {
      if (!status.ok()) {
        // A store another process holds, a receiver down: report and go on.
        Fail(status);
      }
    }
    for (Duration waited{0}; waited < *interval && !stop_requested;
         waited += std::chrono::milliseconds(100)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return kExitOk;
}

}  // namespace

Command RegisterDeliver(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<DeliverFlags>();
  Command command;
  command.app = app.add_subcommand("deliver", kDescription);
  command.app->footer(kFooter);
  command.app->add_flag("--follow", flags->follow,
                        "Keep ticking the warnings and delivering until interrupted");
  command.app->add_option("--interval", flags->interval, "Time between rounds with --follow")
      ->capture_default_str();
  command.app->add_option("--ca-file", flags->ca_file,
                          "PEM bundle of CAs trusted for https targets (default: the system's)");
  command.app->add_flag("--pending", flags->pending,
                        "List the pending notifications and their last errors; send nothing");
  command.run = [&global, flags] { return RunDeliver(global, *flags); };
  return command;
}

}  // namespace vigil::cli
