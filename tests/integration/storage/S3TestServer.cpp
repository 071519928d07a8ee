#include "S3TestServer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <filesystem>
#include <stdexcept>

namespace warren::storage::test {
namespace {

namespace fs = std::filesystem;

fs::path serverDir() {
  return fs::path(WARREN_TEST_SOURCE_DIR) / "tests/storage-server";
}

// Runs `npm ci` once when node_modules is missing; a lock file keeps parallel tests from
// installing at the same time.
void ensureInstalled() {
  const fs::path marker = serverDir() / "node_modules/@20minutes/s3rver/package.json";
  if (fs::exists(marker)) return;
  const fs::path lockPath = fs::temp_directory_path() / "warren-storage-server-npm.lock";
  const int lock = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0) throw std::runtime_error("cannot open " + lockPath.string());
  ::flock(lock, LOCK_EX);
  warren::test::CommandResult result{0, "", ""};
  if (!fs::exists(marker)) {
    result =
        warren::test::run({"npm", "ci", "--no-audit", "--no-fund"},
                          warren::test::cleanEnvironment(), std::chrono::minutes(5), serverDir());
  }
  ::flock(lock, LOCK_UN);
  ::close(lock);
  if (result.exitCode != 0) {
    throw std::runtime_error("npm ci in " + serverDir().string() + " failed (exit " +
                             std::to_string(result.exitCode) + "):\n" + result.out + result.err);
  }
}

}  // namespace

S3TestServer::S3TestServer(S3TestServerOptions options)
    : options_(std::move(options)), dir_("warren-s3") {
  ensureInstalled();
  // s3rver's ListObjectsV2 continuation tokens use DES, which OpenSSL 3 keeps in its legacy
  // provider.
  std::vector<std::string> argv = {"node", "--openssl-legacy-provider",
                                   (serverDir() / "server.js").string()};
  argv.insert(argv.end(), {"--dir", (dir_ / "data").string(), "--bucket", options_.bucket,
                           "--access-key", options_.accessKey, "--secret-key", options_.secretKey});
  if (options_.tls) {
    argv.insert(argv.end(), {"--tls-key", options_.tls->serverKey.string(), "--tls-cert",
                             options_.tls->serverCert.string()});
  }
  process_ =
      std::make_unique<warren::test::BackgroundProcess>(argv, warren::test::cleanEnvironment());
  const std::string ready = "s3 test server listening on 127.0.0.1:";
  if (!process_->waitForStderr(ready, std::chrono::seconds(30))) {
    throw std::runtime_error("the S3 test server did not start:\n" + process_->err() +
                             process_->out());
  }
  const std::string err = process_->err();
  port_ = std::stoi(err.substr(err.find(ready) + ready.size()));
}

S3TestServer::~S3TestServer() = default;

std::string S3TestServer::endpoint() const {
  return options_.tls ? "https://localhost:" + std::to_string(port_)
                      : "http://127.0.0.1:" + std::to_string(port_);
}

StorageOptions S3TestServer::options() const {
  StorageOptions o;
  o.endpoint = endpoint();
  o.bucket = options_.bucket;
  o.accessKey = options_.accessKey;
  o.secretKey = options_.secretKey;
  o.pathStyle = true;  // bucket.127.0.0.1 does not resolve
  o.timeoutMs = 10000;
  if (options_.tls) o.caFile = options_.tls->caCert.string();
  return o;
}

std::string S3TestServer::control(const std::string& method, const std::string& pathAndQuery) {
  if (options_.tls) throw std::logic_error("the control API is plain http only");
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  Poco::Net::HTTPRequest request(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentLength(0);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
    throw std::runtime_error("S3 test server control " + pathAndQuery + ": " + body);
  }
  return body;
}

void S3TestServer::plan(const std::string& query) {
  control("POST", "/__warren/plan?" + query);
}

std::vector<std::string> S3TestServer::requests() {
  Poco::JSON::Parser parser;
  const auto array =
      parser.parse(control("GET", "/__warren/requests")).extract<Poco::JSON::Array::Ptr>();
  std::vector<std::string> out;
  for (unsigned i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
  return out;
}

}  // namespace warren::storage::test
