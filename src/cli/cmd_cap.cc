// `vigil cap validate`: checks CAP 1.2 messages from any sender.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "publish/cap_validate.h"

namespace vigil::cli {
namespace {

constexpr const char* kValidateDescription =
    R"(Validate CAP 1.2 messages: XML well-formedness, the OASIS CAP 1.2 schema
(built into vigil) and the rules of the CAP 1.2 text the schema cannot check
(closed polygons with at least 4 points in lat,lon order, coordinate ranges,
circle radius, references, identifier characters, scope, UTC as -00:00...).
A DOCTYPE is rejected: it can declare entities.

Each finding is printed on stdout as
  FILE:LINE: error|warning: PATH: MESSAGE
and a summary on stderr. Exit code 0 when no file has an error (warnings are
allowed), 3 when any has, 4 when a file cannot be read.

Example:
  vigil cap validate alerts/*.xml)";

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    return IoError("cannot read '" + path + "'");
  }
  return text.str();
}

void PrintFinding(const std::string& file, const publish::CapFinding& f) {
  std::cout << file << ':';
  if (f.line > 0) {
    std::cout << f.line << ':';
  }
  std::cout << ' ' << publish::FindingSeverityName(f.severity) << ": " << f.path << ": "
            << f.message << '\n';
}

int RunValidate(const std::vector<std::string>& files) {
  size_t errors = 0;
  size_t warnings = 0;
  size_t unreadable = 0;
  for (const std::string& file : files) {
    Result<std::string> xml = ReadWholeFile(file);
    if (!xml.ok()) {
      std::cout << file << ": error: " << xml.status().message() << '\n';
      ++unreadable;
      continue;
    }
    const publish::CapValidation validation = publish::ValidateCap(*xml);
    for (const publish::CapFinding& finding : validation.findings) {
      PrintFinding(file, finding);
    }
    errors += validation.ErrorCount();
    warnings += validation.WarningCount();
  }
  std::cerr << files.size() << " file(s) checked: " << errors << " error(s), " << warnings
            << " warning(s)"
            << (unreadable > 0 ? ", " + std::to_string(unreadable) + " unreadable" : "") << '\n';
  if (unreadable > 0) {
    return kExitIo;
  }
  return errors > 0 ? kExitInvalidInput : kExitOk;
}

}  // namespace

Command RegisterCap(CLI::App& app, GlobalOptions& /*global*/) {
  Command command;
  command.app = app.add_subcommand("cap", "Work with CAP 1.2 alert messages");
  command.app->require_subcommand(1);
  CLI::App* validate = command.app->add_subcommand("validate", "Validate CAP 1.2 message files");
  validate->description(kValidateDescription);
  auto files = std::make_shared<std::vector<std::string>>();
  validate->add_option("FILE", *files, "CAP message files")->required();
  command.run = [files] { return RunValidate(*files); };
  return command;
}

}  // namespace vigil::cli
