#include "server/api_body.h"

#include <fmt/format.h>

#include "model/catalogue.h"

namespace vigil::server {

Result<nlohmann::json> JsonObjectBody(const std::string& body) {
  if (body.empty()) {
    return nlohmann::json::object();
  }
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_object()) {
    return InvalidArgument("the body must be a JSON object");
  }
  return parsed;
}

Result<std::string> StringField(const nlohmann::json& object, std::string_view name,
                                bool required) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) {
      return InvalidArgument(fmt::format("{}: required", name));
    }
    return std::string();
  }
  if (!it->is_string()) {
    return InvalidArgument(fmt::format("{}: must be a string", name));
  }
  return it->get<std::string>();
}

Result<int> LevelField(const nlohmann::json& object) {
  const auto it = object.find("level");
  std::string level;
  if (it != object.end() && it->is_number_integer()) {
    level = std::to_string(it->get<std::int64_t>());
  } else {
    VIGIL_ASSIGN_OR_RETURN(level, StringField(object, "level", true));
  }
  Result<int> parsed = ParseLevel(level);
  if (!parsed.ok()) {
    return InvalidArgument(fmt::format("level: {}", parsed.status().message()));
  }
  return parsed;
}

Result<std::optional<Timestamp>> TimeField(const nlohmann::json& object, std::string_view name,
                                           Timestamp now, bool required) {
  VIGIL_ASSIGN_OR_RETURN(const std::string text, StringField(object, name, required));
  if (text.empty()) {
    return std::optional<Timestamp>();
  }
  Result<Timestamp> time = ParseTimeOrOffset(text, now);
  if (!time.ok()) {
    return InvalidArgument(fmt::format("{}: '{}' is not RFC 3339 nor +DURATION (+6h): {}", name,
                                       text, time.status().message()));
  }
  return std::optional<Timestamp>(*time);
}

}  // namespace vigil::server
