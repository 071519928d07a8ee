// warren-fake-platforms: fake Mastodon, Bluesky, X, LinkedIn and Threads APIs and a webhook
// receiver on one loopback port, in the platforms' wire shapes (tests/fakes/README.md).
//
//   warren-fake-platforms [--host 127.0.0.1] [--port 0] [--port-file FILE]
//
// Prints "warren-fake-platforms listening on http://HOST:PORT" once it accepts connections,
// then serves until SIGTERM or SIGINT.
#include "Server.h"

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string portFile;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--host" || arg == "--port" || arg == "--port-file") && i + 1 < argc) {
      const std::string value = argv[++i];
      if (arg == "--host") host = value;
      if (arg == "--port") port = std::atoi(value.c_str());
      if (arg == "--port-file") portFile = value;
    } else {
      std::cerr
          << "usage: warren-fake-platforms [--host 127.0.0.1] [--port 0] [--port-file FILE]\n";
      return 64;
    }
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server's threads start
  try {
    fake::Server server(host, static_cast<std::uint16_t>(port));
    if (!portFile.empty()) {
      std::ofstream(portFile + ".tmp") << server.port() << "\n";
      std::rename((portFile + ".tmp").c_str(), portFile.c_str());
    }
    std::cout << "warren-fake-platforms listening on http://" << host << ":" << server.port()
              << std::endl;
    int received = 0;
    sigwait(&signals, &received);
  } catch (const std::exception& e) {
    std::cerr << "warren-fake-platforms: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
