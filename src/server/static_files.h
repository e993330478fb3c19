// Serving files from a directory the server was given (published CAP
// messages, the built dashboard): names checked before they reach the file
// system, bytes read whole.
//
// Thread safety: pure functions of the file system.
#pragma once

#include <filesystem>
#include <string_view>

#include "server/router.h"

namespace vigil::server {

// Whether `name`, taken from a request, may name a file directly inside a
// served directory: letters, digits, '.', '_' and '-', not starting with '.'
// (so neither "..", a hidden file nor a path), at most 255 characters.
bool SafeFileName(std::string_view name);

// The file's bytes as a 200 response of `type`; a JSON 404 naming `what`
// when it cannot be read.
Response ServeFile(const std::filesystem::path& file, std::string_view type, std::string_view what);

}  // namespace vigil::server
