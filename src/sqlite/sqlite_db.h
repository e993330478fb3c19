// Thin RAII wrappers over the SQLite C API that turn its result codes into
// Status values naming the database file. Internal to the sqlite adapter.
//
// Neither class is thread-safe; a Statement must not outlive its Database.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/status.h"

namespace vigil::sqlite {

// Maps a SQLite result code to a Status: busy and locked are kUnavailable,
// corrupt or not-a-database kCorruption, the rest kIoError. `db` may be null.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// A prepared statement, kept and reused: bind, Step until done, Reset.
class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

  // Parameters are 1-based. Text is copied by SQLite only at Step, so it must
  // stay alive until the statement is reset.
  void BindInt64(int index, std::int64_t value);
  void BindDouble(int index, double value);
  void BindOptionalDouble(int index, std::optional<double> value);
  void BindOptionalInt64(int index, std::optional<std::int64_t> value);
  void BindText(int index, std::string_view text);
  void BindBlob(int index, std::span<const std::byte> bytes);

  // True when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps a statement that returns no rows, then resets it.
  Status Run();
  // Ends the current use, releasing the read snapshot it may hold.
  void Reset();

  std::int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  std::optional<double> ColumnOptionalDouble(int column) const;
  std::optional<std::int64_t> ColumnOptionalInt64(int column) const;
  std::string_view ColumnText(int column) const;
  std::span<const std::byte> ColumnBlob(int column) const;

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
};

// Resets a statement when the scope that uses it ends, on every path.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& statement) : statement_(statement) {}
  ~ResetOnExit() { statement_.Reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement& statement_;
};

// Runs `statement` (already bound) and returns the integer in its first row,
// or nullopt when it returns none.
Result<std::optional<std::int64_t>> QueryOptionalInt64(Statement& statement);

// Steps `statement` (already bound) to the end, turning each row into a T;
// `row_of` returns a T, or a Result<T> when a row can be malformed.
template <typename T, typename RowFn>
Result<std::vector<T>> QueryRows(Statement& statement, RowFn row_of) {
  ResetOnExit reset(statement);
  std::vector<T> rows;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(const bool row, statement.Step());
    if (!row) {
      return rows;
    }
    if constexpr (std::is_same_v<std::invoke_result_t<RowFn, const Statement&>, Result<T>>) {
      VIGIL_ASSIGN_OR_RETURN(T value, row_of(statement));
      rows.push_back(std::move(value));
    } else {
      rows.push_back(row_of(statement));
    }
  }
}

// One connection to one database file.
class Database {
 public:
  // Opens (creating if allowed by `flags`) the file with SQLITE_OPEN_* flags.
  static Result<Database> Open(const std::filesystem::path& file, int flags);

  sqlite3* handle() const { return db_.get(); }
  // Runs one or more statements that return no rows.
  Status Exec(const std::string& sql);
  Result<Statement> Prepare(std::string_view sql);
  // The single integer a query such as "PRAGMA user_version" returns.
  Result<std::int64_t> QueryInt64(std::string_view sql);
  std::int64_t TotalChanges() const { return sqlite3_total_changes64(db_.get()); }
  std::int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_.get()); }

 private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Close> db_;
};

}  // namespace vigil::sqlite
