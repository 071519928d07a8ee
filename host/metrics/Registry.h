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
 public:
  // Declares a family's help text (and buckets for histograms). Optional: undeclared families
  // get a generic help text and the default buckets.
  void describe(const std::string& name, Kind kind, const std::string& help,
                std::vector<double> buckets = {});

  // Each throws std::invalid_argument with a readable reason on a bad name or label, a
  // negative counter delta, or a name already used with another kind.
  void counterAdd(const std::string& name, const Labels& labels, double delta);
  void gaugeSet(const std::string& name, const Labels& labels, double value);
  void histogramObserve(const std::string& name, const Labels& labels, double value);

  double value(const std::string& name, const Labels& labels) const;  // counters and gauges
  std::string exposition() const;

  static bool validName(const std::string& name);
  static bool validLabelName(const std::string& name);

 private:
  struct Series {
    double value = 0;              // counter or gauge
    std::vector<double> counts;    // histogram: one per bucket (non-cumulative)
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

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

// The process-wide registry served on /metrics.
Registry& registry();

}  // namespace warren::metrics
