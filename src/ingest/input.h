// Byte input and output for ingest: a source of bytes (a file descriptor or a
// string), a growable window over it that a reader consumes record by record,
// and a sink for reject files.
//
// Memory is bounded by the longest record, not the input: the window starts at
// `initial_capacity` bytes and doubles only when one record does not fit, up to
// `max_capacity`.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes into `out`; 0 means end of input. IoError on failure.
  virtual Result<std::size_t> Read(char* out, std::size_t size) = 0;
};

// Reads a file descriptor; closes it on destruction when it owns it.
class FdSource final : public ByteSource {
 public:
  FdSource(int fd, bool owned, std::string name) : fd_(fd), owned_(owned), name_(std::move(name)) {}
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;
  ~FdSource() override;
  // Opens `path` for reading; IoError naming the path.
  static Result<std::unique_ptr<FdSource>> Open(const std::string& path);
  Result<std::size_t> Read(char* out, std::size_t size) override;

 private:
  int fd_;
  bool owned_;
  std::string name_;
};

// Reads an in-memory string (tests, fuzzing, benchmarks). Borrows `data`.
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string_view data) : data_(data) {}
  Result<std::size_t> Read(char* out, std::size_t size) override;

 private:
  std::string_view data_;
};

class InputBuffer {
 public:
  static constexpr std::size_t kDefaultCapacity = std::size_t{1} << 20;
  static constexpr std::size_t kDefaultMaxCapacity = std::size_t{64} << 20;

  explicit InputBuffer(ByteSource& source, std::size_t initial_capacity = kDefaultCapacity,
                       std::size_t max_capacity = kDefaultMaxCapacity);

  // The bytes read and not yet consumed. Valid until the next Fill().
  std::string_view Available() const { return {data_.get() + begin_, end_ - begin_}; }
  void Consume(std::size_t n) { begin_ += n; }
  // True once the source has reported its end; Available() is then all that is left.
  bool at_eof() const { return eof_; }

  // Reads more bytes after the available ones, moving or growing the window as
  // needed. Returns false at end of input. InvalidArgument when one record
  // would need more than max_capacity bytes; IoError when the source fails.
  Result<bool> Fill();

 private:
  ByteSource& source_;
  std::unique_ptr<char[]> data_;
  std::size_t capacity_;
  std::size_t max_capacity_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
};

// Skips a UTF-8 byte order mark at the start of the input, if there is one.
Status SkipByteOrderMark(InputBuffer& input);

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // IoError naming the destination on failure.
  virtual Status Write(std::string_view data) = 0;
  virtual Status Flush() = 0;
};

// Writes a file, created or truncated by Create(), buffered; closed on destruction.
class FileSink final : public ByteSink {
 public:
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  ~FileSink() override;
  static Result<std::unique_ptr<FileSink>> Create(const std::string& path);
  Status Write(std::string_view data) override;
  Status Flush() override;

 private:
  FileSink(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  std::FILE* file_;
  std::string path_;
};

// Drops everything written: rejects that are reported otherwise (the API
// answers them per line) and need no file.
class DiscardSink final : public ByteSink {
 public:
  Status Write(std::string_view /*data*/) override { return Status::Ok(); }
  Status Flush() override { return Status::Ok(); }
};

// Collects everything written (tests).
class StringSink final : public ByteSink {
 public:
  Status Write(std::string_view data) override {
    text_.append(data);
    return Status::Ok();
  }
  Status Flush() override { return Status::Ok(); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace vigil
