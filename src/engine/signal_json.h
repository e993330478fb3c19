// Stored signals as JSON text, the form `vigil signals --format json` prints
// and the HTTP API serves: every field at full precision, times in their
// indicator's frequency form.
#pragma once

#include <string>
#include <vector>

#include "core/time.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace vigil {

// A time in its indicator's frequency form (2024-W09, 2024-03-01...), RFC 3339
// when the indicator is not in the catalogue.
std::string EventTime(Timestamp time, const std::string& indicator, const Catalogue& catalogue);

// An array of signals, in the order given: time, indicator, region, detector,
// method, params, observed, expected, upperbound, score, alarm, level,
// baseline_from, baseline_to, note, batch, revisions (absent numbers null).
std::string SignalListJson(const std::vector<StoredSignal>& signals, const Catalogue& catalogue);

}  // namespace vigil
