// The `vigil` command line: shared options, exit codes and the registration
// hook each command file implements. Commands only wire the engine's modules.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "core/status.h"

namespace vigil::cli {

// Exit codes scripts can rely on; `vigil --help` lists them.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,       // an internal or unexpected error
  kExitUsage = 2,         // bad command line
  kExitInvalidInput = 3,  // input rejected: data, catalogue or message invalid (nothing committed)
  kExitIo = 4,            // file, store or network unavailable
  kExitPartial = 5,       // --reject: some lines rejected, the valid ones committed
};

struct GlobalOptions {
  std::string workspace;  // --workspace / VIGIL_WORKSPACE; default "."
  std::string log_level = "info";
  bool log_json = false;
  std::string now;  // --now / VIGIL_NOW: run at this RFC 3339 time; default the system clock
};

// Maps a Status to the exit code above and prints "error: <message>" on stderr.
int Fail(const Status& status);

// Each command registers a subcommand and sets `run` to the action main() calls
// after parsing, when that subcommand was chosen.
using Runner = std::function<int()>;
struct Command {
  CLI::App* app = nullptr;
  Runner run;
};

}  // namespace vigil::cli
