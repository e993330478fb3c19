#include "ingest/sources.h"

#include <filesystem>

namespace vigil {

InputSpec CommandLineInput(const std::string& path, std::optional<InputFormat> forced) {
  const std::string name = path == "-" ? "stdin" : path;
  return {path, name, name, forced ? forced : FormatFromPath(path)};
}

Result<std::vector<InputSpec>> CatalogueInputs(std::string_view dir, const Catalogue& catalogue,
                                               std::optional<InputFormat> forced) {
  std::vector<InputSpec> inputs;
  for (const DataSource& source : catalogue.sources()) {
    if (source.kind != "file") {
      continue;
    }
    std::optional<InputFormat> format = forced ? forced : FormatFromPath(source.path);
    if (!source.format.empty() && !forced) {
      VIGIL_ASSIGN_OR_RETURN(format, ParseInputFormat(source.format));
    }
    inputs.push_back(
        {(std::filesystem::path(dir) / source.path).string(), source.path, source.id, format});
  }
  return inputs;
}

}  // namespace vigil
