// A Lua script run by its SHA1 (EVALSHA), so the source crosses the wire only when the server does
// not know it yet: once per server start, after SCRIPT FLUSH, or on a new server after failover.
//
// A script may also belong to a function library: on servers with functions (Redis 7.0+) it then
// runs as FCALL of its function. The library's top level (helpers, constants) runs once per
// FUNCTION LOAD instead of once per call, which is most of a short script's cost.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "redis/Connection.h"
#include "redis/Reply.h"

namespace warren::redis {

struct FunctionLibrary {
  std::string name;    // as in the source's first line, "#!lua name=<name>"
  std::string source;  // FUNCTION LOAD's argument
};

class Script {
 public:
  // `name` is for messages and logs only. This script always runs with EVALSHA.
  Script(std::string name, std::string source);
  // Runs as FCALL `function` of `library` where the server has functions, else as `source`.
  Script(std::string name, std::string source, std::shared_ptr<const FunctionLibrary> library,
         std::string function);

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }  // lowercase hex, as Redis reports it

  // EVALSHA (or FCALL); when the server does not know the script, loads it and calls once more.
  // Such a reply means the script did not run, so the second call cannot run it twice. Other
  // error replies (including errors raised by the script) are returned as they are.
  Reply run(Connection& connection, const std::vector<std::string>& keys,
            const std::vector<std::string>& args) const;

  // How this script runs on the connection's server. The first call after a (re)connect finds out
  // (FUNCTION LIST) and loads the library if it is missing; a server without functions (before
  // 7.0), one that refuses FUNCTION (ACL), or options.useFunctions = false gives `eval`.
  // Throws std::runtime_error if the server refuses the library's source (a syntax error).
  ScriptMode prepare(Connection& connection) const;

  // The FCALL or EVALSHA command, for callers that build their own pipeline.
  std::vector<std::string> argv(ScriptMode mode, const std::vector<std::string>& keys,
                                const std::vector<std::string>& args) const;
  std::vector<std::string> evalshaArgv(const std::vector<std::string>& keys,
                                       const std::vector<std::string>& args) const;

  // prepare(), and in eval mode makes sure the server knows the script (SCRIPT EXISTS, then
  // SCRIPT LOAD if needed). Call before a pipeline of argv() commands. A flush can still slip in
  // between, so check the replies with isMissing(): such a call did not run and may be sent again.
  ScriptMode ensureLoaded(Connection& connection) const;

  // SCRIPT LOAD (eval) or FUNCTION LOAD (functions; a library already there is fine). Throws
  // std::runtime_error if the server refuses the source or reports a different SHA1.
  void load(Connection& connection, ScriptMode mode = ScriptMode::eval) const;

  struct Call {
    std::vector<std::string> keys;
    std::vector<std::string> args;
  };
  // Runs many calls in one pipeline: ensureLoaded, pipeline, then calls that met a missing script
  // (a flush raced us) are loaded and re-sent in a second pipeline. Replies are in the order of
  // `calls`, but re-sent calls ran after the others: use this only when their order does not
  // matter.
  std::vector<Reply> runBatch(Connection& connection, const std::vector<Call>& calls) const;

  static bool isNoScript(const Reply& reply) { return reply.isError("NOSCRIPT"); }
  // The server did not know the script or function (or, after a reconnect to an older server,
  // the FCALL command): the call did not run. Call prepare() and load() before sending it again.
  static bool isMissing(const Reply& reply);

 private:
  bool loadLibrary(Connection& connection) const;

  std::string name_;
  std::string source_;
  std::string sha1_;
  std::shared_ptr<const FunctionLibrary> library_;
  std::string function_;
};

}  // namespace warren::redis
