// Validation of CAP 1.2 messages from any sender: well-formedness, the OASIS
// CAP 1.2 XML Schema (compiled into the program) and the rules of the CAP 1.2
// prose that the schema cannot express (polygon rings, coordinate ranges,
// references, identifier characters, scope, UTC offsets...). docs/CAP.md lists
// every rule.
//
// Safe on hostile input: a document with a DOCTYPE (and so any entity
// declaration) is rejected before its DTD is read; nothing is fetched from the
// network and no entity is expanded.
//
// Thread safety: ValidateCap may be called from several threads at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::publish {

enum class FindingSeverity { kError, kWarning };

// Which check produced a finding: XML well-formedness (including the DOCTYPE
// ban), the CAP 1.2 schema, or a rule of the CAP 1.2 prose.
enum class FindingKind { kXml, kSchema, kRule };

// "error" or "warning".
const char* FindingSeverityName(FindingSeverity severity);

struct CapFinding {
  FindingSeverity severity = FindingSeverity::kError;
  FindingKind kind = FindingKind::kXml;
  int line = 0;      // 1-based line in the document; 0 when unknown
  std::string path;  // element path, e.g. "/alert/info[2]/area/polygon"; "/" for the document
  std::string message;
};

struct CapValidation {
  std::vector<CapFinding> findings;  // ordered by line

  // Valid: no findings of severity error (warnings are allowed).
  bool ok() const { return ErrorCount() == 0; }
  size_t ErrorCount() const;
  size_t WarningCount() const;
};

// Validates one CAP message given as the raw bytes of a file. The encoding is
// taken from the XML declaration (UTF-8 when there is none), so ISO-8859-1
// files validate as they are. At most kMaxSchemaFindings schema errors are
// listed, followed by one finding saying how many more there were.
CapValidation ValidateCap(std::string_view xml);

inline constexpr size_t kMaxSchemaFindings = 100;

}  // namespace vigil::publish
