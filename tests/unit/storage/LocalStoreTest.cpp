// The local-directory backend: round trips, atomic writes, content types, listing, and the
// refusal of every key or link that would reach outside its directory.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "Helpers.h"
#include "TempDir.h"
#include "storage/LocalStore.h"

namespace warren::storage {
namespace {

namespace fs = std::filesystem;
using test::expectError;
using warren::test::readFile;
using warren::test::TempDir;
using warren::test::writeFile;

class LocalStoreTest : public ::testing::Test {
 protected:
  LocalStoreTest() : store_(dir_ / "objects") {}

  // Puts `text` under `key` through a local file.
  void put(const std::string& key, const std::string& text, const std::string& type = "") {
    const fs::path source = dir_ / "source";
    writeFile(source, text);
    store_.putFile(key, source, type);
  }
  std::string get(const std::string& key) {
    const fs::path target = dir_ / "download";
    store_.getFile(key, target);
    return readFile(target);
  }
  fs::path root() const { return store_.root(); }

  TempDir dir_{"warren-storage"};
  LocalStore store_;
};

TEST_F(LocalStoreTest, RoundTripsNestedKeysAsPlainFiles) {
  put("videos/2024/clip one.mp4", "frames", "video/mp4");
  EXPECT_EQ(get("videos/2024/clip one.mp4"), "frames");
  EXPECT_EQ(readFile(root() / "videos/2024/clip one.mp4"), "frames");

  const ObjectInfo info = store_.head("videos/2024/clip one.mp4");
  EXPECT_EQ(info.size, 6u);
  EXPECT_EQ(info.contentType, "video/mp4");
  EXPECT_FALSE(info.etag.empty());
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_LE(std::abs(now - info.modifiedMs), 60000);
}

TEST_F(LocalStoreTest, PutReplacesAndTheEtagFollows) {
  put("a.txt", "one", "text/plain");
  const std::string first = store_.head("a.txt").etag;
  put("a.txt", "second");
  EXPECT_EQ(get("a.txt"), "second");
  const ObjectInfo info = store_.head("a.txt");
  EXPECT_EQ(info.contentType, "application/octet-stream");
  EXPECT_NE(info.etag, first);
}

TEST_F(LocalStoreTest, LeavesNoTemporaryFiles) {
  put("a/b.bin", std::string(1 << 20, 'x'));
  EXPECT_TRUE(fs::is_empty(root() / ".warren/tmp"));
  EXPECT_EQ(readFile(root() / ".warren/meta/a/b.bin"), "application/octet-stream");
  store_.getFile("a/b.bin", dir_ / "copy.bin");
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".warren-"), std::string::npos) << entry.path();
  }
}

TEST_F(LocalStoreTest, MissingObjectsAreNotFound) {
  expectError([&] { store_.head("none"); }, ErrorKind::not_found, "no object at key \"none\"");
  expectError([&] { get("a/none"); }, ErrorKind::not_found, "no object at key \"a/none\"");
  put("a/b", "x");
  // "a" is a folder here, not an object.
  expectError([&] { store_.head("a"); }, ErrorKind::not_found, "no object at key \"a\"");
  // A failed download leaves nothing at the target.
  EXPECT_FALSE(fs::exists(dir_ / "download"));
}

TEST_F(LocalStoreTest, ListReturnsSortedKeysUnderAPrefix) {
  for (const std::string key : {"b/2", "a/1", "ab", "a/0/x", "c"}) put(key, key);
  EXPECT_EQ(store_.list(""), (std::vector<std::string>{"a/0/x", "a/1", "ab", "b/2", "c"}));
  EXPECT_EQ(store_.list("a/"), (std::vector<std::string>{"a/0/x", "a/1"}));
  EXPECT_EQ(store_.list("a"), (std::vector<std::string>{"a/0/x", "a/1", "ab"}));
  EXPECT_EQ(store_.list("a/0/"), (std::vector<std::string>{"a/0/x"}));
  EXPECT_TRUE(store_.list("zz").empty());
}

