#include "server/static_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace vigil::server {

bool SafeFileName(std::string_view name) {
  return !name.empty() && name.size() <= 255 && name.front() != '.' &&
         std::ranges::all_of(name, [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
         });
}

Response ServeFile(const std::filesystem::path& file, std::string_view type,
                   std::string_view what) {
  // A directory opens as a stream but reads as nothing.
  std::error_code error;
  std::ifstream in;
  if (std::filesystem::is_regular_file(file, error)) {
    in.open(file, std::ios::binary);
  }
  if (!in.is_open()) {
    return ErrorResponse(404, "not_found", fmt::format("no {}", what));
  }
  std::stringstream bytes;
  bytes << in.rdbuf();
  return {.status = 200, .content_type = std::string(type), .body = bytes.str()};
}

}  // namespace vigil::server
