// Internal to config/: reading each catalogue section into model entries. Each
// reader reports what is wrong with an entry on its own; references between
// entries are recorded and checked once every section is read (references.cc).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/yaml_reader.h"
#include "core/time.h"
#include "model/catalogue.h"

namespace vigil::config_internal {

// A reference from one entry to another by id, checked after all sections are read.
struct Reference {
  std::string from;    // the referring entry's id or code
  std::string target;  // the id or code referred to
  SourceLocation loc;
  std::string field;
};

// Everything read from the file, before cross-checks.
struct Draft {
  WorkspaceInfo info;
  std::vector<Domain> domains;
  std::vector<Region> regions;
  std::vector<Indicator> indicators;
  std::vector<WarningPolicy> policies;
  std::vector<DataSource> sources;
  std::vector<Agency> agencies;
  std::vector<Reference> region_parents;
  std::vector<Reference> indicator_domains;
  std::vector<Reference> indicator_policies;
  std::vector<Reference> agency_regions;
  std::vector<Reference> agency_domains;
  std::vector<Reference> agency_escalations;
};

// Ids already declared in one section, to report duplicates with the first line.
class IdRegistry {
 public:
  explicit IdRegistry(std::string kind) : kind_(std::move(kind)) {}
  // Reports and returns false when `id` was declared before.
  bool Add(MapReader& entry, std::string_view key, const std::string& id);

 private:
  std::string kind_;
  std::map<std::string, int, std::less<>> first_line_;
};

// Reads an entry's id (or region code) under `key`, checks its form and that it
// is new; "" when missing.
std::string ReadId(MapReader& entry, std::string_view key, IdRegistry& ids, bool region_code);
// Lowercase ids of domains, indicators, policies, sources and hazards: [a-z0-9-]+.
bool IsLowerId(std::string_view text);
// Region codes: [A-Za-z0-9-]+.
bool IsRegionCode(std::string_view text);
// Reports a text value against one of `allowed`; returns whether it is one.
bool CheckChoice(MapReader& entry, std::string_view key, const std::string& value,
                 const std::vector<std::string>& allowed, std::string_view what);

void ReadWorkspaceInfo(Problems& problems, const YAML::Node& node, Draft& draft);
void ReadDomains(Problems& problems, const YAML::Node& node, Draft& draft);
void ReadRegions(Problems& problems, const YAML::Node& node, Draft& draft);
void ReadPolicies(Problems& problems, const YAML::Node& node, Draft& draft);
void ReadIndicators(Problems& problems, const YAML::Node& node, Draft& draft);
void ReadSources(Problems& problems, const YAML::Node& node, Draft& draft);
void ReadAgencies(Problems& problems, const YAML::Node& node, Draft& draft);
// A policy's hysteresis, combine, group, acknowledge_within and refresh_every.
void ReadWarningRules(Problems& problems, MapReader& policy, WarningPolicy& out);

// Unknown references, duplicate-free region hierarchy without cycles.
void CheckReferences(Problems& problems, const Draft& draft);

}  // namespace vigil::config_internal
