#include "queue/Scripts.h"

#include <array>
#include <stdexcept>
#include <string>

namespace warren::queue {
namespace {

constexpr std::array<const char*, 11> kNames = {"add",     "fetch",   "finish",   "retry",
                                                "delay",   "extend",  "stalled",  "requeue",
                                                "progress", "log",    "scheduler"};

redis::Script build(const char* name) {
  const std::string_view body = embeddedScript(name);
  if (body.empty()) throw std::logic_error(std::string("no embedded script ") + name);
  return redis::Script(std::string("warren:") + name,
                       std::string(embeddedScript("prelude")) + "\n" + std::string(body));
}

}  // namespace

const redis::Script& script(ScriptId id) {
  static const std::array<redis::Script, kNames.size()> scripts = [] {
    return std::array<redis::Script, kNames.size()>{
        build(kNames[0]), build(kNames[1]), build(kNames[2]), build(kNames[3]),
        build(kNames[4]), build(kNames[5]), build(kNames[6]), build(kNames[7]),
        build(kNames[8]), build(kNames[9]), build(kNames[10])};
  }();
  return scripts.at(static_cast<std::size_t>(id));
}

}  // namespace warren::queue
