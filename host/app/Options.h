// What the command line said, before the configuration is resolved.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace warren::app {

struct Options {
  std::vector<std::string> args;  // the subcommand and its positional arguments
  std::string configFile;
  std::vector<std::string> sets;  // --set KEY=VALUE
  std::string plugin;             // run: serve one queue with this plugin
  std::string queue;
  std::optional<std::string> concurrency;
  std::optional<std::string> logLevel;
  std::string data = "{}";  // enqueue
  std::string opts = "{}";
  bool wait = false;
  std::optional<std::string> postsPerDay;  // plan
  std::optional<std::string> materialsPerDay;
  bool observed = false;
  bool json = false;
  bool basic = false;                  // demo: the echo and video batch instead of the pipeline
  std::optional<std::string> timeout;  // drain: seconds to wait for the node to empty
  std::optional<std::string> id;       // dlq: one dead letter
  std::optional<std::string> reason;   // cancel
};

}  // namespace warren::app
