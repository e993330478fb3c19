#include "ingest/csv.h"

#include <fmt/format.h>

#include <cstring>

namespace vigil {
namespace {

constexpr std::string_view kStrayQuote =
    "a quote inside an unquoted field (quote the whole field and double the quote)";

const char* Find(std::string_view s, std::size_t from, char c) {
  return from >= s.size()
             ? nullptr
             : static_cast<const char*>(std::memchr(s.data() + from, c, s.size() - from));
}

void SplitSimple(std::string_view line, std::vector<std::string_view>& fields) {
  std::size_t begin = 0;
  while (const char* comma = Find(line, begin, ',')) {
    const auto end = static_cast<std::size_t>(comma - line.data());
    fields.emplace_back(line.data() + begin, end - begin);
    begin = end + 1;
  }
  fields.emplace_back(line.data() + begin, line.size() - begin);
}

void SetError(CsvRecord& record, std::string_view message) {
  if (record.error.empty()) {
    record.error = message;
  }
}

// Splits one record that holds quotes. Run() returns false when the window
// ends before the record does and more input may follow.
class QuotedScanner {
 public:
  QuotedScanner(std::string_view data, bool eof, char* out, CsvRecord& record)
      : data_(data), eof_(eof), out_(out), record_(record) {}

  bool Run() {
    for (;;) {
      const Step step = i_ < data_.size() && data_[i_] == '"' ? QuotedField() : UnquotedField();
      if (step != Step::kNextField) {
        return step == Step::kRecordEnd;
      }
    }
  }
  std::size_t consumed() const { return consumed_; }
  std::size_t text_end() const { return text_end_; }
  std::int64_t breaks() const { return breaks_; }

 private:
  enum class Step { kNextField, kRecordEnd, kNeedMore };

  // Index of the next comma or line feed at or after `from`, or the size.
  std::size_t FieldEnd(std::size_t from) const {
    while (from < data_.size() && data_[from] != ',' && data_[from] != '\n') {
      ++from;
    }
    return from;
  }

  Step UnquotedField() {
    const std::size_t end = FieldEnd(i_);
    if (end == data_.size() && !eof_) {
      return Step::kNeedMore;
    }
    std::string_view field = data_.substr(i_, end - i_);
    if (field.find('"') != std::string_view::npos) {
      SetError(record_, kStrayQuote);
    }
    if (!field.empty() && field.back() == '\r' && (end == data_.size() || data_[end] == '\n')) {
      field.remove_suffix(1);
    }
    record_.fields.push_back(field);
    return Terminate(end);
  }

  Step QuotedField() {
    char* const start = out_;
    std::size_t i = i_ + 1;
    for (;; ++i) {
      if (i == data_.size()) {
        if (!eof_) {
          return Step::kNeedMore;
        }
        SetError(record_, "a quoted field is not closed before the end of the input");
        break;
      }
      if (data_[i] == '"') {
        if (i + 1 == data_.size() && !eof_) {
          return Step::kNeedMore;
        }
        if (i + 1 == data_.size() || data_[i + 1] != '"') {
          ++i;
          break;
        }
        ++i;
      } else if (data_[i] == '\n') {
        ++breaks_;
      }
      *out_++ = data_[i];
    }
    const std::size_t after = i;
    const std::size_t end = FieldEnd(after);
    if (end == data_.size() && !eof_) {
      return Step::kNeedMore;
    }
    const std::string_view rest = data_.substr(after, end - after);
    if (!rest.empty() && !(rest == "\r" && (end == data_.size() || data_[end] == '\n'))) {
      SetError(record_, "text after the closing quote of a field");
    }
    record_.fields.emplace_back(start, out_ - start);
    return Terminate(end);
  }

  // `end` is at a comma, a line feed or the end of the input.
  Step Terminate(std::size_t end) {
    if (end < data_.size() && data_[end] == ',') {
      i_ = end + 1;
      return Step::kNextField;
    }
    consumed_ = end < data_.size() ? end + 1 : end;
    text_end_ = end > 0 && data_[end - 1] == '\r' ? end - 1 : end;
    return Step::kRecordEnd;
  }

  std::string_view data_;
  bool eof_;
  char* out_;
  CsvRecord& record_;
  std::size_t i_ = 0;
  std::size_t consumed_ = 0;
  std::size_t text_end_ = 0;
  std::int64_t breaks_ = 0;
};

}  // namespace

Result<bool> CsvReader::Next(CsvRecord& record) {
  if (!started_) {
    VIGIL_RETURN_IF_ERROR(SkipByteOrderMark(input_));
    started_ = true;
  }
  for (;;) {
    const std::string_view data = input_.Available();
    if (data.empty() && input_.at_eof()) {
      return false;
    }
    Scan scan = Scan::kNeedMore;
    const char* newline = Find(data, 0, '\n');
    if (newline != nullptr || (input_.at_eof() && !data.empty())) {
      const std::size_t length = newline != nullptr ? newline - data.data() : data.size();
      const std::string_view line = data.substr(0, length);
      // Most lines hold no quote: split them in place with memchr.
      scan = Find(line, 0, '"') == nullptr
                 ? ScanSimple(line, length + (newline != nullptr ? 1 : 0), record)
                 : ScanQuoted(data, record);
    }
    if (scan == Scan::kRecord) {
      return true;
    }
    if (scan == Scan::kNeedMore) {
      Result<bool> more = input_.Fill();
      if (!more.ok()) {
        return more.status().WithContext(fmt::format("line {}", line_));
      }
    }
  }
}

CsvReader::Scan CsvReader::ScanSimple(std::string_view line, std::size_t consumed,
                                      CsvRecord& record) {
  input_.Consume(consumed);
  record.line = line_++;
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (line.empty()) {
    return Scan::kSkip;
  }
  record.text = line;
  record.error.clear();
  record.fields.clear();
  SplitSimple(line, record.fields);
  return Scan::kRecord;
}

// Walks one record field by field; a line break inside quotes belongs to the
// field. Quoted contents are copied, quotes undoubled, into unquoted_, which is
// sized to the whole window first so that it never moves under earlier views.
CsvReader::Scan CsvReader::ScanQuoted(std::string_view data, CsvRecord& record) {
  if (unquoted_.size() < data.size()) {
    unquoted_.resize(data.size());
  }
  record.fields.clear();
  record.error.clear();
  QuotedScanner scanner(data, input_.at_eof(), unquoted_.data(), record);
  if (!scanner.Run()) {
    return Scan::kNeedMore;
  }
  input_.Consume(scanner.consumed());
  record.text = data.substr(0, scanner.text_end());
  record.line = line_;
  line_ += 1 + scanner.breaks();
  return Scan::kRecord;
}

void AppendCsvField(std::string_view field, std::string& out) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') {
      out.push_back('"');
    }
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace vigil
