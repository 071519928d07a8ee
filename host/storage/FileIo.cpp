#include "storage/FileIo.h"

#include "storage/Keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace warren::storage {

void checkCancelled(const CancelCheck& cancelled) {
  if (cancelled && cancelled()) throw StorageError(ErrorKind::cancelled, "cancelled");
}

void throwSystemError(ErrorKind kind, const std::string& what, int error) {
  throw StorageError(kind, what + ": " + std::strerror(error));
}

void writeAll(int fd, const char* data, std::size_t size, const std::string& what) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throwSystemError(ErrorKind::internal, "cannot write " + what, errno);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// ---- InputFile ----

InputFile::InputFile(const std::filesystem::path& path) : path_(path) {
  const std::string what = "cannot read local file " + inQuotes(path.string());
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throwSystemError(ErrorKind::invalid, what, errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int error = errno;
    ::close(fd_);
    throwSystemError(ErrorKind::invalid, what, error);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw StorageError(ErrorKind::invalid, what + ": not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

InputFile::InputFile(int fd, const std::filesystem::path& name) : path_(name), fd_(fd) {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int error = errno;
    ::close(fd_);
    throwSystemError(ErrorKind::unavailable, "cannot read " + inQuotes(name.string()), error);
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

void InputFile::readRange(std::uint64_t offset, std::uint64_t length, const CancelCheck& cancelled,
                          const ChunkSink& sink) const {
  std::vector<char> buffer(kChunkBytes);
  while (length > 0) {
    checkCancelled(cancelled);
    const std::size_t want =
        length < buffer.size() ? static_cast<std::size_t>(length) : buffer.size();
    const ssize_t n = ::pread(fd_, buffer.data(), want, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throwSystemError(ErrorKind::invalid, "cannot read local file " + inQuotes(path_.string()),
                       errno);
    }
    if (n == 0) {
      throw StorageError(ErrorKind::invalid, "local file " + inQuotes(path_.string()) +
                                                 " became shorter while being read");
    }
    sink(buffer.data(), static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
    length -= static_cast<std::uint64_t>(n);
  }
}

// ---- AtomicFile ----

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  const std::filesystem::path dir = target_.has_parent_path() ? target_.parent_path() : ".";
  std::string pattern = (dir / ("." + target_.filename().string() + ".warren-XXXXXX")).string();
  fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd_ < 0) {
    throwSystemError(ErrorKind::invalid, "cannot write local file " + inQuotes(target_.string()),
                     errno);
  }
  temp_ = pattern;
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

void AtomicFile::write(const char* data, std::size_t size) {
  writeAll(fd_, data, size, "local file " + inQuotes(target_.string()));
  written_ += size;
}

void AtomicFile::restart() {
  if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0) {
    throwSystemError(ErrorKind::internal, "cannot rewrite local file " + inQuotes(target_.string()),
                     errno);
  }
  written_ = 0;
}

void AtomicFile::commit() {
  const std::string what = "cannot write local file " + inQuotes(target_.string());
  if (::fsync(fd_) != 0) throwSystemError(ErrorKind::internal, what, errno);
  // mkostemp creates 0600; a downloaded file is an ordinary 0644 file. (Reading the umask
  // would mean setting it, which is not thread-safe.)
  ::fchmod(fd_, 0644);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    throwSystemError(ErrorKind::invalid, what, errno);
  }
  committed_ = true;
}

}  // namespace warren::storage
