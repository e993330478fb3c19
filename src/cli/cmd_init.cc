// `vigil init DIR`: writes a commented starter workspace.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "config/config.h"
#include "config/starter.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Write a starter workspace into DIR (default: the workspace): workspace.yaml, a catalogue with every
section explained in comments and a small example (three regions with
geometry, a weekly health indicator watched by farrington-flexible and
ears-c2, an hourly river level with threshold levels, a data source), and
data/example.csv with rows that fit it. Refuses to overwrite an existing
workspace.yaml unless --force is given.

Next: edit workspace.yaml, then run 'vigil validate DIR'.)";

struct InitOptions {
  std::string dir;
  bool force = false;
};

int RunInit(const InitOptions& options) {
  Status written = WriteStarterWorkspace(options.dir, options.force);
  if (!written.ok()) {
    return Fail(written);
  }
  std::cout << fmt::format(
      "wrote {} and {}\n", WorkspaceFile(options.dir).string(),
      (std::filesystem::path(options.dir) / "data" / "example.csv").lexically_normal().string());
  return kExitOk;
}

}  // namespace

Command RegisterInit(CLI::App& app, GlobalOptions& global) {
  Command command;
  auto options = std::make_shared<InitOptions>();
  command.app = app.add_subcommand("init", "Write a commented starter workspace");
  command.app->description(kDescription);
  command.app->add_option(
      "DIR", options->dir,
      "Directory to write, created if missing (default: the global --workspace)");
  command.app->add_flag("--force", options->force, "Overwrite an existing workspace.yaml");
  command.run = [options, &global] {
    if (options->dir.empty()) {
      options->dir = global.workspace;
    }
    return RunInit(*options);
  };
  return command;
}

}  // namespace vigil::cli
