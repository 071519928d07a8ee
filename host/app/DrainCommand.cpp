// warren drain / warren resume: the local node's admin API (/admin/drain, /admin/resume) from
// the command line, e.g. as a Kubernetes preStop hook.
#include "app/Commands.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <iostream>
#include <thread>

namespace warren::app {
namespace {

struct Reply {
  int status = 0;
  std::string body;
};

Reply call(const config::Config& config, const std::string& method, const std::string& path) {
  // The admin API listens where /health does; a wildcard bind is reached on loopback.
  const std::string host =
      config.httpHost == "0.0.0.0" || config.httpHost.empty() ? "127.0.0.1" : config.httpHost;
  Poco::Net::HTTPClientSession session(host, static_cast<Poco::UInt16>(config.httpPort));
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Authorization", "Bearer " + config.adminToken);
  request.setContentLength(0);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply;
  reply.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

bool drained(const std::string& body) {
  return body.find("\"state\":\"drained\"") != std::string::npos;
}

}  // namespace

int drainCommand(const Options& options, bool drain) {
  const config::Config config = loadConfig(options);
  if (config.httpPort == 0) {
    throw config::ConfigError("the node's admin API is off: http.port (HTTP_PORT) is not set");
  }
  if (config.adminToken.empty()) {
    throw config::ConfigError("no admin token: set admin.token or WARREN_ADMIN_TOKEN");
  }
  double timeoutS = 60;
  if (options.timeout) {
    try {
      timeoutS = std::stod(*options.timeout);
    } catch (const std::exception&) {
      std::cerr << "warren: --timeout expects seconds, got '" << *options.timeout << "'\n";
      return kExitUsage;
    }
  }
  try {
    Reply reply = call(config, "POST", drain ? "/admin/drain" : "/admin/resume");
    if (reply.status >= 300) {
      std::cerr << "warren: the node refused (" << reply.status << "): " << reply.body << "\n";
      return kExitFailed;
    }
    if (!drain) {
      std::cout << reply.body << "\n";
      return kExitOk;
    }
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<std::int64_t>(timeoutS * 1000));
    while (!drained(reply.body)) {
      if (std::chrono::steady_clock::now() >= deadline) {
        std::cerr << "warren: still draining after " << timeoutS << " s: " << reply.body << "\n";
        return kExitFailed;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      reply = call(config, "GET", "/admin/drain");
    }
    std::cout << reply.body << "\n";
    return kExitOk;
  } catch (const Poco::Exception& e) {
    std::cerr << "warren: cannot reach the node's admin API on port " << config.httpPort << ": "
              << e.displayText() << "\n";
    return kExitFailed;
  }
}

}  // namespace warren::app
