// The HTTP server of the fake platforms: one port on 127.0.0.1, one path prefix per platform
// (/mastodon, /bluesky, /x, /linkedin, /threads, /webhook) and /_admin for the tests. Under
// its prefix each platform answers the platform's own paths, so an account's base URL is
// http://127.0.0.1:PORT/<platform>.
#pragma once

#include "State.h"

#include <Poco/Net/HTTPServer.h>

#include <cstdint>
#include <memory>
#include <string>

namespace fake {

class Server {
 public:
  // Listens on host:port (0: a free port) and serves until the object goes away.
  Server(const std::string& host, std::uint16_t port);
  ~Server();
  std::uint16_t port() const { return port_; }
  State& state() { return state_; }

 private:
  State state_;
  std::uint16_t port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

// Reads a request whole into a Call (query, headers, body, form fields, files, JSON).
Call readCall(const std::string& method, const std::string& target,
              const std::map<std::string, std::string>& headers, std::string body);

}  // namespace fake
