#include "ingest/record_reader.h"

#include <fmt/format.h>

namespace vigil {

Result<InputFormat> ParseInputFormat(std::string_view name) {
  if (name == "csv") {
    return InputFormat::kCsv;
  }
  if (name == "jsonl" || name == "ndjson") {
    return InputFormat::kJsonl;
  }
  return InvalidArgument(fmt::format("unknown format '{}' (expected csv or jsonl)", name));
}

std::optional<InputFormat> FormatFromPath(std::string_view path) {
  if (path.ends_with(".csv")) {
    return InputFormat::kCsv;
  }
  if (path.ends_with(".jsonl") || path.ends_with(".ndjson")) {
    return InputFormat::kJsonl;
  }
  return std::nullopt;
}

Result<InputFormat> SniffFormat(InputBuffer& input) {
  for (;;) {
    constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
    std::string_view data = input.Available();
    if (data.starts_with(kByteOrderMark)) {
      data.remove_prefix(kByteOrderMark.size());
    }
    const std::size_t first = data.find_first_not_of(" \t\r\n");
    // A window holding only part of a byte order mark must grow first.
    if (first != std::string_view::npos && !kByteOrderMark.starts_with(data)) {
      return data[first] == '{' ? InputFormat::kJsonl : InputFormat::kCsv;
    }
    VIGIL_ASSIGN_OR_RETURN(const bool more, input.Fill());
    if (!more) {
      return InputFormat::kCsv;
    }
  }
}

Result<std::unique_ptr<RecordReader>> OpenRecordReader(InputFormat format, InputBuffer& input,
                                                       const std::string& file) {
  return format == InputFormat::kCsv ? OpenCsvRecordReader(input, file)
                                     : OpenJsonlRecordReader(input);
}

}  // namespace vigil
