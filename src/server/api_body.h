// Reading the JSON bodies of the API's write routes, shared by its route
// files: an object whose fields are checked one by one, each error naming
// the field.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace vigil::server {

// The body as a JSON object; an empty body is an empty object.
// InvalidArgument for anything else.
Result<nlohmann::json> JsonObjectBody(const std::string& body);

// The string field `name` of `object`: "" when absent and not `required`.
// InvalidArgument naming the field when it is not a string, or missing.
Result<std::string> StringField(const nlohmann::json& object, std::string_view name, bool required);

// The level field ("orange", "3" or 3), required.
Result<int> LevelField(const nlohmann::json& object);

// The time field `name`, RFC 3339 or "+DURATION" from `now`; nullopt when
// absent and not `required`.
Result<std::optional<Timestamp>> TimeField(const nlohmann::json& object, std::string_view name,
                                           Timestamp now, bool required);

}  // namespace vigil::server
