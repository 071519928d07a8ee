#include "PostgresServer.h"

#include "ChildExec.h"

#include "RedisServer.h"  // runProgram, freePort

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace warren::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string binDir() {
  const char* env = std::getenv("WARREN_TEST_PG_BINDIR");
  return env != nullptr && *env != '\0' ? env : "/usr/lib/postgresql/15/bin";
}

std::string percentEncode(const std::string& text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::vector<char*> toArgv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return argv;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void execServer(char** argv, const char* logPath, uid_t uid, gid_t gid, pid_t parent) {
  ::setpgid(0, 0);
  if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) ::_exit(125);
  // After the credential change: changing the effective uid clears the parent-death signal.
  execServerChild(argv, logPath, parent);
}

// The pids whose parent is `parent` (the postmaster's backends and helpers).
std::vector<pid_t> childrenOf(pid_t parent) {
  std::vector<pid_t> children;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return children;
  while (const dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    std::ifstream stat("/proc/" + std::string(entry->d_name) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...; comm may hold spaces and parentheses: parse after the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    char state = 0;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) children.push_back(static_cast<pid_t>(pid));
  }
  ::closedir(proc);
  return children;
}

// Gone, or a zombie nobody reaped (in a container PID 1 may never reap orphans).
bool gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] == 'Z';
}

// A cluster made once by initdb (trust, UTF8, C locale, small WAL segments) under /tmp and kept
// between runs,
// built under a file lock so that parallel test processes make it once.
std::filesystem::path templateCluster(uid_t uid, gid_t gid) {
  std::string key = binDir();
  for (auto& c : key)
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
  const auto root = std::filesystem::temp_directory_path() /
                    ("warren-pg-template-v2-" + std::to_string(::getuid()) + key);
  const auto ready = root / "data";
  if (std::filesystem::exists(ready / "PG_VERSION")) return ready;
  std::filesystem::create_directories(root);
  if (::chown(root.c_str(), uid, gid) != 0)
    throw std::runtime_error("cannot chown " + root.string() + ": " + std::strerror(errno));
  const int lock = ::open((root / "lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0)
    throw std::runtime_error("cannot lock " + (root / "lock").string());
  try {
    if (!std::filesystem::exists(ready / "PG_VERSION")) {
      const auto building = root / ("init-" + std::to_string(::getpid()));
      std::filesystem::remove_all(building);
      runProgram({"runuser", "-u", "postgres", "--", binDir() + "/initdb", "-D", building.string(),
                  "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C",
                  "--wal-segsize=1"});  // 1 MB WAL segments: less to copy per server
      std::filesystem::rename(building, ready);
    }
  } catch (...) {
    ::close(lock);
    throw;
  }
  ::close(lock);
  return ready;
}

}  // namespace

PostgresServer::PostgresServer(PostgresServerOptions options)
    : options_(std::move(options)), dir_("warren-pg") {
  const passwd* user = ::getpwnam("postgres");
  if (user == nullptr) throw std::runtime_error("no 'postgres' user: is postgresql-15 installed?");
  uid_ = user->pw_uid;
  gid_ = user->pw_gid;
  port_ = RedisServer::freePort();
  initCluster();
  start();
}

PostgresServer::~PostgresServer() {
  // Immediate shutdown (no checkpoint): the cluster is thrown away with the temp dir.
  if (running()) {
    ::kill(pid_, SIGQUIT);
    reap(std::chrono::seconds(10));
  }
}

void PostgresServer::initCluster() {
  // The server refuses to run as root and needs to own its directories.
  if (::chown(dir().c_str(), uid_, gid_) != 0)
    throw std::runtime_error("cannot chown " + dir().string() + ": " + std::strerror(errno));
  // A copy of a cached, freshly initialised cluster: much faster than initdb for every test
  // process (ctest runs each test in its own process).
  runProgram({"cp", "-a", templateCluster(uid_, gid_).string(), dataDir().string()});
  if (!options_.password.empty()) {
    // TCP needs the password (set once the server runs); the unix socket (sql()) trusts.
    const auto hba = dataDir() / "pg_hba.conf";
    writeFile(hba,
              "local all all trust\n"
              "host all all 127.0.0.1/32 scram-sha-256\n"
              "host all all ::1/128 scram-sha-256\n");
    if (::chown(hba.c_str(), uid_, gid_) != 0)
      throw std::runtime_error("cannot chown " + hba.string());
  }
}

void PostgresServer::start() {
  if (running()) return;
  std::vector<std::string> args = {binDir() + "/postgres",       "-D", dataDir().string(), "-p",
                                   std::to_string(port_),        "-k", dir().string(),     "-c",
                                   "listen_addresses=127.0.0.1", "-c", "fsync=off",        "-c",
                                   "full_page_writes=off"};
  // Not synchronous_commit=off: kill() must not lose what a test committed just before it
  // (with fsync=off a commit still reaches the OS, which outlives the killed server).
  for (const auto& setting : options_.settings) args.insert(args.end(), {"-c", setting});
  auto argv = toArgv(args);
  const std::string logPath = (dir() / "postgres.log").string();
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (child == 0) execServer(argv.data(), logPath.c_str(), uid_, gid_, parent);
  pid_ = child;
  waitUntilReady();
  if (!options_.password.empty() && !passwordSet_) {
    std::string quoted;
    for (const char c : options_.password)
      quoted += c == '\'' ? std::string("''") : std::string(1, c);
    sql("ALTER USER postgres PASSWORD '" + quoted + "'");
    passwordSet_ = true;
  }
}

void PostgresServer::waitUntilReady() {
  // The postmaster writes its pid on line 1 of postmaster.pid and "ready" on line 8 once it
  // accepts connections (what pg_ctl -w waits for). A file left by a killed server has another pid.
  const auto deadline = Clock::now() + options_.startTimeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("postgres exited during start (status " + std::to_string(status) +
                               ")\n" + log());
    }
    std::ifstream pidFile(dataDir() / "postmaster.pid");
    std::vector<std::string> lines;
    for (std::string line; std::getline(pidFile, line);) lines.push_back(line);
    if (lines.size() >= 8 && lines[0] == std::to_string(pid_) && lines[7].rfind("ready", 0) == 0)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill();
  throw std::runtime_error("postgres was not ready on port " + std::to_string(port_) + "\n" +
                           log());
}

void PostgresServer::reap(std::chrono::milliseconds grace) {
  const auto deadline = Clock::now() + grace;
  int status = 0;
  while (Clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) != 0) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill();
}

void PostgresServer::stop() {
  if (!running()) return;
  ::kill(pid_, SIGINT);  // fast shutdown
  reap(std::chrono::seconds(10));
}

void PostgresServer::kill() {
  if (!running()) return;
  // Backends call setsid(), so the process group does not reach them: kill them by parent.
  const auto children = childrenOf(pid_);
  ::kill(pid_, SIGKILL);
  for (const pid_t child : children) ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  // A restart fails while an old backend still holds the shared memory segment.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  for (const pid_t child : children) {
    while (!gone(child) && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string PostgresServer::url(const std::string& database) const {
  std::string userInfo = "postgres";
  if (!options_.password.empty()) userInfo += ":" + percentEncode(options_.password);
  return "postgres://" + userInfo + "@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::log() const {
  return readFile(dir() / "postgres.log");
}

std::string PostgresServer::sql(const std::string& statements, const std::string& database) const {
  return runProgram({binDir() + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h",
                     dir().string(), "-p", std::to_string(port_), "-U", "postgres", "-d", database,
                     "-c", statements});
}

}  // namespace warren::test
