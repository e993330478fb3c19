// Output shared by `vigil signals` and `vigil status`: aligned text tables and
// stored signals as a table, CSV or JSON.
#pragma once

#include <string>
#include <vector>

#include "model/catalogue.h"
#include "store/store.h"

namespace vigil::cli {

// The first row is the header. Columns are left-aligned, except those whose
// header is in `right` (numbers). Returns the text, one line per row.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows,
                        const std::vector<std::string>& right = {});

// A time in its indicator's frequency form (2024-W09, 2024-03-01...), RFC 3339
// when the indicator is not in the catalogue.
std::string EventTime(Timestamp time, const std::string& indicator, const Catalogue& catalogue);

enum class SignalFormat { kTable, kCsv, kJson };

// Every signal with its evidence. The table is for reading (numbers rounded,
// parameters left out); CSV and JSON keep full precision and every field.
std::string FormatSignals(const std::vector<StoredSignal>& signals, const Catalogue& catalogue,
                          SignalFormat format);

}  // namespace vigil::cli
