#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "redis/Url.h"

namespace warren::redis {
namespace {

struct Good {
  std::string text;
  bool tls;
  bool unix;
  std::string host;
  int port;
  std::string path;
  std::string user;
  std::string password;
  int db;
};

class UrlParses : public ::testing::TestWithParam<Good> {};

TEST_P(UrlParses, FieldsMatch) {
  const Good& want = GetParam();
  const Url url = Url::parse(want.text);
  EXPECT_EQ(url.tls, want.tls);
  EXPECT_EQ(url.unix, want.unix);
  EXPECT_EQ(url.host, want.host);
  EXPECT_EQ(url.port, want.port);
  EXPECT_EQ(url.path, want.path);
  EXPECT_EQ(url.user, want.user);
  EXPECT_EQ(url.password, want.password);
  EXPECT_EQ(url.db, want.db);
}

INSTANTIATE_TEST_SUITE_P(
    AllForms, UrlParses,
    ::testing::Values(
        Good{"redis://localhost", false, false, "localhost", 6379, "", "", "", 0},
        Good{"redis://127.0.0.1:6380", false, false, "127.0.0.1", 6380, "", "", "", 0},
        Good{"redis://h:7000/", false, false, "h", 7000, "", "", "", 0},
        Good{"redis://h:7000/5", false, false, "h", 7000, "", "", "", 5},
        Good{"redis://h/15", false, false, "h", 6379, "", "", "", 15},
        Good{"redis://h:1?db=4", false, false, "h", 1, "", "", "", 4},
        Good{"redis://:pw@h", false, false, "h", 6379, "", "", "pw", 0},
        Good{"redis://alice:secret@h:6390/2", false, false, "h", 6390, "", "alice", "secret", 2},
        Good{"redis://al%20ice:p%40ss%3Aw%2Fo%25rd@h", false, false, "h", 6379, "", "al ice",
             "p@ss:w/o%rd", 0},
        Good{"redis://u:p@ss@h", false, false, "h", 6379, "", "u", "p@ss", 0},
        Good{"rediss://cache.example.com:6380/1", true, false, "cache.example.com", 6380, "", "",
             "", 1},
        Good{"REDISS://h", true, false, "h", 6379, "", "", "", 0},
        Good{"redis://[::1]:6379/3", false, false, "::1", 6379, "", "", "", 3},
        Good{"redis://[fe80::1]", false, false, "fe80::1", 6379, "", "", "", 0},
        Good{"unix:///run/redis/redis.sock", false, true, "", 6379, "/run/redis/redis.sock", "", "",
             0},
        Good{"unix:///tmp/r.sock?db=3", false, true, "", 6379, "/tmp/r.sock", "", "", 3},
        Good{"unix://bob:pw@/tmp/r.sock?db=1", false, true, "", 6379, "/tmp/r.sock", "bob", "pw",
             1},
        Good{"redis://h:65535/2147483647", false, false, "h", 65535, "", "", "", 2147483647}));

struct Bad {
  std::string text;
  std::string message;
};

class UrlRejects : public ::testing::TestWithParam<Bad> {};

TEST_P(UrlRejects, WithExactMessage) {
  const Bad& bad = GetParam();
  try {
    Url::parse(bad.text);
    FAIL() << "parsed " << bad.text;
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), bad.message);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Problems, UrlRejects,
    ::testing::Values(
        Bad{"http://x",
            "invalid Redis URL 'http://x': scheme must be redis://, rediss:// or unix://"},
        Bad{"localhost:6379",
            "invalid Redis URL 'localhost:6379': scheme must be redis://, rediss:// or unix://"},
        Bad{"redis://", "invalid Redis URL 'redis://': host is missing"},
        Bad{"redis://:6379", "invalid Redis URL 'redis://:6379': host is missing"},
        Bad{"redis://h:abc",
            "invalid Redis URL 'redis://h:abc': port 'abc' is not a number between 1 and 65535"},
        Bad{"redis://h:0",
            "invalid Redis URL 'redis://h:0': port '0' is not a number between 1 and 65535"},
        Bad{"redis://h:65536",
            "invalid Redis URL 'redis://h:65536': port '65536' is not a number between 1 and "
            "65535"},
        Bad{"redis://h:",
            "invalid Redis URL 'redis://h:': port '' is not a number between 1 and "
            "65535"},
        Bad{"redis://h/x",
            "invalid Redis URL 'redis://h/x': database 'x' is not a non-negative integer"},
        Bad{"redis://h/-1",
            "invalid Redis URL 'redis://h/-1': database '-1' is not a non-negative integer"},
        Bad{"redis://h/2147483648",
            "invalid Redis URL 'redis://h/2147483648': database '2147483648' is out of range "
            "(0-2147483647)"},
        Bad{"redis://h/99999999999999999999",
            "invalid Redis URL 'redis://h/99999999999999999999': database "
            "'99999999999999999999' is out of range (0-2147483647)"},
        Bad{"unix:///tmp/s?db=abc",
            "invalid Redis URL 'unix:///tmp/s?db=abc': database 'abc' is not a non-negative "
            "integer"},
        Bad{"unix:///tmp/s?db",
            "invalid Redis URL 'unix:///tmp/s?db': query parameter 'db' needs a value"},
        Bad{"unix:///tmp/s?timeout=3",
            "invalid Redis URL 'unix:///tmp/s?timeout=3': unknown query parameter 'timeout' "
            "(only db is supported)"},
        Bad{"unix://", "invalid Redis URL 'unix://': socket path is missing"},
        Bad{"unix://host/tmp/s",
            "invalid Redis URL 'unix://host/tmp/s': unix:// URLs take no host (write "
            "unix:///path/to/socket)"},
        Bad{"redis://h/1?db=2",
            "invalid Redis URL 'redis://h/1?db=2': database given twice (in the path and as ?db=)"},
        Bad{"redis://::1:6379",
            "invalid Redis URL 'redis://::1:6379': IPv6 addresses must be in brackets, e.g. "
            "redis://[::1]:6379"},
        Bad{"redis://[::1", "invalid Redis URL 'redis://[::1': unterminated '[' in IPv6 host"},
        Bad{"redis://[::1]x", "invalid Redis URL 'redis://[::1]x': unexpected text after ']'"},
        Bad{"redis://alice@h",
            "invalid Redis URL 'redis://alice@h': a user name needs a password; write "
            "redis://user:password@host or redis://:password@host"},
        Bad{"redis://u:p%zz@h",
            "invalid Redis URL 'redis://u:***@h': invalid percent-encoding in the password"},
        Bad{"redis://u%4:p@h",
            "invalid Redis URL 'redis://u%4:***@h': invalid percent-encoding in the user name"},
        Bad{"redis://u:topsecret@h:99999",
            "invalid Redis URL 'redis://u:***@h:99999': port '99999' is not a number between 1 "
            "and 65535"}));

TEST(UrlRedacted, HidesPasswordKeepsTheRest) {
  EXPECT_EQ(Url::parse("redis://alice:s3cr%21t@h:6390/2").redacted(), "redis://alice:***@h:6390/2");
  EXPECT_EQ(Url::parse("rediss://:hunter2@h").redacted(), "rediss://:***@h:6379");
  EXPECT_EQ(Url::parse("redis://h").redacted(), "redis://h:6379");
  EXPECT_EQ(Url::parse("redis://[::1]:7000").redacted(), "redis://[::1]:7000");
  EXPECT_EQ(Url::parse("unix://u:pw@/tmp/r.sock?db=3").redacted(), "unix://u:***@/tmp/r.sock?db=3");
  EXPECT_EQ(Url::parse("unix:///tmp/r.sock").redacted(), "unix:///tmp/r.sock");
}

TEST(UrlRedacted, NeverContainsThePassword) {
  for (const std::string text : {"redis://alice:hunter2@h", "rediss://:hunter2@h:1/1",
                                 "unix://x:hunter2@/s", "redis://a:hunter2@[::1]:5"}) {
    const std::string redacted = Url::parse(text).redacted();
    EXPECT_EQ(redacted.find("hunter2"), std::string::npos) << redacted;
    EXPECT_NE(redacted.find("***"), std::string::npos) << redacted;
  }
}

TEST(UrlRedacted, ParseErrorsNeverContainThePassword) {
  for (const std::string text : {"redis://u:hunter2@h:x", "redis://u:hunter2@/1",
                                 "redis://u:hunter2@h/abc", "http://u:hunter2@h"}) {
    try {
      Url::parse(text);
      FAIL() << text;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    }
  }
}

TEST(UrlRedacted, UserNameIsPercentEncodedBack) {
  EXPECT_EQ(Url::parse("redis://al%20ice:x@h").redacted(), "redis://al%20ice:***@h:6379");
}

TEST(UrlEndpoint, NamesWhatWeConnectTo) {
  EXPECT_EQ(Url::parse("redis://h:1/2").endpoint(), "h:1");
  EXPECT_EQ(Url::parse("redis://[::1]").endpoint(), "[::1]:6379");
  EXPECT_EQ(Url::parse("unix:///tmp/x.sock").endpoint(), "/tmp/x.sock");
}

}  // namespace
}  // namespace warren::redis
