#include <gtest/gtest.h>

#include <string>

#include "db/Url.h"

namespace warren::db {
namespace {

TEST(DatabaseUrl, PostgresBecomesQuotedLibpqKeywords) {
  const Target t =
      parseUrl("postgres://app:pa%40ss%2Fw0rd@db.example.com:6543/warren?sslmode=require",
               "/unused", std::chrono::seconds(7));
  EXPECT_EQ(t.backend, Backend::postgresql);
  EXPECT_EQ(t.connector, "PostgreSQL");
  EXPECT_EQ(t.connectionString,
            "user='app' password='pa@ss/w0rd' host='db.example.com' port='6543' dbname='warren' "
            "sslmode='require' connect_timeout='7' application_name='warren'");
  EXPECT_EQ(t.display, "postgres://app:***@db.example.com:6543/warren?sslmode=require");
  // Both spellings of the password are secrets (decoded, and as written in the URL).
  EXPECT_NE(std::find(t.secrets.begin(), t.secrets.end(), "pa@ss/w0rd"), t.secrets.end());
  EXPECT_NE(std::find(t.secrets.begin(), t.secrets.end(), "pa%40ss%2Fw0rd"), t.secrets.end());
}

TEST(DatabaseUrl, PostgresqlSchemeAndDefaults) {
  const Target t = parseUrl("postgresql://localhost/app", "");
  EXPECT_EQ(t.connectionString,
            "host='localhost' dbname='app' connect_timeout='5' application_name='warren'");
  EXPECT_TRUE(t.secrets.empty());
  EXPECT_EQ(t.display, "postgresql://localhost/app");
}

TEST(DatabaseUrl, UnencodedAtAndSlashInPasswordStillParse) {
  const Target t = parseUrl("postgres://u:p@s/s@h:5432/db", "");
  EXPECT_NE(t.connectionString.find("password='p@s/s'"), std::string::npos);
  EXPECT_NE(t.connectionString.find("host='h'"), std::string::npos);
  EXPECT_NE(t.connectionString.find("dbname='db'"), std::string::npos);
  EXPECT_EQ(t.display.find("p@s/s"), std::string::npos);
}

TEST(DatabaseUrl, QuotesAndBackslashesAreEscaped) {
  const Target t = parseUrl("postgres://u:it's%5Cx@h/db", "");
  EXPECT_NE(t.connectionString.find(R"(password='it\'s\\x')"), std::string::npos);
  EXPECT_EQ(quoteConnValue("a b"), "'a b'");
}

TEST(DatabaseUrl, Ipv6MultiHostAndQueryOverrides) {
  const Target t =
      parseUrl("postgres://u@[::1]:5433,other/db?connect_timeout=2&application_name=x", "");
  EXPECT_NE(t.connectionString.find("host='::1,other'"), std::string::npos);
  EXPECT_NE(t.connectionString.find("port='5433,5432'"), std::string::npos);
  EXPECT_NE(t.connectionString.find("connect_timeout='2'"), std::string::npos);
  EXPECT_EQ(t.connectionString.find("connect_timeout='5'"), std::string::npos);
  EXPECT_NE(t.connectionString.find("application_name='x'"), std::string::npos);
}

TEST(DatabaseUrl, PasswordInQueryIsASecretToo) {
  const Target t = parseUrl("postgres://u@h/db?password=hunter22&sslmode=disable", "");
  EXPECT_NE(t.connectionString.find("password='hunter22'"), std::string::npos);
  EXPECT_EQ(t.display, "postgres://u@h/db?password=***&sslmode=disable");
  EXPECT_NE(std::find(t.secrets.begin(), t.secrets.end(), "hunter22"), t.secrets.end());
}

TEST(DatabaseUrl, EmptyUrlIsSqliteInTheDataDirectory) {
  const Target t = parseUrl("", "/var/lib/warren");
  EXPECT_EQ(t.backend, Backend::sqlite);
  EXPECT_EQ(t.connector, "SQLite");
  EXPECT_EQ(t.connectionString, "/var/lib/warren/warren.db");
}

TEST(DatabaseUrl, SqliteUrlNamesTheFile) {
  EXPECT_EQ(parseUrl("sqlite:///tmp/x.db", "").connectionString, "/tmp/x.db");
  EXPECT_EQ(parseUrl("sqlite://rel.db", "").connectionString, "rel.db");
}

// Errors name the setting and never echo the URL (it may hold a password).
void expectRefused(const std::string& url, const std::string& reason) {
  try {
    parseUrl(url, "", std::chrono::seconds(5), "DATABASE_REPLICA_URL");
    FAIL() << "accepted " << url;
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid);
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("DATABASE_REPLICA_URL: ", 0), 0u) << what;
    EXPECT_NE(what.find(reason), std::string::npos) << what;
    EXPECT_EQ(what.find("topsecret"), std::string::npos) << what;
  }
}

TEST(DatabaseUrl, RefusalsNameTheProblemNotTheUrl) {
  expectRefused("mysql://u:topsecret@h/db", "must start with postgres://");
  expectRefused("postgres://u:topsecret@h:99999/db", "port");
  expectRefused("postgres://u:top%zzsecret@h/db", "percent-encoding in the password");
  expectRefused("postgres://u:topsecret@h/db?novalue", "key=value");
  expectRefused("postgres://u:topsecret@h/db?Bad-Key=1", "bad query parameter name");
  expectRefused("postgres://u:topsecret@[::1/db", "unterminated [");
  expectRefused("", "no data directory");
}

TEST(DatabasePoolSize, DefaultFollowsTheSizingFormula) {
  EXPECT_EQ(defaultPoolSize(1, 5), 1u * (2 + 5) + kPoolBuffer);
  EXPECT_EQ(defaultPoolSize(4, 10, 2), 4u * 12 + 2);
  EXPECT_EQ(defaultPoolSize(0, 0, 0), 2u);  // at least one worker
}

}  // namespace
}  // namespace warren::db
