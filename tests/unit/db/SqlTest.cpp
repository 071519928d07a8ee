#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "db/Database.h"
#include "db/Sql.h"

namespace warren::db {
namespace {

TEST(DatabaseParams, EveryJsonTypeBinds) {
  const auto params = parseParams(
      R"(["text", 42, -9223372036854775808, 2.5, true, false, null, {"a":[1]}, [1,2]])");
  ASSERT_EQ(params.size(), 9u);
  EXPECT_EQ(params[0].type, Param::Type::text);
  EXPECT_EQ(params[0].text, "text");
  EXPECT_EQ(params[1].type, Param::Type::integer);
  EXPECT_EQ(params[1].integer, 42);
  EXPECT_EQ(params[2].integer, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(params[3].type, Param::Type::real);
  EXPECT_EQ(params[3].real, 2.5);
  EXPECT_EQ(params[4].type, Param::Type::boolean);
  EXPECT_TRUE(params[4].boolean);
  EXPECT_FALSE(params[5].boolean);
  EXPECT_EQ(params[6].type, Param::Type::null);
  EXPECT_EQ(params[7].type, Param::Type::text);  // objects and arrays as their JSON text
  EXPECT_EQ(params[7].text, R"({"a":[1]})");
  EXPECT_EQ(params[8].text, "[1,2]");
}

TEST(DatabaseParams, EmptyOrNullMeansNone) {
  EXPECT_TRUE(parseParams("").empty());
  EXPECT_TRUE(parseParams("  null ").empty());
  EXPECT_TRUE(parseParams("[]").empty());
}

TEST(DatabaseParams, RefusalsSayWhy) {
  const auto refused = [](const std::string& json) -> std::string {
    try {
      parseParams(json);
    } catch (const DbError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::invalid);
      return e.what();
    }
    return "accepted";
  };
  EXPECT_NE(refused("{\"a\":1}").find("must be a JSON array"), std::string::npos);
  EXPECT_NE(refused("[1,").find("not valid JSON"), std::string::npos);
  EXPECT_NE(refused("[1, 18446744073709551615]").find("parameter $2: integer out of"),
            std::string::npos);
}

TEST(DatabasePlaceholders, DollarNumbersBecomeSqliteNumberedParameters) {
  EXPECT_EQ(toSqlitePlaceholders("SELECT $1, $2 WHERE a = $10"), "SELECT ?1, ?2 WHERE a = ?10");
  EXPECT_EQ(toSqlitePlaceholders("SELECT $2 AS b, $1 AS a"), "SELECT ?2 AS b, ?1 AS a");
}

TEST(DatabasePlaceholders, LiteralsIdentifiersAndCommentsAreLeftAlone) {
  EXPECT_EQ(toSqlitePlaceholders("SELECT '$1', \"$2\", `$3`, [$4], $5"),
            "SELECT '$1', \"$2\", `$3`, [$4], ?5");
  EXPECT_EQ(toSqlitePlaceholders("SELECT 'it''s $1', $1"), "SELECT 'it''s $1', ?1");
  EXPECT_EQ(toSqlitePlaceholders("SELECT $1 -- not $2\n, $3 /* nor $4 */"),
            "SELECT ?1 -- not $2\n, ?3 /* nor $4 */");
  EXPECT_EQ(toSqlitePlaceholders("SELECT a$1, $x"), "SELECT a$1, $x");
  EXPECT_EQ(toSqlitePlaceholders("SELECT 'unterminated $1"), "SELECT 'unterminated $1");
}

TEST(DatabaseJson, StringsAreEscapedAndInvalidUtf8Replaced) {
  std::string out;
  appendJsonString(out, "a\"b\\c\n\x01 h\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001 h\xC3\xA9 \xF0\x9F\x98\x80\"");
  out.clear();
  appendJsonString(out, "bad \xC3 and \xFF and \xED\xA0\x80");  // cut, invalid, surrogate
  EXPECT_EQ(out, "\"bad \\ufffd and \\ufffd and \\ufffd\\ufffd\\ufffd\"");
}

TEST(DatabaseJson, DoublesRoundTripAndNonFiniteAreStrings) {
  std::string out;
  appendJsonDouble(out, 0.1);
  EXPECT_EQ(out, "0.1");
  EXPECT_EQ(std::stod(doubleText(1.0 / 3)), 1.0 / 3);
  out.clear();
  appendJsonDouble(out, std::nan(""));
  appendJsonDouble(out, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(out, "\"NaN\"\"-Infinity\"");
}

TEST(DatabaseJson, Base64) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\x00\x01\xff", 3)), "AAH/");
}

TEST(DatabaseJson, JsonNumbers) {
  for (const char* yes : {"0", "-0", "12", "-3.25", "1e+300", "2.5E-3", "12345678901234567890.5"})
    EXPECT_TRUE(isJsonNumber(yes)) << yes;
  for (const char* no : {"", "-", "01", "1.", ".5", "NaN", "Infinity", "-Infinity", "1e", "0x1"})
    EXPECT_FALSE(isJsonNumber(no)) << no;
}

}  // namespace
}  // namespace warren::db
