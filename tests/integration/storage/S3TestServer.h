// A local S3 server for one test: tests/storage-server/server.js (@20minutes/s3rver, which checks
// SigV4 signatures) on 127.0.0.1 and a free port, with its own data directory, one bucket and one
// key pair. `npm ci` runs first when tests/storage-server/node_modules is missing (under a file
// lock, since ctest may start several of these tests at once). Killed when destroyed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "Command.h"
#include "RedisServer.h"
#include "TempDir.h"
#include "storage/Store.h"

namespace warren::storage::test {

struct S3TestServerOptions {
  std::string bucket = "warren-test";
  std::string accessKey = "WARRENTESTKEY";
  std::string secretKey = "warren/test+Secret=Key";
  // Serve https with this server certificate (clients need its CA).
  std::shared_ptr<const warren::test::TestCertificates> tls;
};

class S3TestServer {
 public:
  explicit S3TestServer(S3TestServerOptions options = {});
  ~S3TestServer();
  S3TestServer(const S3TestServer&) = delete;
  S3TestServer& operator=(const S3TestServer&) = delete;

  int port() const { return port_; }
  // http://127.0.0.1:PORT, or https://localhost:PORT with TLS (the certificate's name).
  std::string endpoint() const;
  // Path-style options for this server, with its credentials and quick retries.
  StorageOptions options() const;

  // Fault injection through the server's /__warren/plan, e.g. "skip=1&fail=2&status=503" or
  // "stall=1&stallMs=3000" (plain http only).
  void plan(const std::string& query);
  // "METHOD /path?query" of every S3 request the server saw, in order (plain http only).
  std::vector<std::string> requests();

 private:
  std::string control(const std::string& method, const std::string& pathAndQuery);

  S3TestServerOptions options_;
  warren::test::TempDir dir_;
  std::unique_ptr<warren::test::BackgroundProcess> process_;
  int port_ = 0;
};

}  // namespace warren::storage::test
