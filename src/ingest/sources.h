// The inputs of observations a command reads: files named on its command
// line, or the file sources a workspace's catalogue declares. `vigil ingest`
// and `vigil backtest` read the same files the same way.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/record_reader.h"
#include "model/catalogue.h"

namespace vigil {

struct InputSpec {
  std::string path;                   // "-" for standard input
  std::string name;                   // in messages and as the batch origin
  std::string default_source;         // for records that name none
  std::optional<InputFormat> format;  // unknown: sniffed from the first byte
};

// A file named on the command line ("-": standard input), named and sourced
// by its path as written; `forced`, when given, is its format, else its name
// decides.
InputSpec CommandLineInput(const std::string& path, std::optional<InputFormat> forced);

// The file sources of `catalogue`, resolved against the workspace directory
// `dir` (the catalogue's paths are relative): each named by its path as
// written, with its id as the default source, and read in `forced` when
// given, else its declared format, else the one its file name implies.
// InvalidArgument for a declared format that is not csv or jsonl.
Result<std::vector<InputSpec>> CatalogueInputs(std::string_view dir, const Catalogue& catalogue,
                                               std::optional<InputFormat> forced);

}  // namespace vigil
