// Local file plumbing shared by the backends: chunked reads of a source file, and downloads
// written to a temporary file that is renamed into place only when complete.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "storage/Store.h"

namespace warren::storage {

inline constexpr std::size_t kChunkBytes = 256 * 1024;

// Throws StorageError (cancelled) when `cancelled` says so.
void checkCancelled(const CancelCheck& cancelled);
// "what: strerror(errno)" as a StorageError of `kind`.
[[noreturn]] void throwSystemError(ErrorKind kind, const std::string& what, int error);
// Writes all of `data` to `fd`; `what` names the file in the error.
void writeAll(int fd, const char* data, std::size_t size, const std::string& what);

using ChunkSink = std::function<void(const char* data, std::size_t size)>;

// A local regular file opened for reading (the source of an upload).
class InputFile {
 public:
  explicit InputFile(const std::filesystem::path& path);  // StorageError (invalid) if unreadable
  // Adopts `fd`, an open regular file; `name` is for messages.
  InputFile(int fd, const std::filesystem::path& name);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  std::uint64_t size() const { return size_; }
  // Hands [offset, offset + length) to `sink` in chunks of at most kChunkBytes. Throws
  // StorageError: invalid when the file ends early (it changed while being read), cancelled.
  void readRange(std::uint64_t offset, std::uint64_t length, const CancelCheck& cancelled,
                 const ChunkSink& sink) const;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// A download target: bytes go to a temporary file beside `target` (same folder, so the rename
// is atomic); commit() renames it over `target`. Destroyed uncommitted, it removes the
// temporary file, so `target` never holds a partial object.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);  // StorageError (invalid) if not writable
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const char* data, std::size_t size);
  void restart();  // empties the file again (a retried download starts over)
  std::uint64_t written() const { return written_; }
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  std::uint64_t written_ = 0;
  bool committed_ = false;
};

}  // namespace warren::storage
