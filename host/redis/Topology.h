// What REDIS_URL names: one server, a master found through Redis Sentinel, or a Redis Cluster.
//
//   redis://…, rediss://…, unix://…                                    one server (Url.h)
//   redis+sentinel://[user:password@]host[:port][,host[:port]…]/master[/db]
//                                                  Sentinels (port 26379) watching `master`
//   redis+cluster://[user:password@]host[:port][,host[:port]…]        Cluster seed nodes (6379)
//   rediss+sentinel://…, rediss+cluster://…                            the same over TLS
//
// `user:password` are the data servers' credentials (the master, the cluster nodes). Sentinels
// often have their own (or none): sentinelUser / sentinelPassword, from the redis.sentinel_user
// and redis.sentinel_password keys. With TLS both the Sentinels and the master are reached over
// TLS, checked against the same CA file.
#pragma once

#include <string>
#include <vector>

#include "redis/Url.h"

namespace warren::redis {

struct Address {
  std::string host;  // without brackets for IPv6
  int port = 6379;

  std::string text() const;                                        // host:port, IPv6 in brackets
  static Address parse(const std::string& text, int defaultPort);  // throws std::invalid_argument
  friend bool operator==(const Address&, const Address&) = default;
};

struct Topology {
  enum class Mode { standalone, sentinel, cluster };

  Mode mode = Mode::standalone;
  // standalone: the server. sentinel / cluster: the data servers' TLS, credentials and db, with
  // host and port of the first seed (at() replaces them).
  Url server;
  std::vector<Address> seeds;  // the Sentinels, or the cluster nodes to start from
  std::string masterName;      // sentinel: the name the Sentinels monitor
  std::string sentinelUser;
  std::string sentinelPassword;

  // Any of the forms above. Throws std::invalid_argument("invalid Redis URL '<redacted>': …").
  static Topology parse(const std::string& text);
  // The Sentinel form from its parts (redis.sentinels = "h1:26379,h2", redis.sentinel_master).
  static Topology sentinels(const std::string& list, const std::string& masterName);

  // `server` at another address (a master the Sentinels named, a cluster node).
  Url at(const Address& address) const;
  Url sentinelAt(const Address& address) const;
  // For logs and messages: the URL with the password replaced by "***".
  std::string redacted() const;
  static const char* modeName(Mode mode);
};

}  // namespace warren::redis
