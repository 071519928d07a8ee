// The local-directory backend (the default when S3_ENDPOINT is unset). Objects are plain files
// at <root>/<key>, so the directory can be read with ordinary tools.
//
// - Writes are atomic: the data goes to <root>/.warren/tmp, is fsync'ed, then renamed into place.
// - The content type lives in a sidecar tree, <root>/.warren/meta/<key> (one short text file per
//   object), because extended attributes are missing on some filesystems (older tmpfs, some
//   network mounts). An object without a sidecar reads as application/octet-stream.
// - Keys never leave the root: besides the common key rules (Keys.h), every folder on the way
//   and the file itself are opened with O_NOFOLLOW relative to the folder before, so a symbolic
//   link anywhere on the path is refused, even one swapped in while the call runs.
// - Folders left empty by remove() are removed too, so "a" can hold an object again after
//   "a/b" went away (as on S3, where folders do not exist).
#pragma once

#include <filesystem>
#include <string>

#include "storage/Store.h"

namespace warren::storage {

class LocalStore : public Store {
 public:
  // Creates `root` (and root/.warren) when missing. Throws StorageError: invalid for an empty
  // path, unavailable when the folder cannot be created or opened.
  explicit LocalStore(std::filesystem::path root);
  ~LocalStore() override;
  LocalStore(const LocalStore&) = delete;
  LocalStore& operator=(const LocalStore&) = delete;

  std::string description() const override;
  const std::filesystem::path& root() const { return root_; }

 protected:
  void doPutFile(const std::string& key, const std::filesystem::path& localPath,
                 const std::string& contentType, const CancelCheck& cancelled) override;
  void doGetFile(const std::string& key, const std::filesystem::path& localPath,
                 const CancelCheck& cancelled) override;
  ObjectInfo doHead(const std::string& key) override;
  void doRemove(const std::string& key) override;
  std::vector<std::string> doList(const std::string& prefix) override;
  std::string doPresignGet(const std::string& key, std::int64_t expiresS) override;

 private:
  std::string readContentType(const std::string& key) const;
  void writeFileAt(int treeFd, const std::string& key, const std::string& tempName) const;
  std::string writeTemp(const std::function<void(int fd)>& fill) const;

  std::filesystem::path root_;
  int rootFd_ = -1;
  int tmpFd_ = -1;   // root/.warren/tmp
  int metaFd_ = -1;  // root/.warren/meta
};

}  // namespace warren::storage
