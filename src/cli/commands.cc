#include "cli/commands.h"

namespace vigil::cli {

std::vector<Command> RegisterCommands(CLI::App& app, GlobalOptions& global) {
  std::vector<Command> commands;
  (void)app;
  (void)global;
  return commands;
}

}  // namespace vigil::cli
