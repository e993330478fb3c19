// From a Vigil warning to a CAP 1.2 message: a pure mapping from plain inputs,
// so the warning engine only fills in WarningMessageInput. docs/CAP.md shows
// a message it produces.
//
//   level  colour  native name  CAP severity
//   1      blue    Level IV     Minor
//   2      yellow  Level III    Moderate
//   3      orange  Level II     Severe
//   4      red     Level I      Extreme
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "model/catalogue.h"
#include "publish/cap.h"

namespace vigil::publish {

struct WarningLevelStyle {
  int level;                // 1..4
  std::string_view colour;  // LevelColour (model/catalogue.h): "blue" .. "red"
  const char* name;         // "Level IV" .. "Level I"
  const char* severity;     // CAP <severity>
};

// The style of level 1..4; InvalidArgument for any other level.
Result<WarningLevelStyle> StyleForLevel(int level);

// One CAP message about one warning. The warning's messages form a chain:
// sequence 1 is the Alert; every later message (Update, Cancel) lists all
// earlier ones in `previous`, oldest first.
struct WarningMessageInput {
  std::string warning_id;                    // stable id of the warning; part of the CAP identifier
  int sequence = 1;                          // 1, 2, 3 ... per message of this warning
  CapMsgType msg_type = CapMsgType::kAlert;  // kAlert, kUpdate or kCancel
  CapStatus status = CapStatus::kActual;     // kExercise / kTest for drills
  int level = 1;                             // 1 blue .. 4 red (see the table above)

  WorkspaceInfo workspace;  // sender, senderName (its name) and language
  Domain domain;            // category from cap_category; id as vigil:domain
  Region region;            // areaDesc from name, polygons from geometry, geocode from code
  WarningPolicy policy;     // urgency, certainty; hazard is the default event

  std::string event;     // what the hazard is, e.g. "Influenza-like illness"; default policy.hazard
  std::string headline;  // one line for the reader
  std::string description;  // why it fired: indicator, baseline, threshold, rule, policy
  std::string instruction;  // what the reader should do; may be empty
  std::string response_type = "Monitor";  // CAP <responseType>; a Cancel always says AllClear
  std::string web;                        // a page about the warning; may be empty
  std::string contact;                    // may be empty

  Timestamp sent;
  Timestamp expires;       // must be later than sent
  int offset_minutes = 0;  // the UTC offset times are written with (0: "-00:00")

  std::vector<CapReference> previous;  // the earlier messages of this warning, oldest first
};

// "vigil-<sender>-<warning id>-<sequence>", with every character other than
// letters, digits, '.', '_' and '-' in the sender and id replaced by '-'.
std::string WarningCapIdentifier(std::string_view sender, std::string_view warning_id,
                                 int sequence);

// The CAP message for `input`: one <info> in the workspace language with the
// level's severity, the policy's urgency and certainty (urgency "Past" for a
// Cancel), parameters vigil:level, vigil:colour, vigil:level-name,
// vigil:warning-id, vigil:domain and vigil:hazard, and one <area> for the
// region (geocode vigil:region = its code; a polygon per GeoJSON polygon).
// InvalidArgument, naming the field, when: the level is not 1..4; the sender
// has whitespace, ',', '<' or '&'; an Update or Cancel has no previous
// messages or an Alert has some; expires is not after sent; the category,
// urgency or certainty is not a CAP value; the event is empty; or the
// region's geometry cannot become CAP polygons.
Result<CapAlert> BuildWarningCap(const WarningMessageInput& input);

// CAP <polygon>s ("lat,lon lat,lon ...", closed, >= 4 pairs) from a GeoJSON
// geometry: a Polygon gives one, a MultiPolygon one per polygon, a Feature its
// geometry's; holes (inner rings) are dropped, since a CAP area cannot express
// them. Empty text gives none. InvalidArgument for other geometry types,
// coordinates out of range or rings with fewer than 3 distinct points.
Result<std::vector<std::string>> CapPolygonsFromGeoJson(std::string_view geojson);

}  // namespace vigil::publish
