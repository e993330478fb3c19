// Streaming writers for what the simulator produces: observation CSV files in
// the ingest format and the labels file of injected events. Rows go straight
// to a buffered file, so memory does not grow with the number of rows.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil::sim {

// A CSV file being written. Fields are written as given: callers pass text
// without commas, quotes or newlines (ids, codes, times and numbers).
class CsvFile {
 public:
  // Creates (truncates) `path` and writes `header` as its first line.
  static Result<CsvFile> Create(const std::filesystem::path& path, std::string_view header);

  // Appends one line of comma-separated fields.
  void Row(std::initializer_list<std::string_view> fields);
  // Flushes and closes; the error names the file. Must be called once.
  Status Close();

 private:
  struct Closer {
    void operator()(std::FILE* f) const;
  };
  CsvFile(std::filesystem::path path, std::FILE* file) : path_(std::move(path)), file_(file) {}

  std::filesystem::path path_;
  std::unique_ptr<std::FILE, Closer> file_;
  std::string line_;
};

// data/*.csv rows: indicator,region,time,value,denominator,source.
inline constexpr std::string_view kObservationHeader =
    "indicator,region,time,value,denominator,source";
// labels.csv rows: indicator,region,start,end,kind,detail.
inline constexpr std::string_view kLabelHeader = "indicator,region,start,end,kind,detail";

// Makes `dir` ready to receive a workspace. Without `force` it must not exist
// or be empty. With `force` it may also hold an earlier workspace (it has a
// workspace.yaml); the catalogue, labels, data/ and the store are removed.
// Anything else is refused, so a mistyped directory is never emptied.
Status PrepareOutputDir(const std::filesystem::path& dir, bool force);

}  // namespace vigil::sim
