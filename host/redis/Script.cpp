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

}  // namespace

Script::Script(std::string name, std::string source)
    : name_(std::move(name)), source_(std::move(source)), sha1_(sha1Hex(source_)) {}

std::vector<std::string> Script::evalshaArgv(const std::vector<std::string>& keys,
                                             const std::vector<std::string>& args) const {
  std::vector<std::string> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.push_back("EVALSHA");
  argv.push_back(sha1_);
  argv.push_back(std::to_string(keys.size()));
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

Reply Script::run(Connection& connection, const std::vector<std::string>& keys,
                  const std::vector<std::string>& args) const {
  const auto argv = evalshaArgv(keys, args);
  Reply reply = connection.command(argv);
  if (!isNoScript(reply)) return reply;
  load(connection);
  return connection.command(argv);
}

void Script::load(Connection& connection) const {
  const Reply reply = connection.command({"SCRIPT", "LOAD", source_});
  if (reply.isError())
    throw std::runtime_error("Redis refused script '" + name_ + "': " + reply.str());
  if (reply.asString() != sha1_)
    throw std::runtime_error("Redis loaded script '" + name_ + "' as " + reply.str() +
                             " but we computed " + sha1_);
}

void Script::ensureLoaded(Connection& connection) const {
  const Reply exists = connection.command({"SCRIPT", "EXISTS", sha1_});
  const auto& flags = exists.asArray();
  if (flags.size() == 1 && flags[0].integer() == 1) return;
  load(connection);
}

std::vector<Reply> Script::runBatch(Connection& connection, const std::vector<Call>& calls) const {
  if (calls.empty()) return {};
  ensureLoaded(connection);
  std::vector<std::vector<std::string>> commands;
  commands.reserve(calls.size());
  for (const auto& call : calls) commands.push_back(evalshaArgv(call.keys, call.args));
  std::vector<Reply> replies = connection.pipeline(commands);

  std::vector<std::size_t> missed;
  for (std::size_t i = 0; i < replies.size(); ++i)
    if (isNoScript(replies[i])) missed.push_back(i);
  if (missed.empty()) return replies;

  load(connection);
  std::vector<std::vector<std::string>> again;
  again.reserve(missed.size());
  for (std::size_t i : missed) again.push_back(commands[i]);
  std::vector<Reply> retried = connection.pipeline(again);
  for (std::size_t j = 0; j < missed.size(); ++j) replies[missed[j]] = std::move(retried[j]);
  return replies;
}

}  // namespace warren::redis
