// `vigil validate [DIR]`: checks a workspace catalogue and lists every problem.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "config/config.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Check a workspace's catalogue (DIR/workspace.yaml) and list every problem,
each as FILE:LINE:COLUMN: FIELD: MESSAGE, for example

  workspace.yaml:12:5: indicators[2].frequency: unknown frequency 'weekley' (...)

Exits 0 and prints a summary when the catalogue is valid, 3 when it has problems.
The format is described in docs/CATALOGUE.md.)";

int RunValidate(const std::string& dir) {
  Result<CatalogueCheck> check = CheckCatalogueFile(WorkspaceFile(dir));
  if (!check.ok()) {
    return Fail(check.status());
  }
  if (!check->ok()) {
    for (const ConfigProblem& p : check->problems) {
      std::cout << p.ToString() << "\n";
    }
    std::cerr << fmt::format("error: {} problem{} found\n", check->problems.size(),
                             check->problems.size() == 1 ? "" : "s");
    return kExitInvalidInput;
  }
  const Catalogue& c = check->catalogue;
  std::cout << fmt::format("ok: {} domains, {} regions, {} indicators, {} policies, {} sources\n",
                           c.domains().size(), c.regions().size(), c.indicators().size(),
                           c.policies().size(), c.sources().size());
  return kExitOk;
}

}  // namespace

Command RegisterValidate(CLI::App& app, GlobalOptions& global) {
  Command command;
  command.app =
      app.add_subcommand("validate", "Check a workspace catalogue and list every problem");
  command.app->description(kDescription);
  auto dir = std::make_shared<std::string>();
  command.app->add_option("DIR", *dir, "Workspace directory (default: the global --workspace)");
  command.run = [dir, &global] { return RunValidate(dir->empty() ? global.workspace : *dir); };
  return command;
}

}  // namespace vigil::cli
