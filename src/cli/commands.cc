#include "cli/commands.h"

namespace vigil::cli {

std::vector<Command> RegisterCommands(CLI::App& app, GlobalOptions& global) {
  std::vector<Command> commands;
  commands.push_back(RegisterDetect(app, global));
  return commands;
}

}  // namespace vigil::cli
