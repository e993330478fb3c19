// vigil: the command-line front door onto the engine.
#include <iostream>
#include <vector>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/workspace.h"
#include "core/log.h"

namespace vigil::cli {

int Fail(const Status& status) {
  std::cerr << "error: " << status.message() << "\n";
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return kExitInvalidInput;
    case StatusCode::kIoError:
    case StatusCode::kUnavailable:
    case StatusCode::kCorruption:
      return kExitIo;
    case StatusCode::kInternal:
      return kExitFailure;
  }
  return kExitFailure;
}

namespace {

constexpr const char* kFooter = R"(Exit codes:
  0  success
  1  internal error
  2  bad command line
  3  input rejected (data, catalogue or message invalid); nothing was committed
  4  file, store or network unavailable
  5  some lines rejected with --reject; the valid ones were committed

Run 'vigil COMMAND --help' for a command's options.)";

int Main(int argc, char** argv) {
  CLI::App app{
      "Vigil: risk monitoring, early warning and response coordination.\n"
      "Watches indicator streams per region, detects aberrations and anomalies,\n"
      "and turns them into graded warnings.",
      "vigil"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand: `vigil ingest -w DIR`
  GlobalOptions global;
  app.add_option("-w,--workspace", global.workspace,
                 "Workspace directory (default: $VIGIL_WORKSPACE or the current directory)")
      ->envname("VIGIL_WORKSPACE");
  app.add_option("--log-level", global.log_level, "debug, info, warn, error or off")
      ->capture_default_str();
  app.add_flag("--log-json", global.log_json, "Write logs as JSON lines instead of logfmt");
  app.add_option("--now", global.now,
                 "Run as if it were this RFC 3339 time: replays, drills and reproducible runs "
                 "(default: $VIGIL_NOW or the system clock)")
      ->envname("VIGIL_NOW");
  app.set_version_flag("--version", "vigil 0.1.0");

  std::vector<Command> commands = RegisterCommands(app, global);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  auto level = ParseLogLevel(global.log_level);
  if (!level.ok()) {
    Fail(level.status());
    return kExitUsage;
  }
  SetLogLevel(*level);
  SetLogFormat(global.log_json ? LogFormat::kJson : LogFormat::kLogfmt);
  if (Result<std::unique_ptr<Clock>> clock = ClockOf(global); !clock.ok()) {
    Fail(clock.status());
    return kExitUsage;
  }
  if (global.workspace.empty()) {
    global.workspace = ".";
  }
  for (Command& c : commands) {
    if (c.app->parsed()) {
      return c.run();
    }
  }
  return kExitUsage;
}

}  // namespace
}  // namespace vigil::cli

int main(int argc, char** argv) { return vigil::cli::Main(argc, argv); }
