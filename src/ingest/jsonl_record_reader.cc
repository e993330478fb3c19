// The JSON Lines record reader: one JSON object per line, blank lines skipped.
// nlohmann::json stays inside this file; its exceptions are caught here.
#include <fmt/format.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "ingest/record_reader.h"

namespace vigil {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kRejectReason = "reject_reason";

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// "[json.exception.parse_error.101] parse error at ..." -> "parse error at ...".
std::string JsonMessage(const char* what) {
  std::string_view text = what;
  const std::size_t bracket = text.find("] ");
  if (text.starts_with('[') && bracket != std::string_view::npos) {
    text.remove_prefix(bracket + 2);
  }
  return std::string(text);
}

class JsonlRecordReader final : public RecordReader {
 public:
  explicit JsonlRecordReader(InputBuffer& input) : input_(input) {}

  Result<bool> Next(RawRecord& record) override;
  std::string RejectHeader() const override { return {}; }
  void AppendReject(std::string_view reason, std::string& out) const override;

 private:
  // The next line, without its line end; nullopt at end of input.
  Result<std::optional<std::string_view>> NextLine();
  std::string MapFields(RawRecord& record) const;

  InputBuffer& input_;
  std::int64_t line_ = 0;
  bool started_ = false;
  std::string_view text_;  // the current line as written
  Json object_;            // the current line parsed; discarded when it is not JSON
};

Result<std::optional<std::string_view>> JsonlRecordReader::NextLine() {
  if (!started_) {
    VIGIL_RETURN_IF_ERROR(SkipByteOrderMark(input_));
    started_ = true;
  }
  for (;;) {
    const std::string_view data = input_.Available();
    const void* newline = std::memchr(data.data(), '\n', data.size());
    if (newline != nullptr || (input_.at_eof() && !data.empty())) {
      const std::size_t length =
          newline != nullptr ? static_cast<const char*>(newline) - data.data() : data.size();
      input_.Consume(newline != nullptr ? length + 1 : length);
      ++line_;
      std::string_view line = data.substr(0, length);
      if (line.ends_with('\r')) {
        line.remove_suffix(1);
      }
      return std::optional<std::string_view>(line);
    }
    if (input_.at_eof()) {
      return std::optional<std::string_view>();
    }
    Result<bool> more = input_.Fill();
    if (!more.ok()) {
      return more.status().WithContext(fmt::format("line {}", line_ + 1));
    }
  }
}

Result<bool> JsonlRecordReader::Next(RawRecord& record) {
  std::optional<std::string_view> line;
  do {
    VIGIL_ASSIGN_OR_RETURN(line, NextLine());
    if (!line) {
      return false;
    }
  } while (IsBlank(*line));
  text_ = *line;
  record = RawRecord{.line = line_};
  try {
    object_ = Json::parse(text_);
  } catch (const Json::exception& e) {
    object_ = Json(Json::value_t::discarded);
    record.error = "record: not valid JSON: " + JsonMessage(e.what());
    return true;
  }
  record.error = MapFields(record);
  return true;
}

// Reads one field into `out`; returns an error message, or empty.
std::string ReadText(const Json& value, std::string_view key, std::string_view& out) {
  if (value.is_string()) {
    out = value.get_ref<const std::string&>();
    return {};
  }
  return value.is_null() ? std::string() : fmt::format("{}: expected a string", key);
}

std::string ReadValue(const Json& value, std::string_view key, RawValue& out) {
  if (value.is_number()) {
    out = {.kind = RawValue::Kind::kNumber, .number = value.get<double>()};
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    out = text.empty() ? RawValue{} : RawValue{.kind = RawValue::Kind::kText, .text = text};
  } else if (!value.is_null()) {
    return fmt::format("{}: expected a number", key);
  }
  return {};
}

std::string JsonlRecordReader::MapFields(RawRecord& record) const {
  if (!object_.is_object()) {
    return "record: not a JSON object";
  }
  for (const auto& [key, value] : object_.items()) {
    std::string error;
    if (key == "indicator") {
      error = ReadText(value, key, record.indicator);
    } else if (key == "region") {
      error = ReadText(value, key, record.region);
    } else if (key == "time") {
      error = ReadText(value, key, record.time);
    } else if (key == "value") {
      error = ReadValue(value, key, record.value);
    } else if (key == "denominator") {
      error = ReadValue(value, key, record.denominator);
    } else if (key == "source") {
      error = ReadText(value, key, record.source);
    } else {
      error = fmt::format(
          "record: unknown field '{}' (expected indicator, region, time, value and optionally "
          "denominator and source)",
          key);
    }
    if (!error.empty()) {
      return error;
    }
  }
  return {};
}

void JsonlRecordReader::AppendReject(std::string_view reason, std::string& out) const {
  Json reject;
  if (object_.is_object()) {
    reject = object_;
  } else {
    reject["line"] = text_;
  }
  reject[std::string(kRejectReason)] = reason;
  out += reject.dump(-1, ' ', false, Json::error_handler_t::replace);
  out.push_back('\n');
}

}  // namespace

Result<std::unique_ptr<RecordReader>> OpenJsonlRecordReader(InputBuffer& input) {
  return std::unique_ptr<RecordReader>(std::make_unique<JsonlRecordReader>(input));
}

}  // namespace vigil
