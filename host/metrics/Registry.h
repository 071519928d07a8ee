// A small Prometheus registry: counters, gauges and histograms by name and labels, rendered in
// the text exposition format. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace warren::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class Kind { counter, gauge, histogram };

class Registry {
  struct Family;
  struct Series;

 public:
  // A series resolved once, for hot paths: updates through it skip the name and label lookups.
  // Valid as long as the registry.
  class CounterRef {
    friend class Registry;
    Series* series_ = nullptr;
  };
  class HistogramRef {
    friend class Registry;
    Family* family_ = nullptr;
    Series* series_ = nullptr;
  };

  // Declares a family's help text (and buckets for histograms). Optional: undeclared families
  // get a generic help text and the default buckets.
  void describe(const std::string& name, Kind kind, const std::string& help,
                std::vector<double> buckets = {});

  // Each throws std::invalid_argument with a readable reason on a bad name or label, a
  // negative counter delta, or a name already used with another kind.
  void counterAdd(const std::string& name, const Labels& labels, double delta);
  void gaugeSet(const std::string& name, const Labels& labels, double value);
  void histogramObserve(const std::string& name, const Labels& labels, double value);
  CounterRef counter(const std::string& name, const Labels& labels);
  HistogramRef histogram(const std::string& name, const Labels& labels);
  void add(CounterRef counter, double delta);
  void observe(HistogramRef histogram, double value);

  double value(const std::string& name, const Labels& labels) const;  // counters and gauges
  std::string exposition() const;

  static bool validName(const std::string& name);
  static bool validLabelName(const std::string& name);

 private:
  struct Series {
    double value = 0;            // counter or gauge
    std::vector<double> counts;  // histogram: one per bucket (non-cumulative)
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct Family {
    Kind kind;
    std::string help;
    std::vector<double> buckets;
    std::map<Labels, Series> series;
  };

  Family& family(const std::string& name, Kind kind, const Labels& labels);
  static void observeIn(Family& family, Series& series, double value);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

// The process-wide registry served on /metrics.
Registry& registry();

}  // namespace warren::metrics
