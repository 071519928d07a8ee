// JSON log lines: valid JSON with the identity fields, escaping that no message can break out
// of, secret redaction, and the level filter. Lines are parsed back with Poco::JSON.
#include "StderrCapture.h"

#include "log/Log.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

namespace warren::test {
namespace {

using log::Level;

Poco::JSON::Object::Ptr parse(const std::string& line) {
  Poco::JSON::Parser parser;
  return parser.parse(line).extract<Poco::JSON::Object::Ptr>();
}

class LogLines : public ::testing::Test {
 protected:
  void SetUp() override { log::configure({"warren", "1.2.3", "node-a"}, Level::info); }
  void TearDown() override { log::setLevel(Level::info); }
};

TEST_F(LogLines, CarriesIdentityLevelTimeAndFields) {
  const std::string line =
      log::formatLine(Level::warn, "job failed",
                      {{"queue", "emails"}, {"attempt", 3}, {"seconds", 1.5}, {"final", false}});
  const auto o = parse(line);
  EXPECT_EQ(o->getValue<std::string>("service"), "warren");
  EXPECT_EQ(o->getValue<std::string>("version"), "1.2.3");
  EXPECT_EQ(o->getValue<std::string>("instance"), "node-a");
  EXPECT_EQ(o->getValue<std::string>("level"), "warn");
  EXPECT_EQ(o->getValue<std::string>("msg"), "job failed");
  EXPECT_EQ(o->getValue<std::string>("queue"), "emails");
  EXPECT_EQ(o->getValue<int>("attempt"), 3);
  EXPECT_DOUBLE_EQ(o->getValue<double>("seconds"), 1.5);
  EXPECT_FALSE(o->getValue<bool>("final"));
  EXPECT_TRUE(std::regex_match(o->getValue<std::string>("ts"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << o->getValue<std::string>("ts");
  EXPECT_EQ(line.find('\n'), std::string::npos) << "one line per record";
}

TEST_F(LogLines, EscapesEverythingJsonRequires) {
  const std::string nasty = std::string("quote \" backslash \\ newline \n return \r tab \t ") +
                            "bell \x07 unit-separator \x1f nul " + std::string(1, '\0') +
                            " utf8 h\xC3\xA9llo";
  const std::string line = log::formatLine(Level::info, nasty, {{"field", nasty}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto o = parse(line);
  EXPECT_EQ(o->getValue<std::string>("msg"), nasty);
  EXPECT_EQ(o->getValue<std::string>("field"), nasty);
}

TEST_F(LogLines, AMessageCannotInjectFields) {
  const std::string attack = R"(ok","level":"error","service":"evil","x":")";
  const auto o = parse(log::formatLine(Level::info, attack, {{"k", attack}}));
  EXPECT_EQ(o->getValue<std::string>("level"), "info");
  EXPECT_EQ(o->getValue<std::string>("service"), "warren");
  EXPECT_FALSE(o->has("x"));
  EXPECT_EQ(o->getValue<std::string>("msg"), attack);
  EXPECT_EQ(o->size(), 7u);  // ts level service version instance msg k
}

TEST_F(LogLines, NonFiniteNumbersBecomeNull) {
  const auto o = parse(log::formatLine(Level::info, "m", {{"nan", std::nan("")}}));
  EXPECT_TRUE(o->isNull("nan"));
}

TEST_F(LogLines, RegisteredSecretsAreRedactedEverywhere) {
  log::addSecret("hunter2-redact-me");
  const std::string line = log::formatLine(Level::info, "password is hunter2-redact-me!",
                                           {{"url", "redis://:hunter2-redact-me@host"}});
  EXPECT_EQ(line.find("hunter2-redact-me"), std::string::npos) << line;
  const auto o = parse(line);
  EXPECT_EQ(o->getValue<std::string>("msg"), "password is ***!");
  EXPECT_EQ(o->getValue<std::string>("url"), "redis://:***@host");
}

TEST_F(LogLines, SecretsWithJsonSpecialCharactersAreRedacted) {
  const std::string secret = R"(pa"ss\word)";
  log::addSecret(secret);
  const std::string line = log::formatLine(Level::info, "secret: " + secret, {});
  const auto o = parse(line);
  EXPECT_EQ(o->getValue<std::string>("msg"), "secret: ***");
}

TEST_F(LogLines, RedactionNeverBreaksAnEscapeSequence) {
  // Escaped, the message "a\nabcxyz" reads a\nabcxyz, which contains the secret "nabcxyz"
  // although the message does not. Redacting the escaped line would leave an invalid "\***";
  // redaction works on the raw values, before escaping.
  log::addSecret("nabcxyz");
  const std::string line = log::formatLine(Level::info, "a\nabcxyz", {});
  EXPECT_EQ(parse(line)->getValue<std::string>("msg"), "a\nabcxyz");
}

TEST_F(LogLines, VeryShortSecretsAreNotRedacted) {
  log::addSecret("ab");  // would mangle ordinary text
  EXPECT_EQ(parse(log::formatLine(Level::info, "abc", {}))->getValue<std::string>("msg"), "abc");
}

TEST_F(LogLines, WriteHonoursTheLevel) {
  log::setLevel(Level::warn);
  StderrCapture capture;
  log::info("not written");
  log::warn("written", {{"n", 1}});
  log::error("also written");
  const std::string out = capture.finish();
  EXPECT_EQ(out.find("not written"), std::string::npos);
  const auto newline = out.find('\n');
  ASSERT_NE(newline, std::string::npos);
  EXPECT_EQ(parse(out.substr(0, newline))->getValue<std::string>("msg"), "written");
  EXPECT_EQ(parse(out.substr(newline + 1))->getValue<std::string>("level"), "error");
}

TEST_F(LogLines, OffWritesNothing) {
  log::setLevel(Level::off);
  StderrCapture capture;
  log::error("nothing");
  EXPECT_EQ(capture.finish(), "");
  EXPECT_FALSE(log::enabled(Level::off));
}

TEST(LogLevels, ParseAndName) {
  EXPECT_EQ(log::parseLevel("trace"), Level::trace);
  EXPECT_EQ(log::parseLevel("debug"), Level::debug);
  EXPECT_EQ(log::parseLevel("info"), Level::info);
  EXPECT_EQ(log::parseLevel("warn"), Level::warn);
  EXPECT_EQ(log::parseLevel("warning"), Level::warn);
  EXPECT_EQ(log::parseLevel("error"), Level::error);
  EXPECT_EQ(log::parseLevel("off"), Level::off);
  EXPECT_EQ(log::levelName(Level::warn), "warn");
  try {
    log::parseLevel("loud");
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "'loud' is not a log level (trace, debug, info, warn, error, off)");
  }
}

TEST(LogLevels, EnabledFollowsTheThreshold) {
  log::setLevel(Level::debug);
  EXPECT_FALSE(log::enabled(Level::trace));
  EXPECT_TRUE(log::enabled(Level::debug));
  EXPECT_TRUE(log::enabled(Level::error));
  log::setLevel(Level::info);
}

}  // namespace
}  // namespace warren::test
