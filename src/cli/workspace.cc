#include "cli/workspace.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>

#include "config/config.h"
#include "sqlite/sqlite_store.h"

namespace vigil::cli {

std::string Workspace::Resolve(std::string_view path) const {
  const std::filesystem::path p(path);
  return p.is_absolute() ? p.string() : (std::filesystem::path(dir) / p).string();
}

Result<std::unique_ptr<Clock>> ClockOf(const GlobalOptions& global) {
  if (global.now.empty()) {
    return std::unique_ptr<Clock>(std::make_unique<SystemClock>());
  }
  Result<Timestamp> now = ParseRfc3339(global.now);
  if (!now.ok()) {
    return InvalidArgument(fmt::format("--now: {}", now.status().message()));
  }
  return std::unique_ptr<Clock>(std::make_unique<FakeClock>(*now));
}

std::string CliActor() {
  const char* user = std::getenv("USER");
  return fmt::format("cli:{}", user != nullptr && *user != '\0' ? user : "unknown");
}

IngestLock::IngestLock(IngestLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

IngestLock& IngestLock::operator=(IngestLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

IngestLock::~IngestLock() {
  if (fd_ >= 0) {
    ::close(fd_);  // releases the flock
  }
}

Result<IngestLock> LockIngest(const Workspace& workspace, std::string_view holder) {
  const std::string path = workspace.Resolve(std::string(kStoreFileName) + "-ingest");
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Unavailable(fmt::format("{}: {}", path, std::strerror(errno)));
  }
  IngestLock lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      return Unavailable(fmt::format("{}: {}", path, std::strerror(errno)));
    }
    std::string owner(256, '\0');
    const ssize_t n = ::pread(fd, owner.data(), owner.size(), 0);
    owner.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!owner.empty() && (owner.back() == '\n' || owner.back() == '\0')) {
      owner.pop_back();
    }
    return Unavailable(fmt::format(
        "{}: another process is ingesting into this workspace ({}); one process at a time "
        "ingests, because detection keeps its state in memory between batches",
        path, owner.empty() ? "unknown" : owner));
  }
  const std::string owner = fmt::format("pid {}, {}\n", ::getpid(), holder);
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, owner.data(), owner.size(), 0) != static_cast<ssize_t>(owner.size())) {
    return Unavailable(fmt::format("{}: {}", path, std::strerror(errno)));
  }
  return lock;
}

Result<Workspace> OpenWorkspace(const std::string& dir) {
  VIGIL_ASSIGN_OR_RETURN(Catalogue catalogue, LoadWorkspaceCatalogue(dir));
  Workspace workspace{.dir = dir, .catalogue = std::move(catalogue)};
  VIGIL_ASSIGN_OR_RETURN(workspace.store,
                         OpenSqliteStore(workspace.Resolve(kStoreFileName), SqliteOptions{}));
  return workspace;
}

}  // namespace vigil::cli
