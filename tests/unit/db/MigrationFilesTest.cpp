#include <gtest/gtest.h>

#include <string>

#include "TempDir.h"
#include "db/Database.h"

namespace warren::db {
namespace {

using test::TempDir;
using test::writeFile;

std::string refusal(const std::filesystem::path& dir) {
  try {
    loadMigrations(dir);
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid);
    return e.what();
  }
  return "accepted";
}

TEST(MigrationFiles, SortedByVersionNotByName) {
  TempDir dir("warren-migrations");
  writeFile(dir / "10_ten.sql", "SELECT 10;");
  writeFile(dir / "0002_two.sql", "SELECT 2;");
  writeFile(dir / "0001_first-one.sql", "SELECT 1;");
  writeFile(dir / "README.md", "ignored");
  const auto migrations = loadMigrations(dir.path());
  ASSERT_EQ(migrations.size(), 3u);
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "first-one");
  EXPECT_EQ(migrations[0].file, "0001_first-one.sql");
  EXPECT_EQ(migrations[0].sql, "SELECT 1;");
  EXPECT_EQ(migrations[1].version, 2);
  EXPECT_EQ(migrations[2].version, 10);
}

TEST(MigrationFiles, BadNamesDuplicatesAndMissingDirectoryAreRefused) {
  TempDir dir("warren-migrations");
  writeFile(dir / "0001_a.sql", "");
  writeFile(dir / "create_b.sql", "");
  EXPECT_NE(refusal(dir.path()).find("create_b.sql is not named NNNN_name.sql"), std::string::npos);
  std::filesystem::remove(dir / "create_b.sql");
  writeFile(dir / "1_also_a.sql", "");
  EXPECT_NE(refusal(dir.path()).find("two migrations have version 1"), std::string::npos);
  EXPECT_NE(refusal(dir / "missing").find("does not exist"), std::string::npos);
}

TEST(MigrationFiles, EmptyDirectoryHasNone) {
  TempDir dir("warren-migrations");
  EXPECT_TRUE(loadMigrations(dir.path()).empty());
}

}  // namespace
}  // namespace warren::db
