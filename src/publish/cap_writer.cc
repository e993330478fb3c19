#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "publish/cap.h"
#include "publish/xml_writer.h"

namespace vigil::publish {
namespace {

constexpr const char* kCapNamespace = "urn:oasis:names:tc:emergency:cap:1.2";

void WriteOptionalTime(XmlWriter& w, std::string_view name, const std::optional<CapTime>& t) {
  if (t.has_value()) {
    w.Element(name, FormatCapTime(*t));
  }
}

void WriteValuePairs(XmlWriter& w, std::string_view name, const std::vector<CapValuePair>& pairs) {
  for (const CapValuePair& pair : pairs) {
    w.Start(name);
    w.Element("valueName", pair.value_name);
    w.Element("value", pair.value);
    w.End();
  }
}

void WriteArea(XmlWriter& w, const CapArea& area) {
  w.Start("area");
  w.Element("areaDesc", area.area_desc);
  for (const std::string& polygon : area.polygons) {
    w.Element("polygon", polygon);
  }
  for (const std::string& circle : area.circles) {
    w.Element("circle", circle);
  }
  WriteValuePairs(w, "geocode", area.geocodes);
  w.End();
}

void WriteInfo(XmlWriter& w, const CapInfo& info) {
  w.Start("info");
  w.OptionalElement("language", info.language);
  for (const std::string& category : info.categories) {
    w.Element("category", category);
  }
  w.Element("event", info.event);
  for (const std::string& response : info.response_types) {
    w.Element("responseType", response);
  }
  w.Element("urgency", info.urgency);
  w.Element("severity", info.severity);
  w.Element("certainty", info.certainty);
  WriteOptionalTime(w, "effective", info.effective);
  WriteOptionalTime(w, "onset", info.onset);
  WriteOptionalTime(w, "expires", info.expires);
  w.OptionalElement("senderName", info.sender_name);
  w.OptionalElement("headline", info.headline);
  w.OptionalElement("description", info.description);
  w.OptionalElement("instruction", info.instruction);
  w.OptionalElement("web", info.web);
  w.OptionalElement("contact", info.contact);
  WriteValuePairs(w, "parameter", info.parameters);
  for (const CapArea& area : info.areas) {
    WriteArea(w, area);
  }
  w.End();
}

}  // namespace

std::string FormatCapTime(Timestamp t, int offset_minutes) {
  using std::chrono::floor;
  const auto local = floor<std::chrono::seconds>(t) + std::chrono::minutes(offset_minutes);
  const auto day = floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  // CAP 1.2 section 3.3.2: UTC is written "-00:00", never "+00:00" or "Z".
  const char sign = offset_minutes > 0 ? '+' : '-';
  const int offset = std::abs(offset_minutes);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
                     static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count(), sign, offset / 60, offset % 60);
}

const char* CapStatusName(CapStatus status) {
  switch (status) {
    case CapStatus::kActual:
      return "Actual";
    case CapStatus::kExercise:
      return "Exercise";
    case CapStatus::kSystem:
      return "System";
    case CapStatus::kTest:
      return "Test";
    case CapStatus::kDraft:
      return "Draft";
  }
  return "Actual";
}

const char* CapMsgTypeName(CapMsgType type) {
  switch (type) {
    case CapMsgType::kAlert:
      return "Alert";
    case CapMsgType::kUpdate:
      return "Update";
    case CapMsgType::kCancel:
      return "Cancel";
    case CapMsgType::kAck:
      return "Ack";
    case CapMsgType::kError:
      return "Error";
  }
  return "Alert";
}

const char* CapScopeName(CapScope scope) {
  switch (scope) {
    case CapScope::kPublic:
      return "Public";
    case CapScope::kRestricted:
      return "Restricted";
    case CapScope::kPrivate:
      return "Private";
  }
  return "Public";
}

std::string FormatCapReferences(const std::vector<CapReference>& references) {
  std::string out;
  for (const CapReference& ref : references) {
    if (!out.empty()) {
      out += ' ';
    }
    out += fmt::format("{},{},{}", ref.sender, ref.identifier, FormatCapTime(ref.sent));
  }
  return out;
}

std::string WriteCap(const CapAlert& alert) {
  XmlWriter w;
  w.Start("alert");
  w.Attribute("xmlns", kCapNamespace);
  w.Element("identifier", alert.identifier);
  w.Element("sender", alert.sender);
  w.Element("sent", FormatCapTime(alert.sent));
  w.Element("status", CapStatusName(alert.status));
  w.Element("msgType", CapMsgTypeName(alert.msg_type));
  w.OptionalElement("source", alert.source);
  w.Element("scope", CapScopeName(alert.scope));
  w.OptionalElement("restriction", alert.restriction);
  w.OptionalElement("addresses", alert.addresses);
  for (const std::string& code : alert.codes) {
    w.Element("code", code);
  }
  w.OptionalElement("note", alert.note);
  w.OptionalElement("references", FormatCapReferences(alert.references));
  w.OptionalElement("incidents", alert.incidents);
  for (const CapInfo& info : alert.infos) {
    WriteInfo(w, info);
  }
  return w.Finish();
}

}  // namespace vigil::publish
