#include "sqlite/sqlite_db.h"

#include <fmt/format.h>

namespace vigil::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  const char* file = db == nullptr ? nullptr : sqlite3_db_filename(db, "main");
  const char* detail = db == nullptr ? sqlite3_errstr(rc) : sqlite3_errmsg(db);
  std::string message = fmt::format("{}: {}: {}", file == nullptr ? "sqlite" : file, what, detail);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(message + " (another process holds the database; retry later)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Corruption(std::move(message));
    default:
      return IoError(std::move(message));
  }
}

void Statement::BindInt64(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
}

void Statement::BindDouble(int index, double value) {
  sqlite3_bind_double(stmt_.get(), index, value);
}

void Statement::BindOptionalDouble(int index, std::optional<double> value) {
  if (value) {
    sqlite3_bind_double(stmt_.get(), index, *value);
  } else {
    sqlite3_bind_null(stmt_.get(), index);
  }
}

void Statement::BindOptionalInt64(int index, std::optional<std::int64_t> value) {
  if (value) {
    sqlite3_bind_int64(stmt_.get(), index, *value);
  } else {
    sqlite3_bind_null(stmt_.get(), index);
  }
}

void Statement::BindBlob(int index, std::span<const std::byte> bytes) {
  // A null pointer would bind NULL, not an empty blob.
  if (bytes.empty()) {
    sqlite3_bind_zeroblob(stmt_.get(), index, 0);
  } else {
    sqlite3_bind_blob64(stmt_.get(), index, bytes.data(), bytes.size(), SQLITE_STATIC);
  }
}

void Statement::BindText(int index, std::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  sqlite3* db = sqlite3_db_handle(stmt_.get());
  Status error = SqliteError(db, rc, sqlite3_sql(stmt_.get()));
  sqlite3_reset(stmt_.get());
  return error;
}

Status Statement::Run() {
  ResetOnExit reset(*this);
  VIGIL_ASSIGN_OR_RETURN(const bool row, Step());
  if (row) {
    return Internal(fmt::format("statement returned a row: {}", sqlite3_sql(stmt_.get())));
  }
  return Status::Ok();
}

void Statement::Reset() { sqlite3_reset(stmt_.get()); }

std::int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

double Statement::ColumnDouble(int column) const {
  return sqlite3_column_double(stmt_.get(), column);
}

std::optional<double> Statement::ColumnOptionalDouble(int column) const {
  if (sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL) {
    return std::nullopt;
  }
  return sqlite3_column_double(stmt_.get(), column);
}

std::optional<std::int64_t> Statement::ColumnOptionalInt64(int column) const {
  if (sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL) {
    return std::nullopt;
  }
  return sqlite3_column_int64(stmt_.get(), column);
}

std::span<const std::byte> Statement::ColumnBlob(int column) const {
  const auto* bytes = static_cast<const std::byte*>(sqlite3_column_blob(stmt_.get(), column));
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  return bytes == nullptr ? std::span<const std::byte>()
                          : std::span<const std::byte>(bytes, static_cast<size_t>(size));
}

std::string_view Statement::ColumnText(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), column));
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  return text == nullptr ? std::string_view() : std::string_view(text, static_cast<size_t>(size));
}

Result<std::optional<std::int64_t>> QueryOptionalInt64(Statement& statement) {
  ResetOnExit reset(statement);
  VIGIL_ASSIGN_OR_RETURN(const bool row, statement.Step());
  return row ? std::optional<std::int64_t>(statement.ColumnInt64(0)) : std::nullopt;
}

Result<Database> Database::Open(const std::filesystem::path& file, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Database database;
  database.db_.reset(raw);
  if (rc != SQLITE_OK) {
    return IoError(fmt::format("{}: cannot open the database: {}", file.string(),
                               raw == nullptr ? sqlite3_errstr(rc) : sqlite3_errmsg(raw)));
  }
  sqlite3_extended_result_codes(raw, 1);
  return database;
}

Status Database::Exec(const std::string& sql) {
  const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : SqliteError(db_.get(), rc, sql);
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteError(db_.get(), rc, fmt::format("preparing {}", sql));
  }
  return Statement(stmt);
}

Result<std::int64_t> Database::QueryInt64(std::string_view sql) {
  VIGIL_ASSIGN_OR_RETURN(Statement statement, Prepare(sql));
  ResetOnExit reset(statement);
  VIGIL_ASSIGN_OR_RETURN(const bool row, statement.Step());
  if (!row) {
    return Internal(fmt::format("query returned no row: {}", sql));
  }
  return statement.ColumnInt64(0);
}

}  // namespace vigil::sqlite
