#include "redis/Script.h"

#include <stdexcept>

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

namespace warren::redis {
namespace {

std::string sha1Hex(const std::string& text) {
  Poco::SHA1Engine engine;
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

bool startsWith(const std::string& text, const std::string& head) {
  return text.compare(0, head.size(), head) == 0;
}

// FUNCTION LOAD's answer when another connection loaded the same library first.
bool alreadyLoaded(const Reply& reply) {
  return reply.isError() && reply.str().find("already exists") != std::string::npos;
}

// A refusal that says "this server cannot or may not use functions", as opposed to a library
// the server could not compile.
bool functionsUnavailable(const Reply& reply) {
  const std::string& text = reply.str();
  return startsWith(text, "ERR unknown command") || startsWith(text, "ERR unknown subcommand") ||
         startsWith(text, "NOPERM");
}

std::vector<std::string> scriptCommand(const char* verb, const std::string& target,
                                       const std::vector<std::string>& keys,
                                       const std::vector<std::string>& args) {
  std::vector<std::string> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.emplace_back(verb);
  argv.push_back(target);
  argv.push_back(std::to_string(keys.size()));
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

Script::Script(std::string name, std::string source)
    : name_(std::move(name)), source_(std::move(source)), sha1_(sha1Hex(source_)) {}

Script::Script(std::string name, std::string source, std::shared_ptr<const FunctionLibrary> library,
               std::string function)
    : name_(std::move(name)),
      source_(std::move(source)),
      sha1_(sha1Hex(source_)),
      library_(std::move(library)),
      function_(std::move(function)) {}

std::vector<std::string> Script::evalshaArgv(const std::vector<std::string>& keys,
                                             const std::vector<std::string>& args) const {
  return scriptCommand("EVALSHA", sha1_, keys, args);
}

std::vector<std::string> Script::argv(ScriptMode mode, const std::vector<std::string>& keys,
                                      const std::vector<std::string>& args) const {
  if (mode == ScriptMode::functions && library_)
    return scriptCommand("FCALL", function_, keys, args);
  return evalshaArgv(keys, args);
}

bool Script::isMissing(const Reply& reply) {
  if (!reply.isError()) return false;
  const std::string& text = reply.str();
  return isNoScript(reply) || startsWith(text, "ERR Function not found") ||
         (startsWith(text, "ERR unknown command") &&
          (text.find("FCALL") != std::string::npos || text.find("fcall") != std::string::npos));
}

ScriptMode Script::prepare(Connection& connection) const {
  if (!library_) return ScriptMode::eval;
  if (connection.scriptMode() != ScriptMode::unknown) return connection.scriptMode();
  ScriptMode mode = ScriptMode::functions;
  const Reply listed = connection.command({"FUNCTION", "LIST", "LIBRARYNAME", library_->name});
  if (listed.isError()) {
    mode = ScriptMode::eval;  // no FUNCTION command (before 7.0), or not allowed to use it
  } else if (listed.asArray().empty() && !loadLibrary(connection)) {
    mode = ScriptMode::eval;
  }
  connection.setScriptMode(mode);
  return mode;
}

// FUNCTION LOAD. False when the server cannot or may not use functions; throws when it refuses
// the library itself.
bool Script::loadLibrary(Connection& connection) const {
  const Reply reply = connection.command({"FUNCTION", "LOAD", library_->source});
  if (!reply.isError() || alreadyLoaded(reply)) return true;
  if (functionsUnavailable(reply)) return false;
  throw std::runtime_error("Redis refused function library '" + library_->name +
                           "': " + reply.str());
}

Reply Script::run(Connection& connection, const std::vector<std::string>& keys,
                  const std::vector<std::string>& args) const {
  ScriptMode mode = prepare(connection);
  Reply reply = connection.command(argv(mode, keys, args));
  if (!isMissing(reply)) return reply;
  mode = prepare(connection);  // after a reconnect it looks at the (maybe different) server again
  load(connection, mode);
  return connection.command(argv(mode, keys, args));
}

void Script::load(Connection& connection, ScriptMode mode) const {
  if (mode == ScriptMode::functions && library_) {
    if (!loadLibrary(connection))
      throw std::runtime_error("Redis refused function library '" + library_->name +
                               "': functions are no longer available on this connection");
    return;
  }
  const Reply reply = connection.command({"SCRIPT", "LOAD", source_});
  if (reply.isError())
    throw std::runtime_error("Redis refused script '" + name_ + "': " + reply.str());
  if (reply.asString() != sha1_)
    throw std::runtime_error("Redis loaded script '" + name_ + "' as " + reply.str() +
                             " but we computed " + sha1_);
}

ScriptMode Script::ensureLoaded(Connection& connection) const {
  const ScriptMode mode = prepare(connection);
  if (mode == ScriptMode::functions) return mode;
  const Reply exists = connection.command({"SCRIPT", "EXISTS", sha1_});
  const auto& flags = exists.asArray();
  if (flags.size() != 1 || flags[0].integer() != 1) load(connection, mode);
  return mode;
}

std::vector<Reply> Script::runBatch(Connection& connection, const std::vector<Call>& calls) const {
  if (calls.empty()) return {};
  ScriptMode mode = ensureLoaded(connection);
  std::vector<std::vector<std::string>> commands;
  commands.reserve(calls.size());
  for (const auto& call : calls) commands.push_back(argv(mode, call.keys, call.args));
  std::vector<Reply> replies = connection.pipeline(commands);

  std::vector<std::size_t> missed;
  for (std::size_t i = 0; i < replies.size(); ++i)
    if (isMissing(replies[i])) missed.push_back(i);
  if (missed.empty()) return replies;

  mode = prepare(connection);
  load(connection, mode);
  std::vector<std::vector<std::string>> again;
  again.reserve(missed.size());
  for (std::size_t i : missed) again.push_back(argv(mode, calls[i].keys, calls[i].args));
  std::vector<Reply> retried = connection.pipeline(again);
  for (std::size_t j = 0; j < missed.size(); ++j) replies[missed[j]] = std::move(retried[j]);
  return replies;
}

}  // namespace warren::redis
