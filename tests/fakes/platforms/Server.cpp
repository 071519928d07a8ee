#include "Server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace fake {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

void parsePairs(const std::string& text, const std::function<void(std::string, std::string)>& add) {
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t amp = text.find('&', start);
    const std::string pair =
        text.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    const std::size_t eq = pair.find('=');
    if (!pair.empty()) {
      add(urlDecode(pair.substr(0, eq)),
          eq == std::string::npos ? "" : urlDecode(pair.substr(eq + 1)));
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
}

void parseMultipart(Call& call, const std::string& contentType) {
  std::string mediaType;
  Poco::Net::NameValueCollection params;
  Poco::Net::MessageHeader::splitParameters(contentType, mediaType, params);
  const std::string boundary = params.get("boundary", "");
  if (boundary.empty()) return;
  std::istringstream in(call.body);
  Poco::Net::MultipartReader reader(in, boundary);
  while (reader.hasNextPart()) {
    Poco::Net::MessageHeader header;
    reader.nextPart(header);
    std::string disposition;
    Poco::Net::NameValueCollection fields;
    Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition,
                                              fields);
    std::string bytes;
    Poco::StreamCopier::copyToString(reader.stream(), bytes);
    const std::string name = fields.get("name", "");
    if (fields.has("filename")) {
      call.files.push_back({name, fields.get("filename"),
                            header.get("Content-Type", "application/octet-stream"), bytes});
    } else {
      call.form[name] = bytes;
    }
  }
}

using Handler = Reply (*)(State&, Call&);

Handler handlerFor(const std::string& prefix) {
  if (prefix == "mastodon") return &mastodon;
  if (prefix == "bluesky") return &bluesky;
  if (prefix == "x") return &x;
  if (prefix == "linkedin") return &linkedin;
  if (prefix == "threads") return &threads;
  if (prefix == "webhook") return &webhook;
  if (prefix == "_admin") return &admin;
  return nullptr;
}

class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RequestHandler(State& state) : state_(state) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::map<std::string, std::string> headers;
    for (const auto& [name, value] : request) headers[lower(name)] = value;
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    Call call = readCall(request.getMethod(), request.getURI(), headers, std::move(body));
    Reply reply;
    const auto parts = segments(call.path);
    const Handler handler = parts.empty() ? nullptr : handlerFor(parts.front());
    if (handler == nullptr) {
      reply = jsonReply(404, {{"error", "no fake platform at " + call.path}});
    } else {
      call.path = call.path.substr(parts.front().size() + 1);
      if (call.path.empty()) call.path = "/";
      reply = handler(state_, call);
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    if (reply.status == 204 || reply.body.empty()) {
      response.setContentLength(0);
      response.send();
      return;
    }
    if (!reply.contentType.empty()) response.setContentType(reply.contentType);
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    response.send() << reply.body;
  }

 private:
  State& state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(State& state) : state_(state) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(state_);
  }

 private:
  State& state_;
};

}  // namespace

Call readCall(const std::string& method, const std::string& target,
              const std::map<std::string, std::string>& headers, std::string body) {
  Call call;
  call.method = method;
  call.target = target;
  call.headers = headers;
  call.body = std::move(body);
  const std::size_t question = target.find('?');
  call.path = target.substr(0, question);
  if (question != std::string::npos) {
    parsePairs(target.substr(question + 1), [&](std::string name, std::string value) {
      call.query.emplace(std::move(name), std::move(value));
    });
  }
  const std::string type = call.header("content-type");
  if (type.rfind("multipart/form-data", 0) == 0) {
    parseMultipart(call, type);
  } else if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    parsePairs(call.body, [&](std::string name, std::string value) { call.form[name] = value; });
  } else if (type.rfind("application/json", 0) == 0 && !call.body.empty()) {
    try {
      call.json = Json::parse(call.body);
    } catch (const Json::parse_error&) {
      call.json = nullptr;
    }
  }
  return call;
}

Server::Server(const std::string& host, std::uint16_t port) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(host, port));
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(32);
  params->setMaxQueued(256);
  params->setKeepAlive(true);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
  server_->start();
}

Server::~Server() {
  server_->stopAll(true);
}

}  // namespace fake
