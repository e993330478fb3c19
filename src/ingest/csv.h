// A streaming RFC 4180 CSV reader: quoted fields, doubled quotes, commas and
// line breaks inside quotes, LF or CRLF line ends, a UTF-8 byte order mark at
// the start. Empty lines are skipped. Records come back as string_views into
// the reader's buffers, so reading allocates nothing per field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/input.h"

namespace vigil {

struct CsvRecord {
  std::int64_t line = 0;                 // the physical line the record starts on, 1-based
  std::vector<std::string_view> fields;  // unquoted field contents
  std::string_view text;                 // the record as written, without its line end
  // Non-empty when the record is malformed (a stray or unterminated quote);
  // `fields` is then incomplete. The reader resumes at the next record.
  std::string error;
};

// Not thread-safe. The views in a record stay valid until the next call to Next().
class CsvReader {
 public:
  explicit CsvReader(InputBuffer& input) : input_(input) {}

  // Reads the next non-empty record into `record`; false at end of input.
  // IoError when reading fails; InvalidArgument (naming the line) when one
  // record exceeds the input buffer's maximum size.
  Result<bool> Next(CsvRecord& record);

 private:
  enum class Scan { kRecord, kSkip, kNeedMore };
  Scan ScanSimple(std::string_view line, std::size_t consumed, CsvRecord& record);
  Scan ScanQuoted(std::string_view data, CsvRecord& record);

  InputBuffer& input_;
  std::string unquoted_;  // contents of quoted fields; never reallocated while views exist
  std::int64_t line_ = 1;
  bool started_ = false;
};

// Appends `field` to `out`, quoted when it holds a comma, quote or line break.
void AppendCsvField(std::string_view field, std::string& out);

}  // namespace vigil
