#include "queue/Scripts.h"

#include <array>
#include <memory>
#include <stdexcept>
#include <string>

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

namespace warren::queue {
namespace {

constexpr std::array<const char*, 12> kNames = {"add",      "fetch",  "finish",    "retry",
                                                "delay",    "extend", "stalled",   "requeue",
                                                "progress", "log",    "scheduler", "upsert"};

std::string body(const char* name) {
  const std::string_view text = embeddedScript(name);
  if (text.empty()) throw std::logic_error(std::string("no embedded script ") + name);
  return std::string(text);
}

// Every body defines `main`; the prelude's beginCall takes the call's arguments.
std::string evalSource(const char* name) {
  return "local callArgs = ARGV\n" + std::string(embeddedScript("prelude")) + "\n" + body(name) +
         "\nbeginCall(callArgs)\nreturn main()\n";
}

std::string textsHash() {
  Poco::SHA1Engine engine;
  engine.update(std::string(embeddedScript("prelude")));
  for (const char* name : kNames) engine.update(body(name));
  return Poco::DigestEngine::digestToHex(engine.digest()).substr(0, 16);
}

std::shared_ptr<const redis::FunctionLibrary> buildLibrary() {
  auto library = std::make_shared<redis::FunctionLibrary>();
  library->name = "warren_" + textsHash();
  std::string& source = library->source;
  source = "#!lua name=" + library->name + "\n" + std::string(embeddedScript("prelude")) + "\n";
  for (const char* name : kNames) {
    // Each body in its own block: its `main` and helpers do not clash with the others'.
    source += "do\n" + body(name) + "\nredis.register_function('" + library->name + "_" + name +
              "', function(_, args) beginCall(args) return main() end)\nend\n";
  }
  return library;
}

const std::shared_ptr<const redis::FunctionLibrary>& library() {
  static const std::shared_ptr<const redis::FunctionLibrary> built = buildLibrary();
  return built;
}

redis::Script build(const char* name) {
  return redis::Script(std::string("warren:") + name, evalSource(name), library(),
                       library()->name + "_" + name);
}

}  // namespace

const redis::FunctionLibrary& scriptLibrary() {
  return *library();
}

const redis::Script& script(ScriptId id) {
  static const std::array<redis::Script, kNames.size()> scripts = [] {
    return std::array<redis::Script, kNames.size()>{
        build(kNames[0]), build(kNames[1]), build(kNames[2]),  build(kNames[3]),
        build(kNames[4]), build(kNames[5]), build(kNames[6]),  build(kNames[7]),
        build(kNames[8]), build(kNames[9]), build(kNames[10]), build(kNames[11])};
  }();
  return scripts.at(static_cast<std::size_t>(id));
}

}  // namespace warren::queue
