// Prints the time common::text::analyze() takes on English news-like text of 10 kB and 100 kB
// (the first call, which loads the hyphenation dictionary and word lists, is reported apart),
// and the time of the platform rules on a 280-character post.
//
//   cmake --build build --target text_analyze_bench && build/bench/text/text_analyze_bench
#include "platform/Platform.h"
#include "platform/Thread.h"
#include "text/Analyze.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

const char* const kParagraphs[] = {
    "The European Central Bank raised interest rates by a quarter point on Thursday, its tenth "
    "consecutive increase, as inflation in the euro zone remains stubbornly high. ",
    "ECB President Christine Lagarde said further rate hikes could not be ruled out. ",
    "Economists expect inflation to ease next year as energy prices fall, but core inflation is "
    "still well above the bank's 2% target. ",
    "Markets reacted calmly, with the euro rising 0.3% against the dollar. ",
    "Retailers in Madrid and Paris reported weaker sales in March, while exporters in Germany "
    "pointed to a strong order book and rising demand from Asia. ",
    "Analysts at several banks now see the policy rate peaking at 4% before the summer. ",
};

std::string textOf(std::size_t bytes) {
  std::string out;
  for (std::size_t k = 0; out.size() < bytes; ++k) {
    out += kParagraphs[k % std::size(kParagraphs)];
    if (k % 7 == 6) out += "\n";
  }
  return out;
}

template <typename F>
double medianMs(int runs, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main() {
  const std::string small = textOf(10 * 1024), large = textOf(100 * 1024);
  const auto t0 = std::chrono::steady_clock::now();
  const auto first = common::text::analyze(small);
  const double firstMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const double smallMs = medianMs(9, [&] { common::text::analyze(small); });
  const double largeMs = medianMs(3, [&] { common::text::analyze(large); });
  std::printf("analyze 10 kB (%zu words): first call %.1f ms, then median %.2f ms (%.1f MB/s)\n",
              first.words, firstMs, smallMs, static_cast<double>(small.size()) / smallMs / 1e3);
  std::printf("analyze 100 kB: median %.1f ms (%.1f MB/s); ratio to 10 kB %.1fx for 10x the text\n",
              largeMs, static_cast<double>(large.size()) / largeMs / 1e3, largeMs / smallMs);
  const std::string post = small.substr(0, 600);
  const auto x = common::platform::rulesFor(common::platform::Platform::X);
  const double measureUs =
      medianMs(101, [&] { common::platform::measure(post.substr(0, 280), x); }) * 1e3;
  const double splitUs = medianMs(101, [&] { common::platform::splitThread(post, x); }) * 1e3;
  std::printf("platform X: measure 280 chars %.1f us, split 600 chars into a thread %.1f us\n",
              measureUs, splitUs);
  return 0;
}
