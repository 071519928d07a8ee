#include "AiFake.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <filesystem>
#include <stdexcept>

namespace warren::test {

AiFake::AiFake(AiFakeOptions options) {
  const auto script = std::filesystem::path(WARREN_TEST_SOURCE_DIR) / "tests/fakes/ai/server.js";
  std::vector<std::string> argv = {"node", script.string()};
  if (!options.openaiKey.empty()) argv.insert(argv.end(), {"--openai-key", options.openaiKey});
  if (!options.geminiKey.empty()) argv.insert(argv.end(), {"--gemini-key", options.geminiKey});
  if (!options.anthropicKey.empty())
    argv.insert(argv.end(), {"--anthropic-key", options.anthropicKey});
  process_ = std::make_unique<BackgroundProcess>(argv, cleanEnvironment());
  const std::string ready = "ai fake listening on 127.0.0.1:";
  if (!process_->waitForStderr(ready, std::chrono::seconds(30))) {
    throw std::runtime_error("the AI fake did not start:\n" + process_->err() + process_->out());
  }
  const std::string err = process_->err();
  port_ = std::stoi(err.substr(err.find(ready) + ready.size()));
}

AiFake::~AiFake() = default;

std::string AiFake::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}
std::string AiFake::openaiBaseUrl() const {
  return url() + "/v1";
}
std::string AiFake::geminiBaseUrl() const {
  return url();
}
std::string AiFake::anthropicBaseUrl() const {
  return url();
}
std::string AiFake::imageUrl(const std::string& type) const {
  return url() + "/__fake/image/" + type;
}

std::string AiFake::control(const std::string& method, const std::string& pathAndQuery,
                            const std::string& body) const {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  Poco::Net::HTTPRequest request(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  if (!body.empty()) request.setContentType("application/json");
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::string text;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
    throw std::runtime_error("AI fake control " + method + " " + pathAndQuery + ": " + text);
  }
  return text;
}

void AiFake::script(const std::string& provider, const std::vector<std::string>& steps) {
  control("POST", "/__fake/script",
          nlohmann::json{{"provider", provider}, {"steps", steps}}.dump());
}

void AiFake::reply(const std::string& provider, const std::string& text) {
  scriptReplies(provider, nlohmann::json::array({{{"reply", text}}}));
}

void AiFake::scriptReplies(const std::string& provider, const nlohmann::json& steps) {
  control("POST", "/__fake/script",
          nlohmann::json{{"provider", provider}, {"steps", steps}}.dump());
}

nlohmann::json AiFake::requests(const std::string& provider) const {
  return nlohmann::json::parse(
      control("GET", "/__fake/requests" + (provider.empty() ? "" : "?provider=" + provider)));
}

void AiFake::clearRequests() {
  control("DELETE", "/__fake/requests");
}

void AiFake::reset() {
  control("POST", "/__fake/reset");
}

}  // namespace warren::test
