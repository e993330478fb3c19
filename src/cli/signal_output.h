// Output shared by `vigil signals` and `vigil status`: aligned text tables and
// stored signals as a table, CSV or JSON.
#pragma once

#include <string>
#include <vector>

#include "engine/signal_json.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace vigil::cli {

// The first row is the header. Columns are left-aligned, except those whose
// header is in `right` (numbers). Returns the text, one line per row.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows,
                        const std::vector<std::string>& right = {});

enum class SignalFormat { kTable, kCsv, kJson };

// Every signal with its evidence. The table is for reading (numbers rounded,
// parameters left out); CSV and JSON keep full precision and every field.
std::string FormatSignals(const std::vector<StoredSignal>& signals, const Catalogue& catalogue,
                          SignalFormat format);

}  // namespace vigil::cli
