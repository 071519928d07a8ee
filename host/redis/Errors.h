// Exceptions thrown by the Redis client layer.
//
// Redis error replies (-ERR ..., -WRONGTYPE ...) are NOT exceptions: they come back as a Reply so
// callers can decide. Exceptions are for the transport and for a connection that could not be set
// up. Messages name the server by its redacted URL and never contain a password.
#pragma once

#include <stdexcept>
#include <string>

namespace warren::redis {

// The connection could not be used: connect failed, socket error, server closed it, interrupted,
// protocol error. The connection is left "broken" and must be reconnected before further use.
class ConnectionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// No reply (or no connection) within the configured time. The stream is out of step afterwards,
// so the connection is broken as for any ConnectionError.
class TimeoutError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};

// The server answered the connection setup (AUTH, SELECT, CLIENT SETNAME) with an error. Retrying
// will not help: it is a configuration problem (wrong password, bad db, bad name).
class HandshakeError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};

// The bytes from the server are not valid RESP2.
class ProtocolError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};

}  // namespace warren::redis
