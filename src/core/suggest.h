// "Did you mean" hints for misspelt names (keys, methods, parameters).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// Levenshtein distance between two strings.
size_t EditDistance(std::string_view a, std::string_view b);

// The known name nearest to `name` within two edits, or "" when none is that close.
std::string ClosestName(std::string_view name, const std::vector<std::string>& known);

}  // namespace vigil
