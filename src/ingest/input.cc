#include "ingest/input.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace vigil {

FdSource::~FdSource() {
  if (owned_ && fd_ >= 0) {
    ::close(fd_);
  }
}

Result<std::unique_ptr<FdSource>> FdSource::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  // Tells the kernel the file is read once, front to back, so it reads ahead.
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::make_unique<FdSource>(fd, true, path);
}

Result<std::size_t> FdSource::Read(char* out, std::size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd_, out, size);
    if (n >= 0) {
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) {
      return IoError(fmt::format("{}: read failed: {}", name_, std::strerror(errno)));
    }
  }
}

Result<std::size_t> StringSource::Read(char* out, std::size_t size) {
  const std::size_t n = std::min(size, data_.size());
  std::memcpy(out, data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

InputBuffer::InputBuffer(ByteSource& source, std::size_t initial_capacity, std::size_t max_capacity)
    : source_(source),
      data_(new char[std::max<std::size_t>(initial_capacity, 1)]),
      capacity_(std::max<std::size_t>(initial_capacity, 1)),
      max_capacity_(std::max(max_capacity, capacity_)) {}

Result<bool> InputBuffer::Fill() {
  if (eof_) {
    return false;
  }
  if (begin_ > 0) {
    std::memmove(data_.get(), data_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {
    if (capacity_ >= max_capacity_) {
      return InvalidArgument(fmt::format(
          "a record is longer than {} bytes, the most one record may hold", max_capacity_));
    }
    const std::size_t grown = std::min(capacity_ * 2, max_capacity_);
    std::unique_ptr<char[]> bigger(new char[grown]);
    std::memcpy(bigger.get(), data_.get(), end_);
    data_ = std::move(bigger);
    capacity_ = grown;
  }
  VIGIL_ASSIGN_OR_RETURN(const std::size_t n, source_.Read(data_.get() + end_, capacity_ - end_));
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

Status SkipByteOrderMark(InputBuffer& input) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  while (input.Available().size() < kByteOrderMark.size() && !input.at_eof()) {
    VIGIL_ASSIGN_OR_RETURN(const bool more, input.Fill());
    if (!more) {
      break;
    }
  }
  if (input.Available().starts_with(kByteOrderMark)) {
    input.Consume(kByteOrderMark.size());
  }
  return Status::Ok();
}

FileSink::~FileSink() { std::fclose(file_); }

Result<std::unique_ptr<FileSink>> FileSink::Create(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wbe");
  if (file == nullptr) {
    return IoError(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  }
  return std::unique_ptr<FileSink>(new FileSink(file, path));
}

Status FileSink::Write(std::string_view data) {
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
    return IoError(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
  }
  return Status::Ok();
}

Status FileSink::Flush() {
  if (std::fflush(file_) != 0) {
    return IoError(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace vigil
