// The service notification protocol as systemd reads it: datagrams on the NOTIFY_SOCKET the test
// binds (a path or an abstract name), READY/RELOADING/STOPPING/STATUS, and keepalives at half
// the watchdog period on an injected clock.
#include "lifecycle/Notify.h"

#include "NotifySocket.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace warren::test {
namespace {

using namespace std::chrono_literals;
using lifecycle::Notifier;

// A clock the test moves by hand.
struct ManualClock {
  Notifier::Clock::time_point now{std::chrono::seconds(1000)};
  std::function<Notifier::Clock::time_point()> function() {
    return [this] { return now; };
  }
};

TEST(Notify, ReadyStatusReloadingAndStoppingArriveAsSystemdReadsThem) {
  const TempDir dir("warren-notify");
  const NotifySocket socket((dir / "notify.sock").string());
  Notifier notifier(socket.name(), 0us);
  ASSERT_TRUE(notifier.enabled());

  notifier.ready("serving 2 queue(s)");
  EXPECT_EQ(socket.next(), "READY=1\nSTATUS=serving 2 queue(s)");
  notifier.status("still serving");
  EXPECT_EQ(socket.next(), "STATUS=still serving");
  notifier.reloading();
  const std::string reloading = socket.next();
  EXPECT_EQ(reloading.rfind("RELOADING=1\nMONOTONIC_USEC=", 0), 0u) << reloading;
  EXPECT_GT(std::strtoull(reloading.substr(reloading.find('=', 12) + 1).c_str(), nullptr, 10), 0u)
      << reloading;
  notifier.stopping("stopping: finishing running jobs");
  EXPECT_EQ(socket.next(), "STOPPING=1\nSTATUS=stopping: finishing running jobs");
}

TEST(Notify, AStatusTextCannotAddAnAssignment) {
  const TempDir dir("warren-notify");
  const NotifySocket socket((dir / "notify.sock").string());
  Notifier notifier(socket.name(), 0us);
  notifier.status("reload refused: bad\nREADY=1");
  EXPECT_EQ(socket.next(), "STATUS=reload refused: bad READY=1");
}

TEST(Notify, AbstractSocketNames) {
  const std::string name = "@warren-notify-test-" + std::to_string(::getpid());
  const NotifySocket socket(name);
  Notifier notifier(name, 0us);
  notifier.ready("up");
  EXPECT_EQ(socket.next(), "READY=1\nSTATUS=up");
}

TEST(Notify, KeepalivesAtHalfTheWatchdogPeriodBetweenReadyAndStopping) {
  const TempDir dir("warren-notify");
  const NotifySocket socket((dir / "notify.sock").string());
  ManualClock clock;
  Notifier notifier(socket.name(), 10s, clock.function());
  EXPECT_EQ(notifier.keepalive(), std::nullopt) << "no keepalive before READY";

  notifier.ready("up");
  EXPECT_EQ(socket.next(), "READY=1\nSTATUS=up");
  EXPECT_EQ(notifier.keepalive(), 5000ms);
  clock.now += 4999ms;
  EXPECT_EQ(notifier.keepalive(), 1ms);
  EXPECT_EQ(socket.next(50ms), "") << "nothing before half the period";
  clock.now += 1ms;
  EXPECT_EQ(notifier.keepalive(), 5000ms);
  EXPECT_EQ(socket.next(), "WATCHDOG=1");
  clock.now += 7000ms;  // a late loop sends at once and schedules from now
  EXPECT_EQ(notifier.keepalive(), 5000ms);
  EXPECT_EQ(socket.next(), "WATCHDOG=1");
  EXPECT_EQ(socket.next(50ms), "");

  notifier.stopping("bye");
  EXPECT_EQ(socket.next(), "STOPPING=1\nSTATUS=bye");
  clock.now += 60s;
  EXPECT_EQ(notifier.keepalive(), std::nullopt);
  EXPECT_EQ(socket.next(50ms), "") << "no keepalive after STOPPING";
}

TEST(Notify, WithoutAWatchdogThereAreNoKeepalives) {
  const TempDir dir("warren-notify");
  const NotifySocket socket((dir / "notify.sock").string());
  ManualClock clock;
  Notifier notifier(socket.name(), 0us, clock.function());
  notifier.ready("up");
  EXPECT_EQ(socket.next(), "READY=1\nSTATUS=up");
  clock.now += 1h;
  EXPECT_EQ(notifier.keepalive(), std::nullopt);
  EXPECT_EQ(socket.next(50ms), "");
}

TEST(Notify, FromTheEnvironmentTakesTheVariablesOut) {
  const TempDir dir("warren-notify");
  const NotifySocket socket((dir / "notify.sock").string());
  ::setenv("NOTIFY_SOCKET", socket.name().c_str(), 1);
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  Notifier notifier = Notifier::fromEnvironment();
  EXPECT_TRUE(notifier.enabled());
  EXPECT_EQ(notifier.watchdogPeriod(), 4s);
  for (const char* name : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"}) {
    EXPECT_EQ(std::getenv(name), nullptr) << name << " is still set: children would inherit it";
  }
  notifier.ready("up");
  EXPECT_EQ(socket.next(), "READY=1\nSTATUS=up");
}

TEST(Notify, AWatchdogForAnotherProcessIsIgnored) {
  ::setenv("NOTIFY_SOCKET", "/run/systemd/notify", 1);
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
  const Notifier notifier = Notifier::fromEnvironment();
  EXPECT_TRUE(notifier.enabled());
  EXPECT_EQ(notifier.watchdogPeriod(), 0us);
}

TEST(Notify, WithoutNotifySocketNothingIsSent) {
  ::unsetenv("NOTIFY_SOCKET");
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  Notifier notifier = Notifier::fromEnvironment();
  EXPECT_FALSE(notifier.enabled());
  EXPECT_FALSE(notifier.send("READY=1"));
  notifier.ready("up");
  EXPECT_EQ(notifier.keepalive(), std::nullopt);
  EXPECT_EQ(std::getenv("WATCHDOG_USEC"), nullptr);
}

TEST(Notify, AnUnusableSocketNameDisablesNotifications) {
  EXPECT_FALSE(Notifier("relative/notify.sock", 0us).enabled());
  EXPECT_FALSE(Notifier("/" + std::string(200, 'x'), 0us).enabled());
  EXPECT_FALSE(Notifier("", 0us).enabled());
}

TEST(Notify, ASocketNobodyListensOnIsNotAnError) {
  const TempDir dir("warren-notify");
  Notifier notifier((dir / "nobody.sock").string(), 2s);
  EXPECT_FALSE(notifier.send("READY=1"));
  notifier.ready("up");  // must not throw
  EXPECT_TRUE(notifier.keepalive().has_value());
}

}  // namespace
}  // namespace warren::test
