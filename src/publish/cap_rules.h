// The CAP 1.2 rules that the XML Schema does not check. Internal to
// publish/: ValidateCap runs them after the schema.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "publish/cap_validate.h"
#include "publish/xml_tree.h"

namespace vigil::publish {

// Findings for a CAP <alert> element (the document's root). Robust to any
// shape of tree: missing or repeated elements are left to the schema.
std::vector<CapFinding> CheckCapRules(const XmlElement& alert);

// Why `value` cannot be a CAP identifier, sender or reference part (empty, or
// holding whitespace, a comma, '<' or '&'), naming it `field`; empty when it can.
std::string CapIdProblem(std::string_view value, std::string_view field);

// Parses a CAP date-time, "YYYY-MM-DDThh:mm:ss" and an offset "+hh:mm" or
// "-hh:mm"; nullopt when `text` has any other form.
std::optional<Timestamp> ParseCapTime(std::string_view text);

}  // namespace vigil::publish
