// Registration of every `vigil` subcommand. One file per command: cmd_<name>.cc
// defines Register<Name>(); RegisterCommands() in commands.cc lists them.
#pragma once

#include <vector>

#include "cli/cli.h"

namespace vigil::cli {

Command RegisterDetect(CLI::App& app, GlobalOptions& global);
Command RegisterInit(CLI::App& app, GlobalOptions& global);
Command RegisterValidate(CLI::App& app, GlobalOptions& global);
Command RegisterCap(CLI::App& app, GlobalOptions& global);
Command RegisterSimulate(CLI::App& app, GlobalOptions& global);
Command RegisterNab(CLI::App& app, GlobalOptions& global);
Command RegisterBacktest(CLI::App& app, GlobalOptions& global);
Command RegisterIngest(CLI::App& app, GlobalOptions& global);
Command RegisterStatus(CLI::App& app, GlobalOptions& global);
Command RegisterSignals(CLI::App& app, GlobalOptions& global);
Command RegisterWarnings(CLI::App& app, GlobalOptions& global);
Command RegisterDeliver(CLI::App& app, GlobalOptions& global);
Command RegisterToken(CLI::App& app, GlobalOptions& global);
Command RegisterAudit(CLI::App& app, GlobalOptions& global);
Command RegisterServe(CLI::App& app, GlobalOptions& global);

std::vector<Command> RegisterCommands(CLI::App& app, GlobalOptions& global);

}  // namespace vigil::cli
