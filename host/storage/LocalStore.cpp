#include "storage/LocalStore.h"

#include "storage/FileIo.h"
#include "storage/Keys.h"
#include "storage/SigV4.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <random>
#include <utility>

namespace warren::storage {
namespace {

constexpr std::string_view kDefaultContentType = "application/octet-stream";
constexpr auto kStaleTemp = std::chrono::hours(1);

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

enum class Intent { read, write };

std::vector<std::string> segmentsOf(const std::string& key) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = key.find('/', start);
    out.push_back(key.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::string joined(const std::vector<std::string>& segments, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += (i > 0 ? "/" : "") + segments[i];
  return out;
}

[[noreturn]] void refuseLink(const std::string& key, const std::string& path) {
  throw StorageError(ErrorKind::invalid, "key " + inQuotes(key) + " refused: " + inQuotes(path) +
                                             " is a symbolic link (keys may not leave the "
                                             "storage directory)");
}

[[noreturn]] void notFound(const std::string& key) {
  throw StorageError(ErrorKind::not_found, "no object at key " + inQuotes(key));
}

bool isLink(int dir, const std::string& name) {
  struct stat st {};
  return ::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

// Why opening folder `name` in `dir` failed with `error`, as the error for `key`.
[[noreturn]] void failedOpen(int dir, const std::string& name, int error, const std::string& key,
                             const std::string& path, Intent intent) {
  if (isLink(dir, name)) refuseLink(key, path);
  if (error == ENOENT || error == ENOTDIR) {
    if (intent == Intent::read) notFound(key);
    throw StorageError(ErrorKind::invalid, "cannot store key " + inQuotes(key) + ": " +
                                               inQuotes(path) + " is an object, not a folder");
  }
  throwSystemError(ErrorKind::unavailable,
                   "cannot open " + inQuotes(path) + " in the storage directory", error);
}

// Opens folder `name` in `dir` without following a link; creates it for writes.
int openDir(int dir, const std::string& name, Intent intent, const std::string& key,
            const std::string& path) {
  for (int tries = 0;; ++tries) {
    const int fd = ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) return fd;
    const int error = errno;
    if (error == ENOENT && intent == Intent::write && tries < 3) {
      if (::mkdirat(dir, name.c_str(), 0755) == 0 || errno == EEXIST) continue;
      throwSystemError(ErrorKind::unavailable,
                       "cannot create folder " + inQuotes(path) + " in the storage directory",
                       errno);
    }
    failedOpen(dir, name, error, key, path, intent);
  }
}

// The folders on a key's path, each opened relative to the one before.
struct Walk {
  std::vector<std::string> segments;  // the last one is the file name
  std::vector<Fd> dirs;               // dirs[i] is the folder segments[i]
  int base = -1;

  int parent() const { return dirs.empty() ? base : dirs.back().get(); }
  const std::string& leaf() const { return segments.back(); }
  // Removes the folders of the path that are empty now, deepest first.
  void prune() const {
    for (std::size_t i = dirs.size(); i-- > 0;) {
      const int above = i == 0 ? base : dirs[i - 1].get();
      if (::unlinkat(above, segments[i].c_str(), AT_REMOVEDIR) != 0) return;
    }
  }
};

Walk walk(int base, const std::string& key, Intent intent) {
  Walk out;
  out.base = base;
  out.segments = segmentsOf(key);
  for (std::size_t i = 0; i + 1 < out.segments.size(); ++i) {
    out.dirs.emplace_back(
        openDir(out.parent(), out.segments[i], intent, key, joined(out.segments, i + 1)));
  }
  return out;
}

// Opens the object file of `key` for reading; refuses links, not_found for folders.
Fd openObject(const Walk& path, const std::string& key, struct stat& st) {
  // O_NONBLOCK: a FIFO planted under a key must not hang the call (no effect on regular files).
  Fd fd(
      ::openat(path.parent(), path.leaf().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    const int error = errno;
    if (isLink(path.parent(), path.leaf())) refuseLink(key, key);
    if (error == ENOENT || error == ENOTDIR) notFound(key);
    throwSystemError(ErrorKind::unavailable, "cannot open " + inQuotes(key), error);
  }
  if (::fstat(fd.get(), &st) != 0) {
    throwSystemError(ErrorKind::unavailable, "cannot open " + inQuotes(key), errno);
  }
  if (S_ISDIR(st.st_mode)) notFound(key);
  if (!S_ISREG(st.st_mode)) {
    throw StorageError(ErrorKind::invalid,
                       "key " + inQuotes(key) + " is a special file in the storage directory");
  }
  return fd;
}

std::string randomName() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char name[40];
  std::snprintf(name, sizeof name, "put-%016llx", static_cast<unsigned long long>(random()));
  return name;
}

// Removes a temporary file unless released.
class TempGuard {
 public:
  TempGuard(int dir, std::string name) : dir_(dir), name_(std::move(name)) {}
  ~TempGuard() {
    if (!name_.empty()) ::unlinkat(dir_, name_.c_str(), 0);
  }
  TempGuard(const TempGuard&) = delete;
  TempGuard& operator=(const TempGuard&) = delete;
  const std::string& name() const { return name_; }
  void release() { name_.clear(); }

 private:
  int dir_;
  std::string name_;
};

int ensureDir(int dir, const char* name, const std::filesystem::path& path) {
  if (::mkdirat(dir, name, 0755) != 0 && errno != EEXIST) {
    throwSystemError(ErrorKind::unavailable, "cannot create " + inQuotes(path.string()), errno);
  }
  const int fd = ::openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    throwSystemError(ErrorKind::unavailable, "cannot open " + inQuotes(path.string()), errno);
  return fd;
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool validKey(const std::string& key) {
  try {
    validateKey(key);
    return true;
  } catch (const StorageError&) {
    return false;
  }
}

// Collects the keys under folder `fd` (owned) whose path is `rel`, matching `prefix`. Links and
// special files are skipped; names that are not valid keys too.
void collect(int fd, const std::string& rel, const std::string& prefix,
             std::vector<std::string>& keys) {
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    return;
  }
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (rel.empty() && name == kReservedSegment) continue;
    const std::string key = rel.empty() ? name : rel + "/" + name;
    struct stat st {};
    if (::fstatat(::dirfd(dir), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      const std::string folder = key + "/";
      if (!startsWith(folder, prefix) && !startsWith(prefix, folder)) continue;
      const int sub =
          ::openat(::dirfd(dir), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0) collect(sub, key, prefix, keys);
    } else if (S_ISREG(st.st_mode) && startsWith(key, prefix) && validKey(key)) {
      keys.push_back(key);
    }
  }
  ::closedir(dir);
}

void removeStaleTemps(int tmpFd) {
  const int fd = ::openat(tmpFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* dir = fd < 0 ? nullptr : ::fdopendir(fd);
  if (dir == nullptr) {
    if (fd >= 0) ::close(fd);
    return;
  }
  const auto now = std::chrono::system_clock::now();
  while (const dirent* entry = ::readdir(dir)) {
    struct stat st {};
    if (::fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISREG(st.st_mode)) continue;
    const auto modified = std::chrono::system_clock::from_time_t(st.st_mtime);
    if (now - modified > kStaleTemp) ::unlinkat(::dirfd(dir), entry->d_name, 0);
  }
  ::closedir(dir);
}

}  // namespace

LocalStore::LocalStore(std::filesystem::path root) {
  if (root.empty()) {
    throw StorageError(ErrorKind::invalid, "local storage directory is empty (storage.localDir)");
  }
  std::error_code error;
  std::filesystem::create_directories(root, error);
  if (!error) root_ = std::filesystem::canonical(root, error);
  if (error) {
    throw StorageError(
        ErrorKind::unavailable,
        "cannot create storage directory " + inQuotes(root.string()) + ": " + error.message());
  }
  rootFd_ = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (rootFd_ < 0) {
    throwSystemError(ErrorKind::unavailable,
                     "cannot open storage directory " + inQuotes(root_.string()), errno);
  }
  try {
    const std::filesystem::path reserved = root_ / std::string(kReservedSegment);
    const Fd warren(ensureDir(rootFd_, std::string(kReservedSegment).c_str(), reserved));
    tmpFd_ = ensureDir(warren.get(), "tmp", reserved / "tmp");
    metaFd_ = ensureDir(warren.get(), "meta", reserved / "meta");
  } catch (...) {
    for (int fd : {rootFd_, tmpFd_, metaFd_}) {
      if (fd >= 0) ::close(fd);
    }
    throw;
  }
  removeStaleTemps(tmpFd_);
}

LocalStore::~LocalStore() {
  for (int fd : {rootFd_, tmpFd_, metaFd_}) ::close(fd);
}

std::string LocalStore::description() const {
  return "local directory " + root_.string();
}

std::string LocalStore::writeTemp(const std::function<void(int fd)>& fill) const {
  const std::string name = randomName();
  Fd fd(::openat(tmpFd_, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    throwSystemError(
        ErrorKind::unavailable,
        "cannot create a temporary file in " + inQuotes((root_ / ".warren/tmp").string()), errno);
  }
  TempGuard guard(tmpFd_, name);
  fill(fd.get());
  if (::fsync(fd.get()) != 0) {
    throwSystemError(ErrorKind::internal, "cannot write a temporary file", errno);
  }
  guard.release();
  return name;
}

void LocalStore::writeFileAt(int treeFd, const std::string& key,
                             const std::string& tempName) const {
  for (int tries = 0;; ++tries) {
    const Walk path = walk(treeFd, key, Intent::write);
    struct stat st {};
    if (::fstatat(path.parent(), path.leaf().c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
      if (S_ISLNK(st.st_mode)) refuseLink(key, key);
      // A folder emptied by others may go; one holding objects may not be replaced.
      if (S_ISDIR(st.st_mode) &&
          ::unlinkat(path.parent(), path.leaf().c_str(), AT_REMOVEDIR) != 0) {
        throw StorageError(ErrorKind::invalid, "cannot store key " + inQuotes(key) +
                                                   ": it is a folder holding other objects");
      }
    }
    if (::renameat(tmpFd_, tempName.c_str(), path.parent(), path.leaf().c_str()) == 0) {
      ::fsync(path.parent());
      return;
    }
    // ENOENT: a concurrent remove() pruned a folder of the path; walk (and create) it again.
    if (errno != ENOENT || tries >= 3) {
      throwSystemError(ErrorKind::internal, "cannot store key " + inQuotes(key), errno);
    }
  }
}

void LocalStore::doPutFile(const std::string& key, const std::filesystem::path& localPath,
                           const std::string& contentType, const CancelCheck& cancelled) {
  const InputFile source(localPath);
  TempGuard data(tmpFd_, writeTemp([&](int fd) {
                   source.readRange(0, source.size(), cancelled,
                                    [&](const char* bytes, std::size_t size) {
                                      writeAll(fd, bytes, size, "the storage directory");
                                    });
                 }));
  checkCancelled(cancelled);
  TempGuard meta(tmpFd_, writeTemp([&](int fd) {
                   writeAll(fd, contentType.data(), contentType.size(), "the storage directory");
                 }));
  writeFileAt(metaFd_, key, meta.name());
  meta.release();
  writeFileAt(rootFd_, key, data.name());
  data.release();
}

void LocalStore::doGetFile(const std::string& key, const std::filesystem::path& localPath,
                           const CancelCheck& cancelled) {
  const Walk path = walk(rootFd_, key, Intent::read);
  struct stat st {};
  Fd fd = openObject(path, key, st);
  const InputFile source(fd.release(), key);
  AtomicFile target(localPath);
  source.readRange(0, source.size(), cancelled,
                   [&](const char* bytes, std::size_t size) { target.write(bytes, size); });
  target.commit();
}

std::string LocalStore::readContentType(const std::string& key) const {
  try {
    const Walk path = walk(metaFd_, key, Intent::read);
    struct stat st {};
    const Fd fd = openObject(path, key, st);
    char text[1024];
    const ssize_t n = ::read(fd.get(), text, sizeof text);
    if (n > 0) return std::string(text, static_cast<std::size_t>(n));
  } catch (const StorageError&) {
    // No sidecar (an object copied in by hand): the default below.
  }
  return std::string(kDefaultContentType);
}

ObjectInfo LocalStore::doHead(const std::string& key) {
  const Walk path = walk(rootFd_, key, Intent::read);
  struct stat st {};
  const Fd fd = openObject(path, key, st);
  ObjectInfo info;
  info.size = static_cast<std::uint64_t>(st.st_size);
  info.modifiedMs =
      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
  char etag[64];
  std::snprintf(etag, sizeof etag, "%llx-%llx", static_cast<unsigned long long>(st.st_size),
                static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
                    static_cast<unsigned long long>(st.st_mtim.tv_nsec));
  info.etag = etag;
  info.contentType = readContentType(key);
  return info;
}

void LocalStore::doRemove(const std::string& key) {
  for (const int tree : {rootFd_, metaFd_}) {
    Walk path;
    try {
      path = walk(tree, key, Intent::read);
    } catch (const StorageError& e) {
      if (e.kind() == ErrorKind::not_found) continue;  // nothing there
      throw;
    }
    struct stat st {};
    if (::fstatat(path.parent(), path.leaf().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISLNK(st.st_mode)) refuseLink(key, key);
    if (S_ISDIR(st.st_mode)) continue;  // a folder is no object
    if (::unlinkat(path.parent(), path.leaf().c_str(), 0) != 0 && errno != ENOENT) {
      throwSystemError(ErrorKind::unavailable, "cannot remove key " + inQuotes(key), errno);
    }
    path.prune();
  }
}

std::vector<std::string> LocalStore::doList(const std::string& prefix) {
  std::vector<std::string> keys;
  const int fd = ::openat(rootFd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    throwSystemError(ErrorKind::unavailable,
                     "cannot read storage directory " + inQuotes(root_.string()), errno);
  }
  collect(fd, "", prefix, keys);
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string LocalStore::doPresignGet(const std::string& key, std::int64_t /*expiresS*/) {
  return "file://" + sigv4::uriEncode((root_ / key).string(), false);
}

}  // namespace warren::storage
