#include "simulate/output.h"

#include <fmt/format.h>

#include <array>
#include <system_error>

namespace vigil::sim {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kBufferBytes = 1 << 20;

Status FsError(const fs::path& path, const std::error_code& ec) {
  return IoError(fmt::format("{}: {}", path.string(), ec.message()));
}

// Files and folders a workspace written by the simulator (and then used) holds.
constexpr std::array<const char*, 6> kWorkspaceEntries = {
    "workspace.yaml", "labels.csv", "data", "vigil.db", "vigil.db-wal", "vigil.db-shm"};

}  // namespace

void CsvFile::Closer::operator()(std::FILE* f) const { std::fclose(f); }

Result<CsvFile> CsvFile::Create(const fs::path& path, std::string_view header) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return IoError(fmt::format("{}: cannot create file", path.string()));
  }
  std::setvbuf(f, nullptr, _IOFBF, kBufferBytes);
  CsvFile file(path, f);
  file.Row({header});
  return file;
}

void CsvFile::Row(std::initializer_list<std::string_view> fields) {
  line_.clear();
  bool first = true;
  for (std::string_view field : fields) {
    if (!first) {
      line_ += ',';
    }
    first = false;
    line_ += field;
  }
  line_ += '\n';
  std::fwrite(line_.data(), 1, line_.size(), file_.get());
}

Status CsvFile::Close() {
  std::FILE* f = file_.release();
  const bool failed = std::ferror(f) != 0;
  if (std::fclose(f) != 0 || failed) {
    return IoError(fmt::format("{}: write failed (disk full?)", path_.string()));
  }
  return Status::Ok();
}

Status PrepareOutputDir(const fs::path& dir, bool force) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    return ec ? FsError(dir, ec) : Status::Ok();
  }
  if (!fs::is_directory(dir, ec)) {
    return AlreadyExists(fmt::format("{}: exists and is not a directory", dir.string()));
  }
  if (fs::is_empty(dir, ec)) {
    return Status::Ok();
  }
  if (!force) {
    return AlreadyExists(fmt::format(
        "{}: directory is not empty (use --force to replace a workspace)", dir.string()));
  }
  if (!fs::exists(dir / "workspace.yaml", ec)) {
    return FailedPrecondition(fmt::format(
        "{}: not empty and holds no workspace.yaml; refusing to replace it", dir.string()));
  }
  for (const char* entry : kWorkspaceEntries) {
    fs::remove_all(dir / entry, ec);
    if (ec) {
      return FsError(dir / entry, ec);
    }
  }
  return Status::Ok();
}

}  // namespace vigil::sim
