// The commented starter workspace that `vigil init` writes: a catalogue that
// explains every section, with a small realistic example, and a data file whose
// rows fit it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"

namespace vigil {

struct StarterFile {
  std::string path;  // relative to the workspace directory
  std::string content;
};

// workspace.yaml and data/example.csv.
const std::vector<StarterFile>& StarterWorkspace();

// Writes the starter files into `dir`, creating it as needed. AlreadyExists when
// `dir` already holds a workspace.yaml and `force` is false (nothing is written);
// IoError when a file cannot be written.
Status WriteStarterWorkspace(const std::filesystem::path& dir, bool force);

}  // namespace vigil
