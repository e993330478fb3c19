#include "sqlite/sqlite_testing.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <memory>
#include <string>

namespace vigil::sqlite {

Status OverwriteInPlace(const std::filesystem::path& file, std::string_view table,
                        std::string_view column, std::int64_t rowid, int offset,
                        std::string_view bytes) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open(file.c_str(), &raw);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, sqlite3_close);
  sqlite3_blob* blob = nullptr;
  if (rc == SQLITE_OK) {
    rc = sqlite3_blob_open(db.get(), "main", std::string(table).c_str(),
                           std::string(column).c_str(), rowid, 1, &blob);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_blob_write(blob, bytes.data(), static_cast<int>(bytes.size()), offset);
    sqlite3_blob_close(blob);
  }
  if (rc != SQLITE_OK) {
    return IoError(fmt::format("cannot overwrite {}.{} of row {} in {}: {}", table, column, rowid,
                               file.string(), sqlite3_errstr(rc)));
  }
  return Status::Ok();
}

}  // namespace vigil::sqlite
