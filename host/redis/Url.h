// Redis server addresses as URLs:
//   redis://[user:password@]host[:port][/db]     plain TCP (port defaults to 6379)
//   rediss://[user:password@]host[:port][/db]    TLS, certificate checked against the host name
//   unix://[user:password@]/path/to/socket[?db=N]
// IPv6 hosts are written in brackets: redis://[::1]:6379. User and password are percent-decoded.
// `?db=N` is also accepted on redis:// and rediss://.
#pragma once

#include <string>

// GNU dialects (-std=gnu++NN) predefine `unix` as 1, which would break the field below.
#ifdef unix
#undef unix
#endif

namespace warren::redis {

struct Url {
  bool tls = false;
  bool unix = false;
  std::string host;  // without brackets for IPv6; empty for unix
  int port = 6379;
  std::string path;  // unix socket path
  std::string user;  // empty: AUTH with the password only (legacy requirepass)
  std::string password;
  int db = 0;

  // Throws std::invalid_argument("invalid Redis URL '<url, password hidden>': <problem>").
  static Url parse(const std::string& text);

  // The URL with the password replaced by "***": safe for logs and error messages.
  std::string redacted() const;
  // "host:port" or the socket path: what we connect to, for messages.
  std::string endpoint() const;
};

// A URL as the user typed it, with everything that may be a password replaced by "***" (also
// for text that is not a valid URL): for error messages.
std::string redactUrlText(const std::string& text);

}  // namespace warren::redis
