#include <memory>
#include <string>
#include <vector>

#include "Helpers.h"
#include "redis/Script.h"

namespace warren::redis::testing {
namespace {

using warren::test::RedisServer;

// SCRIPT LOAD calls so far, from INFO commandstats (Redis 7 names it cmdstat_script|load).
long long scriptLoads(Connection& admin) {
  const std::string stats = admin.command({"INFO", "commandstats"}).asString();
  const std::string tag = "cmdstat_script|load:calls=";
  const auto at = stats.find(tag);
  return at == std::string::npos ? 0 : std::stoll(stats.substr(at + tag.size()));
}

const char* const kEcho = "return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1] .. ':runs')}";

TEST(RedisScript, FirstRunLoadsThenUsesEvalsha) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script("echo", kEcho);
  EXPECT_EQ(connection.command({"SCRIPT", "EXISTS", script.sha1()}),
            Reply::array({Reply::integer(0)}));
  EXPECT_EQ(script.run(connection, {"k"}, {"v"}),
            Reply::array({Reply::string("k"), Reply::string("v"), Reply::integer(1)}));
  EXPECT_EQ(script.run(connection, {"k"}, {"w"}),
            Reply::array({Reply::string("k"), Reply::string("w"), Reply::integer(2)}));
  EXPECT_EQ(scriptLoads(connection), 1) << "loaded once, then EVALSHA only";
}

TEST(RedisScript, NoscriptAfterFlushReloadsTransparently) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script("echo", kEcho);
  ASSERT_FALSE(script.run(connection, {"k"}, {"1"}).isError());
  ASSERT_EQ(connection.command({"SCRIPT", "FLUSH"}), Reply::status("OK"));
  const Reply reply = script.run(connection, {"k"}, {"2"});
  EXPECT_EQ(reply, Reply::array({Reply::string("k"), Reply::string("2"), Reply::integer(2)}))
      << reply.describe();
  EXPECT_EQ(scriptLoads(connection), 2);
  EXPECT_EQ(connection.command({"GET", "k:runs"}), Reply::string("2")) << "each call ran once";
}

TEST(RedisScript, ScriptErrorsAreRepliesAndDoNotReload) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  connection.command({"RPUSH", "list", "x"});
  const Script script("incr", "return redis.call('INCR', KEYS[1])");
  const Reply reply = script.run(connection, {"list"}, {});
  EXPECT_TRUE(reply.isError("WRONGTYPE")) << reply.describe();
  EXPECT_EQ(scriptLoads(connection), 1);
}

TEST(RedisScript, SyntaxErrorThrowsNamingTheScript) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script("broken-one", "return +");
  try {
    script.run(connection, {}, {});
    FAIL() << "ran a broken script";
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(contains(e.what(), "Redis refused script 'broken-one'")) << e.what();
  }
}

TEST(RedisScript, EnsureLoadedThenPipeline) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script("echo", kEcho);
  script.ensureLoaded(connection);
  script.ensureLoaded(connection);  // already there: no second load
  EXPECT_EQ(scriptLoads(connection), 1);
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 100; ++i) commands.push_back(script.evalshaArgv({"p"}, {std::to_string(i)}));
  const auto replies = connection.pipeline(commands);
  ASSERT_EQ(replies.size(), 100u);
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(replies[i], Reply::array({Reply::string("p"), Reply::string(std::to_string(i)),
                                        Reply::integer(i + 1)}));
}

TEST(RedisScript, NoscriptInAPipelineIsDetectable) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script("echo", kEcho);
  script.ensureLoaded(connection);
  const auto replies = connection.pipeline(
      {script.evalshaArgv({"a"}, {"1"}), {"SCRIPT", "FLUSH"}, script.evalshaArgv({"a"}, {"2"})});
  EXPECT_FALSE(Script::isNoScript(replies[0]));
  EXPECT_TRUE(Script::isNoScript(replies[2])) << replies[2].describe();
}

TEST(RedisScript, RunBatchLoadsAndKeepsOrder) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script("echo", kEcho);
  std::vector<Script::Call> calls;
  for (int i = 0; i < 50; ++i)
    calls.push_back({{"b" + std::to_string(i % 2)}, {std::to_string(i)}});
  const auto replies = script.runBatch(connection, calls);
  ASSERT_EQ(replies.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(replies[i].isArray()) << replies[i].describe();
    EXPECT_EQ(replies[i].elements()[1], Reply::string(std::to_string(i)));
    EXPECT_EQ(replies[i].elements()[2], Reply::integer(i / 2 + 1));
  }
}

// Calls of one command so far (INFO commandstats), e.g. "fcall" or "function|load".
long long commandCalls(Connection& admin, const std::string& command) {
  const std::string stats = admin.command({"INFO", "commandstats"}).asString();
  const std::string tag = "cmdstat_" + command + ":calls=";
  const auto at = stats.find(tag);
  return at == std::string::npos ? 0 : std::stoll(stats.substr(at + tag.size()));
}

