// Loading and validating the workspace catalogue (`workspace.yaml`, format in
// docs/CATALOGUE.md).
//
// Validation collects every problem in the file, not just the first, each with
// the file, line and column it was found at and the field path
// (`indicators[2].detectors[0].params.alpha`). Nothing here throws; the YAML
// library stays behind this header.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/catalogue.h"

namespace vigil {

// The catalogue file's name inside a workspace directory.
inline constexpr std::string_view kWorkspaceFileName = "workspace.yaml";

struct ConfigProblem {
  SourceLocation loc;  // line and column are 1-based; 0 when the problem is the whole file
  std::string field;   // e.g. "indicators[2].frequency"; empty for the whole file
  std::string message;
  // "workspace.yaml:12:5: indicators[2].frequency: unknown frequency 'weekley' (...)".
  std::string ToString() const;
};

// The outcome of checking one catalogue.
struct CatalogueCheck {
  Catalogue catalogue;                  // complete and indexed only when ok()
  std::vector<ConfigProblem> problems;  // in file order
  bool ok() const { return problems.empty(); }
};

// Parses and validates catalogue text; `file_label` names it in problems.
CatalogueCheck CheckCatalogueText(std::string_view text, std::string_view file_label);
// Reads and checks a file. IoError when it cannot be read; everything else is a problem.
Result<CatalogueCheck> CheckCatalogueFile(const std::filesystem::path& path);

// As the Check functions, but any problem is an InvalidArgument listing them all,
// one per line in ConfigProblem::ToString form.
Result<Catalogue> LoadCatalogueText(std::string_view text, std::string_view file_label);
Result<Catalogue> LoadCatalogueFile(const std::filesystem::path& path);
// Loads `<dir>/workspace.yaml`.
Result<Catalogue> LoadWorkspaceCatalogue(const std::filesystem::path& dir);
// Loads `<dir>/workspace.yaml` with the entries of the file `overrides` (only
// `policies` and `indicators` sections, entries written whole as in the
// catalogue) in place of the workspace's entries with the same id, or added
// when new; the result is checked as one catalogue. Problems name the file,
// line and field they are in.
Result<Catalogue> LoadWorkspaceCatalogueWithOverrides(const std::filesystem::path& dir,
                                                      const std::filesystem::path& overrides);

// `<dir>/workspace.yaml`, normalised ("./workspace.yaml" becomes "workspace.yaml").
std::filesystem::path WorkspaceFile(const std::filesystem::path& dir);

}  // namespace vigil
