// The files the Debian package installs, as the host and systemd read them: /etc/warren/warren.ini
// resolves, and every default it documents in a ";key = value" line is a valid key with the value
// Warren really uses; the systemd unit is Type=notify with a watchdog, stops later than the
// node's shutdown timeout, writes only to the data directory and keeps its hardening.
#include "config/Config.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>

namespace warren::test {
namespace {

const std::filesystem::path kSource = WARREN_TEST_SOURCE_DIR;
const std::filesystem::path kIni = kSource / "packaging/etc/warren.ini";
const std::filesystem::path kUnit = kSource / "packaging/systemd/warren.service.in";

config::Config resolveFile(const std::filesystem::path& file) {
  return config::resolve({config::fileLayer(file.string())});
}

// The ini with every ";key = value" line (no space after ';': a setting, not prose) uncommented.
std::string uncommented(const std::string& text) {
  static const std::regex setting(R"(^;(\[?[A-Za-z_.\-]+\]?)( = .*)?$)");
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    out += std::regex_match(line, setting) ? line.substr(1) : line;
    out += '\n';
  }
  return out;
}

// systemd's [Service] assignments (the last one wins for single-valued keys).
std::map<std::string, std::string> serviceSection(const std::string& text) {
  std::map<std::string, std::string> values;
  std::istringstream in(text);
  bool service = false;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '[') {
      service = line == "[Service]";
      continue;
    }
    const auto eq = line.find('=');
    if (service && eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return values;
}

// "60s", "2min", "90" (seconds) in milliseconds.
std::int64_t timespanMs(const std::string& text) {
  std::smatch m;
  static const std::regex span(R"(^(\d+)(s|min|ms)?$)");
  if (!std::regex_match(text, m, span)) throw std::invalid_argument("timespan '" + text + "'");
  const std::int64_t n = std::stoll(m[1]);
  if (m[2] == "min") return n * 60000;
  if (m[2] == "ms") return n;
  return n * 1000;
}

TEST(PackagedIni, ResolvesWithTheServiceSettings) {
  const config::Config c = resolveFile(kIni);
  EXPECT_EQ(c.profile, "production");
  EXPECT_EQ(c.dataDir, "/var/lib/warren");
  EXPECT_EQ(c.httpHost, "127.0.0.1");
  EXPECT_EQ(c.httpPort, 9090u);
  EXPECT_EQ(c.shutdownTimeoutMs, 30000);
  EXPECT_TRUE(c.redisUrl.empty()) << "the package's default is the embedded Redis";
  EXPECT_TRUE(c.queues.empty()) << "a fresh install serves nothing until configured";
  EXPECT_TRUE(c.secrets.empty());
  EXPECT_TRUE(c.adminToken.empty()) << "secrets belong in /etc/warren/environment";
}

TEST(PackagedIni, EveryDocumentedSettingIsValidAndTheDefaultsAreWarrensOwn) {
  const TempDir dir("warren-packaging");
  const auto all = dir / "all.ini";
  writeFile(all, uncommented(readFile(kIni)));
  ASSERT_NE(readFile(all), readFile(kIni));
  const config::Config shipped = resolveFile(kIni);
  config::Config documented;
  ASSERT_NO_THROW(documented = resolveFile(all)) << readFile(all);
  // The example queue and URLs are examples; these lines document defaults.
  ASSERT_EQ(documented.queues.size(), 1u);
  EXPECT_EQ(documented.queues[0].name, "emails");
  EXPECT_EQ(documented.tier, shipped.tier);
  EXPECT_EQ(documented.concurrency, shipped.concurrency);
  EXPECT_EQ(documented.redisPrefix, shipped.redisPrefix);
  EXPECT_EQ(documented.redisConnectTimeoutMs, shipped.redisConnectTimeoutMs);
  EXPECT_EQ(documented.redisCommandTimeoutMs, shipped.redisCommandTimeoutMs);
  EXPECT_EQ(documented.redisFunctions, shipped.redisFunctions);
  EXPECT_EQ(documented.databasePoolSize, shipped.databasePoolSize);
  EXPECT_EQ(documented.pluginWatch, shipped.pluginWatch);
  EXPECT_EQ(documented.reloadDrainTimeoutMs, shipped.reloadDrainTimeoutMs);
  EXPECT_EQ(documented.reloadDebounceMs, shipped.reloadDebounceMs);
  EXPECT_EQ(documented.memoryOverheadMb, shipped.memoryOverheadMb);
  EXPECT_EQ(documented.pluginDir, "/usr/lib/warren/plugins");
}

TEST(PackagedUnit, NotifyWithAWatchdogAndAStopTimeoutAboveTheShutdownTimeout) {
  auto unit = serviceSection(readFile(kUnit));
  EXPECT_EQ(unit["Type"], "notify");
  EXPECT_EQ(unit["NotifyAccess"], "main");
  EXPECT_EQ(unit["ExecStart"], "@WARREN_BIN@ run --config /etc/warren/warren.ini");
  EXPECT_EQ(unit["User"], "warren");
  EXPECT_EQ(unit["KillMode"], "mixed") << "SIGTERM to warren alone: it stops its embedded Redis";
  ASSERT_FALSE(unit["WatchdogSec"].empty());
  EXPECT_GE(timespanMs(unit["WatchdogSec"]), 10000) << "keepalives come at most 1 s late";
  const std::int64_t shutdownMs = resolveFile(kIni).shutdownTimeoutMs;
  EXPECT_GE(timespanMs(unit["TimeoutStopSec"]), shutdownMs + 15000)
      << "TimeoutStopSec must stay above node.shutdown_timeout_ms with a margin";
  for (const char* code : {"2", "64", "78"}) {
    EXPECT_NE((" " + unit["RestartPreventExitStatus"] + " ").find(std::string(" ") + code + " "),
              std::string::npos)
        << "restarting on exit " << code << " cannot help";
  }
}

TEST(PackagedUnit, WritesOnlyItsDataDirectoryAndKeepsItsHardening) {
  auto unit = serviceSection(readFile(kUnit));
  EXPECT_EQ(unit["ReadWritePaths"], resolveFile(kIni).dataDir);
  EXPECT_EQ(unit["StateDirectory"], "warren");
  const std::map<std::string, std::string> hardening = {
      {"NoNewPrivileges", "yes"},
      {"ProtectSystem", "strict"},
      {"ProtectHome", "yes"},
      {"PrivateTmp", "yes"},
      {"PrivateDevices", "yes"},
      {"RestrictSUIDSGID", "yes"},
      {"LockPersonality", "yes"},
      {"CapabilityBoundingSet", ""},
      {"SystemCallArchitectures", "native"},
  };
  for (const auto& [key, value] : hardening) {
    ASSERT_TRUE(unit.count(key)) << key << " is missing";
    EXPECT_EQ(unit[key], value) << key;
  }
}

}  // namespace
}  // namespace warren::test
