#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "config/config.h"
#include "config/sections.h"

namespace vigil {
namespace {

using config_internal::Draft;
using config_internal::MapReader;
using config_internal::Problems;

void ReadSections(Problems& problems, const YAML::Node& root, Draft& draft) {
  MapReader top(
      problems, root, "",
      {"workspace", "domains", "regions", "policies", "indicators", "sources", "agencies"});
  if (!top.is_map()) {
    return;
  }
  using Reader = void (*)(Problems&, const YAML::Node&, Draft&);
  const std::pair<const char*, Reader> kSections[] = {
      {"workspace", config_internal::ReadWorkspaceInfo},
      {"domains", config_internal::ReadDomains},
      {"regions", config_internal::ReadRegions},
      {"policies", config_internal::ReadPolicies},
      {"indicators", config_internal::ReadIndicators},
      {"sources", config_internal::ReadSources},
      {"agencies", config_internal::ReadAgencies}};
  for (const auto& [name, read] : kSections) {
    if (std::optional<YAML::Node> node = top.Get(name)) {
      read(problems, *node, draft);
    }
  }
  config_internal::CheckReferences(problems, draft);
}

void Parse(Problems& problems, std::string_view text, Draft& draft) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems.Add(problems.Loc(e.mark), "", "YAML syntax error: " + e.msg);
    return;
  }
  if (root.IsNull()) {
    problems.Add(SourceLocation{}, "",
                 "the catalogue is empty (expected sections workspace, domains, regions, "
                 "policies, indicators, sources)");
    return;
  }
  try {
    ReadSections(problems, root, draft);
  } catch (const YAML::Exception& e) {
    // Reading checks each node's kind first; this is a last line of defence.
    problems.Add(problems.Loc(e.mark), "", "cannot read the catalogue: " + e.msg);
  }
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError(fmt::format(
        "cannot read {}: {}", path.string(),
        std::filesystem::exists(path) ? "permission denied or not a file" : "no such file"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<Catalogue> ToCatalogue(CatalogueCheck check) {
  if (check.ok()) {
    return std::move(check.catalogue);
  }
  std::string message = fmt::format("{} problem{} in the catalogue:", check.problems.size(),
                                    check.problems.size() == 1 ? "" : "s");
  for (const ConfigProblem& p : check.problems) {
    message += "\n" + p.ToString();
  }
  return InvalidArgument(std::move(message));
}

}  // namespace

std::string ConfigProblem::ToString() const {
  std::string where = loc.file;
  if (loc.line > 0) {
    where += fmt::format(":{}:{}", loc.line, loc.column);
  }
  return field.empty() ? fmt::format("{}: {}", where, message)
                       : fmt::format("{}: {}: {}", where, field, message);
}

CatalogueCheck CheckCatalogueText(std::string_view text, std::string_view file_label) {
  Problems problems{std::string(file_label)};
  Draft draft;
  Parse(problems, text, draft);
  CatalogueCheck check;
  check.problems = problems.Take();
  if (check.ok()) {
    check.catalogue =
        Catalogue(std::move(draft.info), std::move(draft.domains), std::move(draft.regions),
                  std::move(draft.indicators), std::move(draft.policies), std::move(draft.sources),
                  std::move(draft.agencies));
  }
  return check;
}

Result<CatalogueCheck> CheckCatalogueFile(const std::filesystem::path& path) {
  VIGIL_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return CheckCatalogueText(text, path.string());
}

Result<Catalogue> LoadCatalogueText(std::string_view text, std::string_view file_label) {
  return ToCatalogue(CheckCatalogueText(text, file_label));
}

Result<Catalogue> LoadCatalogueFile(const std::filesystem::path& path) {
  VIGIL_ASSIGN_OR_RETURN(CatalogueCheck check, CheckCatalogueFile(path));
  return ToCatalogue(std::move(check));
}

Result<Catalogue> LoadWorkspaceCatalogue(const std::filesystem::path& dir) {
  return LoadCatalogueFile(WorkspaceFile(dir));
}

std::filesystem::path WorkspaceFile(const std::filesystem::path& dir) {
  return (dir / kWorkspaceFileName).lexically_normal();
}

}  // namespace vigil
