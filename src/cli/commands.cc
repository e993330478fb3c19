#include "cli/commands.h"

namespace vigil::cli {

std::vector<Command> RegisterCommands(CLI::App& app, GlobalOptions& global) {
  std::vector<Command> commands;
  commands.push_back(RegisterDetect(app, global));
  commands.push_back(RegisterInit(app, global));
  commands.push_back(RegisterValidate(app, global));
  commands.push_back(RegisterSimulate(app, global));
  commands.push_back(RegisterNab(app, global));
  commands.push_back(RegisterBacktest(app, global));
  commands.push_back(RegisterCap(app, global));
  commands.push_back(RegisterIngest(app, global));
  commands.push_back(RegisterStatus(app, global));
  commands.push_back(RegisterSignals(app, global));
  commands.push_back(RegisterWarnings(app, global));
  commands.push_back(RegisterDeliver(app, global));
  commands.push_back(RegisterToken(app, global));
  commands.push_back(RegisterAudit(app, global));
  commands.push_back(RegisterServe(app, global));
  return commands;
}

}  // namespace vigil::cli
