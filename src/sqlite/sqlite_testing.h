// Test support: changing a stored value behind the store's back, as someone
// who holds the file could.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "core/status.h"

namespace vigil::sqlite {

// Overwrites the value in `column` of row `rowid` of `table` with `bytes`
// from `offset` on, through SQLite's incremental blob I/O, which no trigger
// sees. IoError naming what SQLite refused.
Status OverwriteInPlace(const std::filesystem::path& file, std::string_view table,
                        std::string_view column, std::int64_t rowid, int offset,
                        std::string_view bytes);

}  // namespace vigil::sqlite
