// Record readers: CSV and JSON Lines files turned into raw observation records
// (text not yet checked against the catalogue; see validate.h).
//
// Both formats carry the same fields: indicator, region, time, value, and
// optionally denominator and source. A CSV file must start with a header row
// naming exactly those columns, in any order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "ingest/input.h"

namespace vigil {

enum class InputFormat { kCsv, kJsonl };

// "csv", or "jsonl" / "ndjson".
Result<InputFormat> ParseInputFormat(std::string_view name);
// By file name: .csv, .jsonl or .ndjson; nullopt for anything else.
std::optional<InputFormat> FormatFromPath(std::string_view path);
// By content: JSON Lines when the first non-blank byte (after a byte order
// mark) is '{', else CSV. Reads into `input` without consuming anything.
Result<InputFormat> SniffFormat(InputBuffer& input);

// A value as written: absent (empty CSV field, JSON null or no key), text to
// be parsed as a number, or a JSON number.
struct RawValue {
  enum class Kind { kAbsent, kText, kNumber };
  Kind kind = Kind::kAbsent;
  std::string_view text;
  double number = 0;
};

// One record. Views stay valid until the reader's next call to Next().
struct RawRecord {
  std::int64_t line = 0;  // physical line where the record starts
  std::string_view indicator;
  std::string_view region;
  std::string_view time;
  RawValue value;
  RawValue denominator;
  std::string_view source;  // empty when not given
  // Set when the record cannot be read as fields: "FIELD: what is wrong", where
  // FIELD is "record" when it concerns the whole record. No file or line.
  std::string error;
};

// Not thread-safe.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Reads the next record; false at end of input. A malformed record is
  // returned with `error` set and the reader moves on to the next one. A
  // non-OK status (I/O, a record beyond the size limit) ends the input.
  virtual Result<bool> Next(RawRecord& record) = 0;
  // The first line of a reject file (with its line end), or empty.
  virtual std::string RejectHeader() const = 0;
  // Appends the record last returned, as written, plus `reason` and a line end.
  virtual void AppendReject(std::string_view reason, std::string& out) const = 0;
};

// Reads and checks the header row. `file` names the input in errors, as in
// "cases.csv:1: header: unknown column 'count' (expected ...)".
Result<std::unique_ptr<RecordReader>> OpenCsvRecordReader(InputBuffer& input,
                                                          const std::string& file);
Result<std::unique_ptr<RecordReader>> OpenJsonlRecordReader(InputBuffer& input);
Result<std::unique_ptr<RecordReader>> OpenRecordReader(InputFormat format, InputBuffer& input,
                                                       const std::string& file);

}  // namespace vigil
