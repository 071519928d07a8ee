#include "NodeProcess.h"

#include "Paths.h"
#include "RedisServer.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <csignal>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace warren::test {

HttpReply httpCall(int port, const std::string& method, const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpReply reply;
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(60, 0));  // /health runs its checks in the request
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
    request.setContentLength(0);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::ostringstream body;
    body << in.rdbuf();
    reply.status = static_cast<int>(response.getStatus());
    reply.body = body.str();
    reply.wwwAuthenticate = response.get("WWW-Authenticate", "");
  } catch (const Poco::Exception& e) {
    reply.status = 0;
    reply.body = e.displayText();
  } catch (const std::exception& e) {
    reply.status = 0;
    reply.body = e.what();
  }
  return reply;
}

Poco::JSON::Object::Ptr jsonObject(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    if (object) return object;
  } catch (const std::exception&) {  // Poco's exceptions too
  }
  ADD_FAILURE() << "not a JSON object: " << body;
  return nullptr;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds deadline,
                std::chrono::milliseconds interval) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(interval);
  }
}

std::optional<double> metricValue(const std::string& exposition, const std::string& series) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

std::vector<std::string> warrenCommand(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {warrenBinary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

NodeProcess::NodeProcess(NodeOptions options) : options_(std::move(options)) {
  auto env = cleanEnvironment();
  env.push_back("REDIS_URL=" + options_.redisUrl);
  env.push_back("WARREN_DATA_DIR=" + dataDir().string());
  env.push_back("WORKER_ID=" + options_.workerId);
  if (options_.http) {
    port_ = RedisServer::freePort();
    env.push_back("HTTP_PORT=" + std::to_string(port_));
  }
  env.insert(env.end(), options_.environment.begin(), options_.environment.end());
  std::vector<std::string> args = {"run", "--plugin", options_.plugin, "--queue", options_.queue};
  if (options_.concurrency > 0) {
    args.insert(args.end(), {"--concurrency", std::to_string(options_.concurrency)});
  }
  for (const auto& set : options_.assignments) args.insert(args.end(), {"--set", set});
  process_ = std::make_unique<BackgroundProcess>(warrenCommand(args), env);
  if (!process_->waitForStderr("\"msg\":\"warren started\"", std::chrono::seconds(30))) {
    const std::string output = log();
    process_->stop(SIGKILL, std::chrono::seconds(5));
    throw std::runtime_error("warren did not start:\n" + output);
  }
}

HttpReply NodeProcess::admin(const std::string& method, const std::string& path,
                             const std::string& token) const {
  if (token.empty()) return httpCall(port_, method, path);
  return httpCall(port_, method, path, {{"Authorization", "Bearer " + token}});
}

int NodeProcess::stop(int signal, std::chrono::milliseconds timeout) {
  return process_->stop(signal, timeout);
}

void NodeProcess::signal(int signal) const {
  ::kill(process_->pid(), signal);
}

int NodeProcess::waitExit(std::chrono::milliseconds timeout) {
  return process_->stop(0, timeout);  // signal 0 only checks that the process exists
}

bool NodeProcess::waitForLog(const std::string& needle, std::chrono::milliseconds timeout) {
  return process_->waitForStderr(needle, timeout);
}

}  // namespace warren::test