TEST_F(LocalStoreTest, RemoveDeletesAndPrunesEmptyFolders) {
  put("a/b/c", "x", "text/plain");
  store_.remove("a/b/c");
  expectError([&] { store_.head("a/b/c"); }, ErrorKind::not_found, "no object at key \"a/b/c\"");
  EXPECT_FALSE(fs::exists(root() / "a"));
  EXPECT_FALSE(fs::exists(root() / ".warren/meta/a"));
  // With the folders gone, "a" can hold an object, as on S3.
  put("a", "now a file");
  EXPECT_EQ(get("a"), "now a file");
  EXPECT_NO_THROW(store_.remove("never/there"));
}

TEST_F(LocalStoreTest, ObjectsAndFoldersDoNotMix) {
  put("a/b", "x");
  expectError([&] { put("a/b/c", "y"); }, ErrorKind::invalid,
              "cannot store key \"a/b/c\": \"a/b\" is an object, not a folder");
  expectError([&] { put("a", "y"); }, ErrorKind::invalid,
              "cannot store key \"a\": it is a folder holding other objects");
  EXPECT_EQ(get("a/b"), "x");
}

TEST_F(LocalStoreTest, RefusesKeysThatEscape) {
  expectError([&] { put("../outside", "x"); }, ErrorKind::invalid,
              "key \"../outside\" has a '..' segment (keys may not leave the store)");
  expectError([&] { put("/etc/warren-test", "x"); }, ErrorKind::invalid,
              "key \"/etc/warren-test\" starts with '/' (keys are relative, like "
              "\"videos/a.mp4\")");
  expectError([&] { store_.head("a/../../x"); }, ErrorKind::invalid,
              "key \"a/../../x\" has a '..' segment (keys may not leave the store)");
  expectError([&] { store_.list("/"); }, ErrorKind::invalid,
              "prefix \"/\" starts with '/' (keys are relative, like \"videos/a.mp4\")");
  EXPECT_FALSE(fs::exists(dir_ / "outside"));
}

TEST_F(LocalStoreTest, RefusesSymbolicLinksAnywhereOnThePath) {
  const fs::path outside = dir_ / "outside";
  writeFile(outside / "secret", "do not read");
  fs::create_directory_symlink(outside, root() / "link");
  fs::create_symlink(outside / "secret", root() / "leak");

  const std::string viaFolder =
      "key \"link/secret\" refused: \"link\" is a symbolic link (keys may not leave the storage "
      "directory)";
  expectError([&] { get("link/secret"); }, ErrorKind::invalid, viaFolder);
  expectError([&] { store_.head("link/secret"); }, ErrorKind::invalid, viaFolder);
  expectError([&] { store_.remove("link/secret"); }, ErrorKind::invalid, viaFolder);
  expectError([&] { put("link/new", "x"); }, ErrorKind::invalid,
              "key \"link/new\" refused: \"link\" is a symbolic link (keys may not leave the "
              "storage directory)");

  const std::string leaf =
      "key \"leak\" refused: \"leak\" is a symbolic link (keys may not leave the storage "
      "directory)";
  expectError([&] { get("leak"); }, ErrorKind::invalid, leaf);
  expectError([&] { store_.head("leak"); }, ErrorKind::invalid, leaf);
  expectError([&] { store_.remove("leak"); }, ErrorKind::invalid, leaf);
  expectError([&] { put("leak", "overwrite"); }, ErrorKind::invalid, leaf);

  EXPECT_EQ(readFile(outside / "secret"), "do not read");
  EXPECT_FALSE(fs::exists(outside / "new"));
  EXPECT_TRUE(store_.list("").empty());  // links are not objects
}

TEST_F(LocalStoreTest, RefusesALinkDeepInThePath) {
  const fs::path outside = dir_ / "outside";
  fs::create_directories(outside);
  put("a/b/keep", "x");
  fs::create_directory_symlink(outside, root() / "a/b/c");
  expectError([&] { put("a/b/c/d/e", "x"); }, ErrorKind::invalid,
              "key \"a/b/c/d/e\" refused: \"a/b/c\" is a symbolic link (keys may not leave the "
              "storage directory)");
  EXPECT_TRUE(fs::is_empty(outside));
}

