// A Lua script run by its SHA1 (EVALSHA), so the source crosses the wire only when the server does
// not know it yet: once per server start, after SCRIPT FLUSH, or on a new server after failover.
#pragma once

#include <string>
#include <vector>

#include "redis/Connection.h"
#include "redis/Reply.h"

namespace warren::redis {

class Script {
 public:
  // `name` is for messages and logs only.
  Script(std::string name, std::string source);

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }  // lowercase hex, as Redis reports it

  // EVALSHA; on a NOSCRIPT error reply, SCRIPT LOAD and EVALSHA once more. NOSCRIPT means the
  // script did not run, so the second call cannot run it twice. Other error replies (including
  // errors raised by the script) are returned as they are.
  Reply run(Connection& connection, const std::vector<std::string>& keys,
            const std::vector<std::string>& args) const;

  // The EVALSHA command, for callers that build their own pipeline.
  std::vector<std::string> evalshaArgv(const std::vector<std::string>& keys,
                                       const std::vector<std::string>& args) const;

  // Makes sure the server knows the script (SCRIPT EXISTS, then SCRIPT LOAD if needed). Call
  // before a pipeline of evalshaArgv() commands. A SCRIPT FLUSH can still slip in between, so
  // check the replies with isNoScript(): such a call did not run and may be sent again.
  void ensureLoaded(Connection& connection) const;

  // SCRIPT LOAD. Throws std::runtime_error if the server refuses the source (syntax error) or
  // reports a different SHA1.
  void load(Connection& connection) const;

  struct Call {
    std::vector<std::string> keys;
    std::vector<std::string> args;
  };
  // Runs many calls in one pipeline: ensureLoaded, pipeline, then calls that met NOSCRIPT (a flush
  // raced us) are loaded and re-sent in a second pipeline. Replies are in the order of `calls`,
  // but re-sent calls ran after the others: use this only when their order does not matter.
  std::vector<Reply> runBatch(Connection& connection, const std::vector<Call>& calls) const;

  static bool isNoScript(const Reply& reply) { return reply.isError("NOSCRIPT"); }

 private:
  std::string name_;
  std::string source_;
  std::string sha1_;
};

}  // namespace warren::redis
