#include "publish/warning_cap.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "publish/cap_rules.h"

namespace vigil::publish {
namespace {

// Per level 1..4: the native name and CAP severity. The colour is the model's
// (LevelColour), so it is named in one place.
struct LevelNames {
  const char* name;
  const char* severity;
};
constexpr std::array<LevelNames, kWarningLevels> kLevels = {{
    {"Level IV", "Minor"},
    {"Level III", "Moderate"},
    {"Level II", "Severe"},
    {"Level I", "Extreme"},
}};

constexpr std::array<std::string_view, 12> kCategories = {
    "Geo",    "Met", "Safety",    "Security", "Rescue", "Fire",
    "Health", "Env", "Transport", "Infra",    "CBRNE",  "Other"};
constexpr std::array<std::string_view, 5> kUrgencies = {"Immediate", "Expected", "Future", "Past",
                                                        "Unknown"};
constexpr std::array<std::string_view, 5> kCertainties = {"Observed", "Likely", "Possible",
                                                          "Unlikely", "Unknown"};
constexpr std::array<std::string_view, 9> kResponseTypes = {
    "Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"};

std::string At(const SourceLocation& loc) {
  return loc.file.empty() ? std::string() : fmt::format("{}:{}: ", loc.file, loc.line);
}

template <size_t N>
Status CheckCode(const std::array<std::string_view, N>& allowed, const std::string& value,
                 std::string_view field) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
    return Status::Ok();
  }
  return InvalidArgument(fmt::format("{} '{}' is not a CAP 1.2 value; use one of: {}", field, value,
                                     fmt::join(allowed, ", ")));
}

Status CheckInput(const WarningMessageInput& in) {
  VIGIL_RETURN_IF_ERROR(StyleForLevel(in.level).status());
  const std::string sender_problem = CapIdProblem(in.workspace.sender, "workspace sender");
  if (!sender_problem.empty()) {
    return InvalidArgument(sender_problem);
  }
  if (in.warning_id.empty()) {
    return InvalidArgument("warning id is empty");
  }
  const bool is_alert = in.msg_type == CapMsgType::kAlert;
  if (!is_alert && in.msg_type != CapMsgType::kUpdate && in.msg_type != CapMsgType::kCancel) {
    return InvalidArgument("a warning message is an Alert, an Update or a Cancel");
  }
  if (is_alert != in.previous.empty()) {
    return InvalidArgument(fmt::format(
        "warning '{}': an Alert starts the chain (no previous messages); an Update or Cancel "
        "lists every earlier message, but {} has {}",
        in.warning_id, CapMsgTypeName(in.msg_type), in.previous.size()));
  }
  if (in.expires <= in.sent) {
    return InvalidArgument(
        fmt::format("warning '{}': expires must be later than sent", in.warning_id));
  }
  if (in.event.empty() && in.policy.hazard.empty()) {
    return InvalidArgument(fmt::format("warning '{}': no event (and policy '{}' has no hazard)",
                                       in.warning_id, in.policy.id));
  }
  VIGIL_RETURN_IF_ERROR(CheckCode(kCategories, in.domain.cap_category, "cap_category")
                            .WithContext(At(in.domain.loc) + "domain '" + in.domain.id + "'"));
  VIGIL_RETURN_IF_ERROR(CheckCode(kUrgencies, in.policy.urgency, "urgency")
                            .WithContext(At(in.policy.loc) + "policy '" + in.policy.id + "'"));
  VIGIL_RETURN_IF_ERROR(CheckCode(kCertainties, in.policy.certainty, "certainty")
                            .WithContext(At(in.policy.loc) + "policy '" + in.policy.id + "'"));
  return CheckCode(kResponseTypes, in.response_type, "response type");
}

Result<CapArea> BuildArea(const Region& region) {
  Result<std::vector<std::string>> polygons = CapPolygonsFromGeoJson(region.geometry_geojson);
  if (!polygons.ok()) {
    return polygons.status().WithContext(At(region.loc) + "region '" + region.code + "' geometry");
  }
  return CapArea{.area_desc = region.name.empty() ? region.code : region.name,
                 .polygons = std::move(polygons).value(),
                 .geocodes = {{"vigil:region", region.code}}};
}

CapInfo BuildInfo(const WarningMessageInput& in, const WarningLevelStyle& style) {
  const bool cancel = in.msg_type == CapMsgType::kCancel;
  return CapInfo{
      .language = in.workspace.language.empty() ? "en-US" : in.workspace.language,
      .categories = {in.domain.cap_category},
      .event = in.event.empty() ? in.policy.hazard : in.event,
      .response_types = {cancel ? "AllClear" : in.response_type},
      .urgency = cancel ? "Past" : in.policy.urgency,
      .severity = style.severity,
      .certainty = in.policy.certainty,
      .expires = CapTime{in.expires, in.offset_minutes},
      .sender_name = in.workspace.name,
      .headline = in.headline,
      .description = in.description,
      .instruction = in.instruction,
      .web = in.web,
      .contact = in.contact,
      .parameters = {{"vigil:level", std::to_string(style.level)},
                     {"vigil:colour", std::string(style.colour)},
                     {"vigil:level-name", style.name},
                     {"vigil:warning-id", in.warning_id},
                     {"vigil:domain", in.domain.id},
                     {"vigil:hazard", in.policy.hazard}},
  };
}

std::string Sanitise(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    c = keep ? c : '-';
  }
  return out;
}

}  // namespace

Result<WarningLevelStyle> StyleForLevel(int level) {
  if (level < 1 || level > kWarningLevels) {
    return InvalidArgument(fmt::format("warning level {} is not 1 (blue) to 4 (red)", level));
  }
  const LevelNames& names = kLevels[level - 1];
  return WarningLevelStyle{level, LevelColour(level), names.name, names.severity};
}

std::string WarningCapIdentifier(std::string_view sender, std::string_view warning_id,
                                 int sequence) {
  return fmt::format("vigil-{}-{}-{}", Sanitise(sender), Sanitise(warning_id), sequence);
}

Result<CapAlert> BuildWarningCap(const WarningMessageInput& in) {
  VIGIL_RETURN_IF_ERROR(CheckInput(in));
  VIGIL_ASSIGN_OR_RETURN(const WarningLevelStyle style, StyleForLevel(in.level));
  VIGIL_ASSIGN_OR_RETURN(CapArea area, BuildArea(in.region));
  CapInfo info = BuildInfo(in, style);
  info.areas.push_back(std::move(area));
  CapAlert alert{
      .identifier = WarningCapIdentifier(in.workspace.sender, in.warning_id, in.sequence),
      .sender = in.workspace.sender,
      .sent = {in.sent, in.offset_minutes},
      .status = in.status,
      .msg_type = in.msg_type,
      .references = in.previous,
  };
  alert.infos.push_back(std::move(info));
  return alert;
}

}  // namespace vigil::publish
