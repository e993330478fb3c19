// The CSV record reader: maps header columns to record fields.
#include <fmt/format.h>

#include <array>
#include <vector>

#include "ingest/csv.h"
#include "ingest/record_reader.h"

namespace vigil {
namespace {

enum class Column { kIndicator, kRegion, kTime, kValue, kDenominator, kSource };
constexpr std::array<std::string_view, 6> kColumnNames = {"indicator", "region",      "time",
                                                          "value",     "denominator", "source"};
constexpr int kRequiredColumns = 4;  // indicator, region, time, value
constexpr std::string_view kExpectedColumns =
    "expected indicator, region, time, value and optionally denominator and source";

RawValue TextValue(std::string_view text) {
  return text.empty() ? RawValue{} : RawValue{.kind = RawValue::Kind::kText, .text = text};
}

class CsvRecordReader final : public RecordReader {
 public:
  explicit CsvRecordReader(InputBuffer& input) : csv_(input) {}

  Status ReadHeader(const std::string& file);
  Result<bool> Next(RawRecord& record) override;
  std::string RejectHeader() const override { return header_ + ",reject_reason\n"; }
  void AppendReject(std::string_view reason, std::string& out) const override {
    out.append(row_.text);
    out.push_back(',');
    AppendCsvField(reason, out);
    out.push_back('\n');
  }

 private:
  void Assign(Column column, std::string_view text, RawRecord& record) const;

  CsvReader csv_;
  CsvRecord row_;
  std::vector<Column> columns_;  // the column of each position
  std::string header_;
};

Status CsvRecordReader::ReadHeader(const std::string& file) {
  VIGIL_ASSIGN_OR_RETURN(const bool found, csv_.Next(row_));
  if (!found) {
    return InvalidArgument(fmt::format(
        "{}: no header row; a CSV file starts with one, like indicator,region,time,value", file));
  }
  const auto fail = [&](const std::string& message) {
    return InvalidArgument(fmt::format("{}:{}: header: {}", file, row_.line, message));
  };
  if (!row_.error.empty()) {
    return fail(row_.error);
  }
  std::array<bool, kColumnNames.size()> seen{};
  for (std::string_view name : row_.fields) {
    std::size_t i = 0;
    while (i < kColumnNames.size() && kColumnNames[i] != name) {
      ++i;
    }
    if (i == kColumnNames.size()) {
      return fail(fmt::format("unknown column '{}' ({})", name, kExpectedColumns));
    }
    if (seen[i]) {
      return fail(fmt::format("column '{}' appears twice", name));
    }
    seen[i] = true;
    columns_.push_back(static_cast<Column>(i));
  }
  for (int i = 0; i < kRequiredColumns; ++i) {
    if (!seen[i]) {
      return fail(fmt::format("missing column '{}' ({})", kColumnNames[i], kExpectedColumns));
    }
  }
  header_ = row_.text;
  return Status::Ok();
}

Result<bool> CsvRecordReader::Next(RawRecord& record) {
  VIGIL_ASSIGN_OR_RETURN(const bool found, csv_.Next(row_));
  if (!found) {
    return false;
  }
  record = RawRecord{.line = row_.line};
  if (!row_.error.empty()) {
    record.error = "record: " + row_.error;
  } else if (row_.fields.size() != columns_.size()) {
    record.error = fmt::format("record: {} fields, but the header has {} columns",
                               row_.fields.size(), columns_.size());
  } else {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      Assign(columns_[i], row_.fields[i], record);
    }
  }
  return true;
}

void CsvRecordReader::Assign(Column column, std::string_view text, RawRecord& record) const {
  switch (column) {
    case Column::kIndicator:
      record.indicator = text;
      break;
    case Column::kRegion:
      record.region = text;
      break;
    case Column::kTime:
      record.time = text;
      break;
    case Column::kValue:
      record.value = TextValue(text);
      break;
    case Column::kDenominator:
      record.denominator = TextValue(text);
      break;
    case Column::kSource:
      record.source = text;
      break;
  }
}

}  // namespace

Result<std::unique_ptr<RecordReader>> OpenCsvRecordReader(InputBuffer& input,
                                                          const std::string& file) {
  auto reader = std::make_unique<CsvRecordReader>(input);
  VIGIL_RETURN_IF_ERROR(reader->ReadHeader(file));
  return std::unique_ptr<RecordReader>(std::move(reader));
}

}  // namespace vigil