TEST_F(LocalStoreTest, LocalFileErrorsNameThePath) {
  expectError(
      [&] { store_.putFile("k", dir_ / "missing", ""); }, ErrorKind::invalid,
      "cannot read local file \"" + (dir_ / "missing").string() + "\": No such file or directory");
  expectError([&] { store_.putFile("k", dir_.path(), ""); }, ErrorKind::invalid,
              "cannot read local file \"" + dir_.path().string() + "\": not a regular file");
  put("k", "x");
  expectError([&] { store_.getFile("k", dir_ / "no/such/dir/file"); }, ErrorKind::invalid,
              "cannot write local file \"" + (dir_ / "no/such/dir/file").string() +
                  "\": No such file or directory");
  expectError([&] { store_.putFile("k2", dir_ / "source", "text/plain\r\nX-Evil: 1"); },
              ErrorKind::invalid,
              "content type \"text/plain\\x0D\\x0AX-Evil: 1\" contains a control character");
}

TEST_F(LocalStoreTest, CancelledTransfersLeaveNothingBehind) {
  writeFile(dir_ / "big", std::string(2 << 20, 'x'));
  expectError([&] { store_.putFile("big", dir_ / "big", "", [] { return true; }); },
              ErrorKind::cancelled, "cancelled");
  expectError([&] { store_.head("big"); }, ErrorKind::not_found, "no object at key \"big\"");
  EXPECT_TRUE(fs::is_empty(root() / ".warren/tmp"));

  store_.putFile("big", dir_ / "big", "");
  expectError([&] { store_.getFile("big", dir_ / "copy", [] { return true; }); },
              ErrorKind::cancelled, "cancelled");
  EXPECT_FALSE(fs::exists(dir_ / "copy"));
}

TEST_F(LocalStoreTest, PresignGivesAFileUrl) {
  put("dir/a b.txt", "x");
  EXPECT_EQ(store_.presignGet("dir/a b.txt", 3600), "file://" + root().string() + "/dir/a%20b.txt");
  expectError([&] { store_.presignGet("dir/a b.txt", 0); }, ErrorKind::invalid,
              "expiry must be between 1 and 604800 seconds (7 days), got 0");
  expectError([&] { store_.presignGet("dir/a b.txt", 604801); }, ErrorKind::invalid,
              "expiry must be between 1 and 604800 seconds (7 days), got 604801");
}

TEST_F(LocalStoreTest, ServesManyThreadsAtOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const std::string key = "shared/" + std::to_string(i % 5);
        try {
          const fs::path source = dir_ / ("src" + std::to_string(t));
          writeFile(source, key);
          store_.putFile(key, source, "text/plain");
          const fs::path target = dir_ / ("dst" + std::to_string(t));
          store_.getFile(key, target);
          if (readFile(target) != key) ++failures;
          if (i % 7 == 0) store_.remove("shared/" + std::to_string((i + t) % 5));
        } catch (const StorageError& e) {
          // A get may race another thread's remove of the same key; nothing else may fail.
          if (e.kind() != ErrorKind::not_found) ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(fs::is_empty(root() / ".warren/tmp"));
}

TEST(LocalStoreSetup, CreatesItsDirectoryAndRefusesAnEmptyPath) {
  TempDir dir{"warren-storage"};
  const LocalStore store(dir / "deep/er/objects");
  EXPECT_TRUE(fs::is_directory(dir / "deep/er/objects/.warren/meta"));
  EXPECT_EQ(store.description(), "local directory " + (dir / "deep/er/objects").string());
  expectError([] { LocalStore(""); }, ErrorKind::invalid,
              "local storage directory is empty (storage.localDir)");
}

}  // namespace
}  // namespace warren::storage
