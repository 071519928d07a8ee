// The one debug line each AI call writes: what was asked of whom, how it ended and what it
// cost. Never a body, a prompt or a key.
#pragma once

#include "ai/Wire.h"

#include <chrono>
#include <string>
#include <string_view>

namespace warren::ai {

struct CallLog {
  CallLog(std::string op_, std::string queue_, std::string plugin_)
      : op(std::move(op_)), queue(std::move(queue_)), plugin(std::move(plugin_)) {}

  std::string op;  // complete | embed
  std::string queue;
  std::string plugin;
  std::string provider;  // the one that answered, or the last one tried
  std::string model;
  std::string outcome = "ok";  // or the fault's label
  unsigned attempts = 0;
  Usage usage;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  std::int64_t elapsedMs() const;
  void write() const;
};

}  // namespace warren::ai
