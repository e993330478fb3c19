// CAP 1.2 (OASIS Common Alerting Protocol) messages: a plain model and its
// XML writer. The model mirrors the schema's elements one to one, so a caller
// fills in exactly what will be written; WriteCap adds nothing of its own.
//
// Thread safety: the functions are pure and may be called from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace vigil::publish {

// An instant and the UTC offset it is written with. CAP requires an explicit
// offset and writes UTC as "-00:00".
struct CapTime {
  Timestamp time;
  int offset_minutes = 0;  // east of UTC, in [-23:59, +23:59]
};

// "2024-03-01T10:00:00-00:00": whole seconds (the fraction is dropped), the
// local time at `offset_minutes`, and "-00:00" when the offset is zero.
std::string FormatCapTime(Timestamp t, int offset_minutes);
inline std::string FormatCapTime(const CapTime& t) {
  return FormatCapTime(t.time, t.offset_minutes);
}

enum class CapStatus { kActual, kExercise, kSystem, kTest, kDraft };
enum class CapMsgType { kAlert, kUpdate, kCancel, kAck, kError };
enum class CapScope { kPublic, kRestricted, kPrivate };

// The schema's spelling: "Actual", "Alert", "Public", ...
const char* CapStatusName(CapStatus status);
const char* CapMsgTypeName(CapMsgType type);
const char* CapScopeName(CapScope scope);

// A <parameter>, <geocode> or <eventCode> entry.
struct CapValuePair {
  std::string value_name;
  std::string value;
};

// One earlier message a <references> entry points to.
struct CapReference {
  std::string sender;
  std::string identifier;
  CapTime sent;
};

struct CapArea {
  std::string area_desc;
  // Each "lat,lon lat,lon ..." with the first pair repeated last (>= 4 pairs).
  std::vector<std::string> polygons;
  // Each "lat,lon radius_km".
  std::vector<std::string> circles;
  std::vector<CapValuePair> geocodes;
};

// One <info> block. Code values (category, responseType, urgency, severity,
// certainty) are written as given, so they must use the schema's spelling.
struct CapInfo {
  std::string language;  // written only when not empty (the schema's default is en-US)
  std::vector<std::string> categories;  // at least one
  std::string event;
  std::vector<std::string> response_types;
  std::string urgency;
  std::string severity;
  std::string certainty;
  std::optional<CapTime> effective;
  std::optional<CapTime> onset;
  std::optional<CapTime> expires;
  std::string sender_name;
  std::string headline;
  std::string description;
  std::string instruction;
  std::string web;
  std::string contact;
  std::vector<CapValuePair> parameters;
  std::vector<CapArea> areas;
};

struct CapAlert {
  std::string identifier;
  std::string sender;
  CapTime sent;
  CapStatus status = CapStatus::kActual;
  CapMsgType msg_type = CapMsgType::kAlert;
  std::string source;
  CapScope scope = CapScope::kPublic;
  std::string restriction;  // with scope Restricted only
  std::string addresses;    // required with scope Private
  std::vector<std::string> codes;
  std::string note;
  std::vector<CapReference> references;  // the earlier messages, oldest first
  std::string incidents;
  std::vector<CapInfo> infos;
};

// The "sender,identifier,sent" triples of <references>, separated by spaces.
std::string FormatCapReferences(const std::vector<CapReference>& references);

// Serialises `alert` as a UTF-8 CAP 1.2 document in the namespace
// urn:oasis:names:tc:emergency:cap:1.2, elements in schema order, empty
// optional fields omitted, text escaped. Characters XML 1.0 cannot carry
// (C0 controls other than tab, newline and carriage return) are dropped.
// Validity is the caller's part: ValidateCap (cap_validate.h) checks it.
std::string WriteCap(const CapAlert& alert);

}  // namespace vigil::publish
