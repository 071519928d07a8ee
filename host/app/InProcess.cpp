#include "app/InProcess.h"

#include "app/Commands.h"
#include "app/PluginMigrations.h"
#include "plugins/Generation.h"
#include "plugins/Library.h"

#include <unistd.h>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace warren::app {
namespace {

const config::QueueConfig* queueOf(const config::Config& config, const std::string& plugin,
                                   const std::string& queue) {
  for (const auto& q : config.queues) {
    if (!queue.empty() ? q.name == queue : q.plugin == plugin) return &q;
  }
  if (!queue.empty()) {
    throw config::ConfigError("queue '" + queue + "' is not in the configuration");
  }
  return nullptr;
}

}  // namespace

InProcessPlugin::InProcessPlugin(const config::Config& config, const std::string& plugin,
                                 const std::string& queue) {
  services_ = openServices(config, 1, 1);
  const config::QueueConfig* q = queueOf(config, plugin, queue);
  const std::string name = q != nullptr ? q->plugin : plugin;
  auto library = plugins::Library::load(plugins::Library::resolve(name, config.pluginDir));
  migratePlugin(*services_.database, *library);
  if (q != nullptr && !q->migrations.empty()) {
    const db::MigrationReport report =
        services_.database->runMigrations("plugin:" + q->plugin, q->migrations);
    if (!report.ok) {
      throw plugins::PluginError("migrations of queue '" + q->name + "' failed: " + report.error);
    }
  }
  const plugins::ConfigValues given = q != nullptr ? q->pluginConfig : plugins::ConfigValues{};
  const plugins::ConfigValues values =
      plugins::withInherited(library->info(), given, pluginSecrets(config));
  instance_ = std::make_shared<plugins::Instance>(std::move(library), values, "call");
}

plugins::JobOutcome InProcessPlugin::run(const std::string& name, const std::string& data,
                                         const std::function<void(const std::string&)>& logLine) {
  plugins::JobInput input;
  input.id = "call-" + std::to_string(::getpid()) + "-" +
             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  input.name = name;
  input.queue = "";  // no queue: an operator's in-process call
  input.data = data;
  plugins::JobSinks sinks;
  sinks.log = [logLine](const std::string& line) {
    if (logLine) logLine(line);
    return true;
  };
  sinks.progress = [](const std::string&) { return true; };
  plugins::JobContext context(std::move(input), std::move(sinks));
  return instance_->handle(context);
}

std::string jobDataArgument(const std::string& text) {
  if (text == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  if (!text.empty() && text.front() == '@') {
    std::ifstream in(text.substr(1));
    if (!in) throw config::ConfigError("cannot read job data file " + text.substr(1));
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }
  return text;
}

}  // namespace warren::app
