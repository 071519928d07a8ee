#include "redis/Topology.h"

#include <cctype>
#include <stdexcept>
#include <string_view>

namespace warren::redis {
namespace {

constexpr int kSentinelPort = 26379;
constexpr int kClusterPort = 6379;

[[noreturn]] void fail(const std::string& text, const std::string& problem) {
  throw std::invalid_argument("invalid Redis URL '" + redactUrlText(text) + "': " + problem);
}

// The part of Url::parse's message after the URL it quotes.
std::string problemOf(const std::invalid_argument& e) {
  const std::string message = e.what();
  const auto at = message.find("': ");
  return at == std::string::npos ? message : message.substr(at + 3);
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  for (;;) {
    const auto at = text.find(separator);
    parts.emplace_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text = text.substr(at + 1);
  }
}

bool hasPort(const std::string& hostPort) {
  if (!hostPort.empty() && hostPort.front() == '[') {
    const auto close = hostPort.find(']');
    return close != std::string::npos && close + 1 < hostPort.size() && hostPort[close + 1] == ':';
  }
  return hostPort.find(':') != std::string::npos;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Parses each `host[:port]` of the list with Url's rules (brackets for IPv6, port range).
std::vector<Address> parseHosts(const std::string& text, std::string_view list, int defaultPort) {
  std::vector<Address> hosts;
  for (const auto& item : split(list, ',')) {
    if (item.empty()) fail(text, "empty host in the host list");
    try {
      hosts.push_back(Address::parse(item, defaultPort));
    } catch (const std::invalid_argument& e) {
      fail(text, problemOf(e));
    }
  }
  return hosts;
}

}  // namespace

std::string Address::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Address Address::parse(const std::string& text, int defaultPort) {
  const std::string hostPort = hasPort(text) ? text : text + ":" + std::to_string(defaultPort);
  const Url url = Url::parse("redis://" + hostPort);
  return Address{url.host, url.port};
}

Topology Topology::parse(const std::string& text) {
  const auto schemeEnd = text.find("://");
  const std::string scheme = schemeEnd == std::string::npos ? "" : lower(text.substr(0, schemeEnd));
  const bool sentinel = scheme == "redis+sentinel" || scheme == "rediss+sentinel";
  const bool cluster = scheme == "redis+cluster" || scheme == "rediss+cluster";
  Topology topology;
  if (!sentinel && !cluster) {
    try {
      topology.server = Url::parse(text);
    } catch (const std::invalid_argument& e) {
      fail(text, problemOf(e) == "scheme must be redis://, rediss:// or unix://"
                     ? "scheme must be redis://, rediss://, unix://, redis+sentinel://, "
                       "rediss+sentinel://, redis+cluster:// or rediss+cluster://"
                     : problemOf(e));
    }
    return topology;
  }
  topology.mode = sentinel ? Mode::sentinel : Mode::cluster;
  const std::string_view rest = std::string_view(text).substr(schemeEnd + 3);
  const auto pathStart = rest.find('/');
  std::string_view authority = rest.substr(0, pathStart);
  const std::string path(pathStart == std::string_view::npos ? "" : rest.substr(pathStart + 1));
  if (rest.find('?') != std::string_view::npos)
    fail(text, "query parameters are not supported here; write the db as a path");
  std::string userInfo;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    userInfo = std::string(authority.substr(0, at)) + "@";
    authority = authority.substr(at + 1);
  }
  if (authority.empty()) fail(text, "host list is missing");
  topology.seeds = parseHosts(text, authority, sentinel ? kSentinelPort : kClusterPort);

  std::string db;
  if (sentinel) {
    const auto parts = split(path, '/');
    if (path.empty() || parts[0].empty())
      fail(text, "the master name is missing (redis+sentinel://host:26379/mymaster)");
    if (parts.size() > 2) fail(text, "unexpected text after the database number");
    topology.masterName = parts[0];
    if (parts.size() == 2) db = parts[1];
  } else if (!path.empty() && path != "0") {
    fail(text, "a Redis Cluster has only database 0");
  }
  // The data servers' credentials, TLS and db, checked by Url's own parser.
  const std::string tls = scheme.rfind("rediss", 0) == 0 ? "rediss://" : "redis://";
  try {
    topology.server =
        Url::parse(tls + userInfo + topology.seeds.front().text() + (db.empty() ? "" : "/" + db));
  } catch (const std::invalid_argument& e) {
    fail(text, problemOf(e));
  }
  return topology;
}

Topology Topology::sentinels(const std::string& list, const std::string& masterName) {
  if (masterName.empty())
    throw std::invalid_argument("redis.sentinels needs redis.sentinel_master (the master's name)");
  Topology topology;
  topology.mode = Mode::sentinel;
  topology.masterName = masterName;
  topology.seeds = parseHosts(list, list, kSentinelPort);
  topology.server = Url::parse("redis://" + topology.seeds.front().text());
  return topology;
}

Url Topology::at(const Address& address) const {
  Url url = server;
  url.host = address.host;
  url.port = address.port;
  return url;
}

Url Topology::sentinelAt(const Address& address) const {
  Url url;
  url.tls = server.tls;
  url.host = address.host;
  url.port = address.port;
  url.user = sentinelUser;
  url.password = sentinelPassword;
  return url;
}

std::string Topology::redacted() const {
  if (mode == Mode::standalone) return server.redacted();
  std::string out = std::string(server.tls ? "rediss+" : "redis+") + modeName(mode) + "://";
  if (!server.user.empty() || !server.password.empty())
    out += server.user + (server.password.empty() ? "" : ":***") + "@";
  for (std::size_t i = 0; i < seeds.size(); ++i) out += (i ? "," : "") + seeds[i].text();
  if (mode == Mode::sentinel) out += "/" + masterName;
  if (server.db != 0) out += "/" + std::to_string(server.db);
  return out;
}

const char* Topology::modeName(Mode mode) {
  switch (mode) {
    case Mode::standalone:
      return "standalone";
    case Mode::sentinel:
      return "sentinel";
    case Mode::cluster:
      return "cluster";
  }
  return "standalone";
}

}  // namespace warren::redis
