// From the warning event log to published CAP messages: the chain of messages
// of every warning (BuildWarningMessages), the Atom index feed of the current
// ones (CurrentFeed) and a directory that holds both (PublishWarnings).
// docs/CAP.md describes the chain, the files and the feed.
//
// Thread safety: BuildWarningMessages and CurrentFeed are pure.
// PublishWarnings writes files; two calls must not share a directory at once.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "model/catalogue.h"
#include "publish/atom_feed.h"
#include "publish/cap.h"
#include "warn/warning.h"

namespace vigil::publish {

// One message of a warning's chain.
struct WarningMessage {
  std::string warning_id;
  CapAlert alert;
};

// The CAP messages of every warning in `events` (the log, in sequence order),
// in log order. Per warning: `issued` gives the Alert (sequence 1), `updated`
// an Update, `cancelled` and `expired` a Cancel (responseType AllClear,
// urgency Past); each later message lists every earlier one of its warning in
// `references`, oldest first. Other events make no message. Each message is
// BuildWarningCap's for the warning's level, domain, region and policy, sent
// at the event's time and expiring the policy's expire_after later; its
// headline and description say what changed, who changed it and why, the
// evidence (indicator, detector, observed, expected, threshold, score, or the
// child regions of a grouped warning) and the policy's rules.
// Errors: FailedPrecondition naming the event when a warning is updated or
// ended in `events` without being issued earlier in them (the chain needs the
// log from each warning's issue); NotFound when the warning's domain, region
// or policy is not in `catalogue`; BuildWarningCap's errors, naming the event.
Result<std::vector<WarningMessage>> BuildWarningMessages(std::span<const warn::Event> events,
                                                         const Catalogue& catalogue,
                                                         CapStatus status = CapStatus::kActual);

struct PublishOptions {
  std::filesystem::path dir;  // where the messages and index.atom go; created if missing
  CapStatus status = CapStatus::kActual;  // kExercise or kTest for drills
  // Where `dir` is served, e.g. "https://example.org/cap": the feed links each
  // message at <base_url>/<identifier>.xml. Empty: relative links
  // "<identifier>.xml", and entry ids "urn:vigil:cap:<identifier>".
  std::string base_url;
};

// The index feed at `now`: for each warning its latest message, if that
// expires after `now`, newest first (by sent). The feed's `updated` is the
// last time its list changed (a message sent or a listed one expired); `now`
// when there are no messages. The title names the status when it is not Actual.
FeedInput CurrentFeed(std::span<const WarningMessage> messages, const WorkspaceInfo& workspace,
                      const PublishOptions& options, Timestamp now);

struct PublishReport {
  int written = 0;    // message files created or replaced
  int unchanged = 0;  // message files already there with the same content
  int feed_entries = 0;
  bool feed_written = false;  // index.atom was created or replaced
};

// Builds the messages of `events` and writes each as <dir>/<identifier>.xml
// and the feed as <dir>/index.atom. Each file is written to a temporary file
// in `dir` and renamed over the old one, so a reader never sees half a file;
// a file that already holds the same bytes is not touched, so publishing the
// same log again writes nothing. Files of messages no longer produced are
// left alone. Errors: InvalidArgument when `dir` is empty; IoError naming the
// file; BuildWarningMessages' errors (nothing is written then).
Result<PublishReport> PublishWarnings(std::span<const warn::Event> events,
                                      const Catalogue& catalogue, const PublishOptions& options,
                                      Timestamp now);

}  // namespace vigil::publish
