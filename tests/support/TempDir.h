// A directory under /tmp that is removed when the object goes away.
#pragma once

#include <filesystem>
#include <string>

namespace warren::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "warren-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes `text` to `path`, creating parent directories.
void writeFile(const std::filesystem::path& path, const std::string& text);
std::string readFile(const std::filesystem::path& path);

}  // namespace warren::test
