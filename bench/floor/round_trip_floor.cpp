// The cheapest client there is: one PING at a time over loopback TCP, a blocking write and a
// blocking read, no parsing beyond counting bytes. Its CPU per round trip is what any client pays
// to sleep until a reply and wake for it here; a worker at concurrency 1 makes one such round
// trip per job.
//
//   round-trip-floor PORT COUNT   ->  {"roundTrips":N,"elapsedUs":E,"clientCpuUs":C}
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace {

double cpuMicros() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto micros = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec);
  };
  return micros(usage.ru_utime) + micros(usage.ru_stime);
}

int fail(const char* what) {
  std::fprintf(stderr, "round-trip-floor: %s: %s\n", what, std::strerror(errno));
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: round-trip-floor PORT COUNT\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const long count = std::atol(argv[2]);
  if (port <= 0 || port > 65535 || count <= 0) {
    std::fprintf(stderr, "round-trip-floor: PORT must be 1-65535 and COUNT positive\n");
    return 2;
  }
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return fail("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    return fail("connect");
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  constexpr std::string_view ping = "*1\r\n$4\r\nPING\r\n";
  constexpr std::size_t pong = 7;  // "+PONG\r\n"
  char buffer[64];
  const double cpu0 = cpuMicros();
  const auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) {
    if (write(fd, ping.data(), ping.size()) != static_cast<ssize_t>(ping.size()))
      return fail("write");
    for (std::size_t got = 0; got < pong;) {
      const ssize_t n = read(fd, buffer + got, sizeof buffer - got);
      if (n <= 0) return fail("read");
      got += static_cast<std::size_t>(n);
    }
  }
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  const double cpu = cpuMicros() - cpu0;
  close(fd);
  std::printf("{\"roundTrips\":%ld,\"elapsedUs\":%lld,\"clientCpuUs\":%.0f}\n", count,
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()),
              cpu);
  return 0;
}
