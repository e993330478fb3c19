#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <span>
#include <sstream>

#include "config/config.h"
#include "config/sections.h"

namespace vigil {
namespace {

using config_internal::Draft;
using config_internal::MapReader;
using config_internal::Problems;

using Reader = void (*)(Problems&, const YAML::Node&, Draft&);
struct Section {
  const char* name;
  Reader read;
};
constexpr Section kSections[] = {
    {"workspace", config_internal::ReadWorkspaceInfo}, {"domains", config_internal::ReadDomains},
    {"regions", config_internal::ReadRegions},         {"policies", config_internal::ReadPolicies},
    {"indicators", config_internal::ReadIndicators},   {"sources", config_internal::ReadSources},
    {"agencies", config_internal::ReadAgencies}};
// What an overrides file may hold (LoadWorkspaceCatalogueWithOverrides).
constexpr Section kOverrideSections[] = {{"policies", config_internal::ReadPolicies},
                                         {"indicators", config_internal::ReadIndicators}};

void ReadSections(Problems& problems, const YAML::Node& root, Draft& draft,
                  std::span<const Section> sections) {
  std::vector<std::string> names;
  for (const Section& section : sections) {
    names.emplace_back(section.name);
  }
  MapReader top(problems, root, "", std::move(names));
  if (!top.is_map()) {
    return;
  }
  for (const Section& section : sections) {
    if (std::optional<YAML::Node> node = top.Get(section.name)) {
      section.read(problems, *node, draft);
    }
  }
}

// Reads `text` into `draft`, reporting what is wrong; references between
// entries are left to CheckReferences.
void Parse(Problems& problems, std::string_view text, Draft& draft,
           std::span<const Section> sections) {
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
    ReadSections(problems, root, draft, sections);
  } catch (const YAML::Exception& e) {
    // Reading checks each node's kind first; this is a last line of defence.
    problems.Add(problems.Loc(e.mark), "", "cannot read the catalogue: " + e.msg);
  }
}

// Replaces the entries of `base` with those of `overrides` that have the same
// id, and appends the others.
template <typename Entry>
void Override(std::vector<Entry>& base, std::vector<Entry>& overrides) {
  for (Entry& entry : overrides) {
    const auto same =
        std::find_if(base.begin(), base.end(), [&](const Entry& e) { return e.id == entry.id; });
    if (same != base.end()) {
      *same = std::move(entry);
    } else {
      base.push_back(std::move(entry));
    }
  }
}

CatalogueCheck Finish(Problems& problems, Draft& draft) {
  config_internal::CheckReferences(problems, draft);
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
  Parse(problems, text, draft, kSections);
  return Finish(problems, draft);
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

Result<Catalogue> LoadWorkspaceCatalogueWithOverrides(const std::filesystem::path& dir,
                                                      const std::filesystem::path& overrides) {
  const std::filesystem::path base_path = WorkspaceFile(dir);
  VIGIL_ASSIGN_OR_RETURN(const std::string base_text, ReadFile(base_path));
  VIGIL_ASSIGN_OR_RETURN(const std::string override_text, ReadFile(overrides));
  Problems problems{base_path.string()};
  Draft draft;
  Parse(problems, base_text, draft, kSections);
  // Read on their own, so that ids repeated across the two files are not
  // duplicates and every problem names the file it is in.
  Problems override_problems{overrides.string()};
  Draft changes;
  Parse(override_problems, override_text, changes, kOverrideSections);
  std::vector<ConfigProblem> found = override_problems.Take();
  if (!found.empty()) {
    return ToCatalogue(CatalogueCheck{.problems = std::move(found)});
  }
  // A replaced indicator's references are those of its replacement.
  for (const Indicator& replaced : changes.indicators) {
    for (auto* refs : {&draft.indicator_domains, &draft.indicator_policies}) {
      std::erase_if(*refs, [&](const auto& r) { return r.from == replaced.id; });
    }
  }
  for (auto [refs, more] : {std::pair{&draft.indicator_domains, &changes.indicator_domains},
                            std::pair{&draft.indicator_policies, &changes.indicator_policies}}) {
    refs->insert(refs->end(), more->begin(), more->end());
  }
  Override(draft.policies, changes.policies);
  Override(draft.indicators, changes.indicators);
  return ToCatalogue(Finish(problems, draft));
}

std::filesystem::path WorkspaceFile(const std::filesystem::path& dir) {
  return (dir / kWorkspaceFileName).lexically_normal();
}

}  // namespace vigil
