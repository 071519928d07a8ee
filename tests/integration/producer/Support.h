// Shared bits of the producer integration tests: one redis-server per test suite, raw reads.
#pragma once

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "RedisServer.h"
#include "redis/Connection.h"

namespace warren::queue::testing {

using namespace std::chrono_literals;

inline redis::ConnectionOptions quickOptions() {
  redis::ConnectionOptions options;
  options.connectTimeout = 3s;
  options.commandTimeout = 3s;
  return options;
}

// A redis-server shared by the tests of one suite; each test uses its own queue name.
class RedisSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<warren::test::RedisServer>(); }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    redis_ = std::make_unique<redis::Connection>(redis::Url::parse(server_->url()), quickOptions());
    static std::atomic<int> counter{0};
    queue_ = "q" + std::to_string(++counter);
  }

  static warren::test::RedisServer& server() { return *server_; }
  redis::Connection& redis() { return *redis_; }
  const std::string& queueName() const { return queue_; }
  std::string key(const std::string& suffix) const { return "bull:" + queue_ + ":" + suffix; }

  // HGETALL as a map.
  std::map<std::string, std::string> hash(const std::string& fullKey) {
    std::map<std::string, std::string> out;
    const redis::Reply reply = redis().command({"HGETALL", fullKey});
    const auto& list = reply.asArray();
    for (std::size_t i = 0; i + 1 < list.size(); i += 2) out[list[i].str()] = list[i + 1].str();
    return out;
  }
  std::vector<std::string> list(const std::string& fullKey) {
    std::vector<std::string> out;
    const redis::Reply reply = redis().command({"LRANGE", fullKey, "0", "-1"});
    for (const auto& r : reply.asArray()) {
      out.push_back(r.str());
    }
    return out;
  }
  // The events of the queue's stream, oldest first: each as field → value (with "event").
  std::vector<std::map<std::string, std::string>> events() {
    std::vector<std::map<std::string, std::string>> out;
    const redis::Reply reply = redis().command({"XRANGE", key("events"), "-", "+"});
    for (const auto& entry : reply.asArray()) {
      std::map<std::string, std::string> fields;
      const auto& f = entry.elements()[1].elements();
      for (std::size_t i = 0; i + 1 < f.size(); i += 2) fields[f[i].str()] = f[i + 1].str();
      out.push_back(fields);
    }
    return out;
  }
  std::vector<std::map<std::string, std::string>> events(const std::string& name) {
    std::vector<std::map<std::string, std::string>> out;
    for (auto& e : events()) {
      if (e["event"] == name) out.push_back(e);
    }
    return out;
  }

 private:
  static inline std::unique_ptr<warren::test::RedisServer> server_;
  std::unique_ptr<redis::Connection> redis_;
  std::string queue_;
};

inline Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// The member names of a JSON object, sorted.
inline std::vector<std::string> keysOf(const Poco::JSON::Object::Ptr& object) {
  std::vector<std::string> names;
  for (const auto& [name, value] : *object) names.push_back(name);
  return names;
}

inline std::int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace warren::queue::testing
