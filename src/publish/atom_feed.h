// The Atom 1.0 (RFC 4287) index feed of current CAP messages, as alerting
// authorities publish it: one entry per message, linking to the full message
// with rel="alternate" type="application/cap+xml", and a few CAP fields
// repeated in the CAP namespace so readers can filter without fetching.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "publish/cap.h"

namespace vigil::publish {

struct FeedEntry {
  std::string id;       // a permanent IRI for the message; usually its URL
  std::string title;    // the headline
  CapTime updated;      // when the message was sent
  std::string author;   // who issued it
  std::string summary;  // may be empty
  std::string cap_url;  // where the CAP message is served
  // CAP fields repeated as cap:* extension elements; empty ones are omitted.
  std::string event;
  std::string msg_type;
  std::string severity;
  std::string urgency;
  std::string certainty;
  std::optional<CapTime> expires;
  std::string area_desc;
};

struct FeedInput {
  std::string id;  // a permanent IRI for the feed; usually its URL
  std::string title;
  std::string self_url;  // where the feed is served (link rel="self"); may be empty
  std::string author;
  CapTime updated;                 // when the feed last changed
  std::vector<FeedEntry> entries;  // the current messages, newest first
};

// An entry for `alert` served at `cap_url`: id = the URL, title = the first
// info's headline (its event when there is none), author = its senderName (the
// sender when there is none), summary = its description, and its CAP fields.
FeedEntry FeedEntryForCap(const CapAlert& alert, const std::string& cap_url);

// The feed as a UTF-8 Atom 1.0 document, text escaped.
std::string WriteAtomFeed(const FeedInput& feed);

}  // namespace vigil::publish
