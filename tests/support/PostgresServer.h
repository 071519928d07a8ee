// A private PostgreSQL 15 cluster for one test suite: a fresh cluster in its own TempDir (owned by
// the postgres user, since the server refuses to run as root), 127.0.0.1 on a free port, the unix
// socket inside the temp dir, `-c fsync=off`. Started in the constructor, stopped (immediate
// shutdown) in the destructor.
//
// The cluster is a copy of one made by initdb once and kept under /tmp
// (warren-pg-template-UID...): ctest runs each test in its own process, and a copy takes a
// fraction of initdb's time.
//
// The postmaster runs as the postgres user in its own process group, started with
// PR_SET_PDEATHSIG so it dies with the test process even if the test crashes. Linux ties that to
// the *thread* that started it: call start() from a thread that outlives the server.
//
// Start one server per test suite (SetUpTestSuite), not per test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "TempDir.h"

namespace warren::test {

struct PostgresServerOptions {
  // When set, TCP connections need this password for the user "postgres" (scram-sha-256) and
  // url() carries it; the unix socket (used by sql()) always trusts. Empty: trust everywhere.
  std::string password;
  // Extra server settings, each passed as `-c NAME=VALUE`.
  std::vector<std::string> settings;
  std::chrono::milliseconds startTimeout{30000};
};

class PostgresServer {
 public:
  explicit PostgresServer(PostgresServerOptions options = {});
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Starts (again) on the same port and data directory and waits until the server accepts
  // connections. Throws with the server log if it exits or is not ready within the timeout.
  void start();
  // Fast shutdown (SIGINT: clients are disconnected, the server exits cleanly), waits up to 10 s,
  // then SIGKILL. No-op when not running.
  void stop();
  // SIGKILL to the postmaster and every backend at once (a crash).
  void kill();
  bool running() const { return pid_ > 0; }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // postgres://postgres[:PASSWORD]@127.0.0.1:PORT/DATABASE
  std::string url(const std::string& database = "postgres") const;
  const std::filesystem::path& dir() const { return dir_.path(); }  // also the socket directory
  std::filesystem::path dataDir() const { return dir() / "data"; }
  std::string log() const;  // the server's log so far

  // Runs SQL with psql over the unix socket as "postgres" (ON_ERROR_STOP, unaligned, tuples
  // only) and returns its output. Throws std::runtime_error with psql's output on failure.
  std::string sql(const std::string& statements, const std::string& database = "postgres") const;

 private:
  void initCluster();
  void waitUntilReady();
  void reap(std::chrono::milliseconds grace);

  PostgresServerOptions options_;
  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  bool passwordSet_ = false;
};

}  // namespace warren::test