// The same work as a library function (helper defined at load) and as an EVAL script.
std::shared_ptr<const FunctionLibrary> counterLibrary() {
  return std::make_shared<FunctionLibrary>(
      FunctionLibrary{"t_lib",
                      "#!lua name=t_lib\n"
                      "local function bump(key) return redis.call('INCR', key .. ':runs') end\n"
                      "redis.register_function('t_lib_bump', function(keys, args)\n"
                      "  return {keys[1], args[1], bump(keys[1])} end)\n"});
}

Script counterScript() {
  return Script("bump", kEcho, counterLibrary(), "t_lib_bump");
}

TEST(RedisScript, LibraryScriptRunsAsFcallAfterOneLoad) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script = counterScript();
  EXPECT_EQ(script.run(connection, {"k"}, {"v"}),
            Reply::array({Reply::string("k"), Reply::string("v"), Reply::integer(1)}));
  EXPECT_EQ(script.run(connection, {"k"}, {"w"}),
            Reply::array({Reply::string("k"), Reply::string("w"), Reply::integer(2)}));
  EXPECT_EQ(connection.scriptMode(), ScriptMode::functions);
  EXPECT_EQ(commandCalls(connection, "fcall"), 2);
  EXPECT_EQ(commandCalls(connection, "function|load"), 1);
  EXPECT_EQ(commandCalls(connection, "evalsha"), 0);

  // A second connection finds the library there and does not load it again.
  Connection other(Url::parse(server.url()), quickOptions());
  EXPECT_FALSE(script.run(other, {"k"}, {"x"}).isError());
  EXPECT_EQ(commandCalls(connection, "function|load"), 1);
}

TEST(RedisScript, FunctionFlushReloadsTheLibraryAndRunsEachCallOnce) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script = counterScript();
  ASSERT_FALSE(script.run(connection, {"k"}, {"1"}).isError());
  ASSERT_EQ(connection.command({"FUNCTION", "FLUSH"}), Reply::status("OK"));
  const Reply reply = script.run(connection, {"k"}, {"2"});
  EXPECT_EQ(reply, Reply::array({Reply::string("k"), Reply::string("2"), Reply::integer(2)}))
      << reply.describe();
  EXPECT_EQ(commandCalls(connection, "function|load"), 2);

  // In a pipeline the lost function shows as a missing script, and runBatch re-sends it.
  ASSERT_EQ(connection.command({"FUNCTION", "FLUSH"}), Reply::status("OK"));
  const auto replies = script.runBatch(connection, {{{"k"}, {"3"}}, {{"k"}, {"4"}}});
  EXPECT_EQ(replies[1], Reply::array({Reply::string("k"), Reply::string("4"), Reply::integer(4)}))
      << replies[1].describe();
  EXPECT_EQ(connection.command({"GET", "k:runs"}), Reply::string("4")) << "each call ran once";
}

TEST(RedisScript, FunctionsSwitchedOffRunEvalsha) {
  RedisServer server;
  ConnectionOptions options = quickOptions();
  options.useFunctions = false;
  Connection connection(Url::parse(server.url()), options);
  const Script script = counterScript();
  EXPECT_EQ(script.run(connection, {"k"}, {"v"}),
            Reply::array({Reply::string("k"), Reply::string("v"), Reply::integer(1)}));
  EXPECT_EQ(connection.scriptMode(), ScriptMode::eval);
  EXPECT_EQ(commandCalls(connection, "evalsha"), 2) << "NOSCRIPT, then the run";
  EXPECT_EQ(commandCalls(connection, "fcall"), 0);
  EXPECT_EQ(connection.command({"FUNCTION", "LIST"}), Reply::array({}));
}

TEST(RedisScript, ServerWithoutFunctionsGetsEvalsha) {
  // Redis 6.2 has neither FUNCTION nor FCALL; renaming them away makes this server look like it.
  RedisServer server(std::vector<std::string>{"--rename-command", "FUNCTION", "",
                                              "--rename-command", "FCALL", ""});
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script = counterScript();
  EXPECT_EQ(script.run(connection, {"k"}, {"v"}),
            Reply::array({Reply::string("k"), Reply::string("v"), Reply::integer(1)}));
  EXPECT_EQ(connection.scriptMode(), ScriptMode::eval);
  EXPECT_EQ(commandCalls(connection, "evalsha"), 2) << "NOSCRIPT, then the run";
}

TEST(RedisScript, ReconnectLooksAtTheServerAgain) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script = counterScript();
  ASSERT_EQ(script.prepare(connection), ScriptMode::functions);
  connection.reconnect();
  EXPECT_EQ(connection.scriptMode(), ScriptMode::unknown);
  EXPECT_EQ(script.prepare(connection), ScriptMode::functions);
}

TEST(RedisScript, LibraryTheServerCannotCompileThrowsNamingIt) {
  RedisServer server;
  Connection connection(Url::parse(server.url()), quickOptions());
  const Script script("broken", "return 1",
                      std::make_shared<FunctionLibrary>(
                          FunctionLibrary{"t_broken", "#!lua name=t_broken\nreturn +"}),
                      "t_broken_run");
  try {
    script.run(connection, {}, {});
    FAIL() << "loaded a broken library";
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(contains(e.what(), "Redis refused function library 't_broken': ERR Error"))
        << e.what();
  }
}

}  // namespace
}  // namespace warren::redis::testing
