#include "metrics/Registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace warren::metrics {
namespace {

const std::vector<double> kDefaultBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                             0.5,   1,    2.5,   5,    10};

const char* kindName(Kind kind) {
  switch (kind) {
    case Kind::counter:
      return "counter";
    case Kind::gauge:
      return "gauge";
    case Kind::histogram:
      return "histogram";
  }
  return "untyped";
}

std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // The shortest text that reads back as the same double: le="0.1", not le="0.10000000000000001"
  // (selectors and dashboards match bucket labels as text).
  char buffer[40];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string escapeLabelValue(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string renderLabels(const Labels& labels, const std::string& extra = {}) {
  if (labels.empty() && extra.empty()) return {};
  std::string out = "{";
  for (const auto& [key, value] : labels) {
    if (out.size() > 1) out += ',';
    out += key + "=\"" + escapeLabelValue(value) + "\"";
  }
  if (!extra.empty()) {
    if (out.size() > 1) out += ',';
    out += extra;
  }
  return out + "}";
}

Labels normalise(Labels labels) {
  std::sort(labels.begin(), labels.end());
  return labels;
}

}  // namespace

bool Registry::validName(const std::string& name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool Registry::validLabelName(const std::string& name) {
  return validName(name) && name.find(':') == std::string::npos && name.rfind("__", 0) != 0;
}

void Registry::describe(const std::string& name, Kind kind, const std::string& help,
                        std::vector<double> buckets) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, kind, {});
  f.help = help;
  if (!buckets.empty()) f.buckets = std::move(buckets);
}

Registry::Family& Registry::family(const std::string& name, Kind kind, const Labels& labels) {
  if (!validName(name)) throw std::invalid_argument("invalid metric name '" + name + "'");
  for (const auto& label : labels) {
    if (!validLabelName(label.first)) {
      throw std::invalid_argument("invalid label name '" + label.first + "' on metric '" + name +
                                  "'");
    }
    if (kind == Kind::histogram && label.first == "le") {
      throw std::invalid_argument("label 'le' is reserved on histogram '" + name + "'");
    }
  }
  auto [it, inserted] = families_.try_emplace(name, Family{kind, {}, {}, {}});
  if (inserted) {
    it->second.help = name + " (no description given)";
    it->second.buckets = kDefaultBuckets;
  } else if (it->second.kind != kind) {
    throw std::invalid_argument("metric '" + name + "' is a " + kindName(it->second.kind) +
                                ", not a " + kindName(kind));
  }
  return it->second;
}

void Registry::counterAdd(const std::string& name, const Labels& labels, double delta) {
  if (!(delta >= 0)) {
    throw std::invalid_argument("counter '" + name + "' cannot decrease");
  }
  std::lock_guard lock(mutex_);
  family(name, Kind::counter, labels).series[normalise(labels)].value += delta;
}

void Registry::gaugeSet(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  family(name, Kind::gauge, labels).series[normalise(labels)].value = value;
}

void Registry::histogramObserve(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, Kind::histogram, labels);
  observeIn(f, f.series[normalise(labels)], value);
}

void Registry::observeIn(Family& f, Series& s, double value) {
  if (s.counts.size() != f.buckets.size()) s.counts.assign(f.buckets.size(), 0);
  const auto bucket = std::lower_bound(f.buckets.begin(), f.buckets.end(), value);
  if (bucket != f.buckets.end()) s.counts[static_cast<std::size_t>(bucket - f.buckets.begin())]++;
  s.sum += value;
  s.count++;
}

Registry::CounterRef Registry::counter(const std::string& name, const Labels& labels) {
  std::lock_guard lock(mutex_);
  CounterRef ref;
  ref.series_ = &family(name, Kind::counter, labels).series[normalise(labels)];
  return ref;
}

Registry::HistogramRef Registry::histogram(const std::string& name, const Labels& labels) {
  std::lock_guard lock(mutex_);
  HistogramRef ref;
  ref.family_ = &family(name, Kind::histogram, labels);
  ref.series_ = &ref.family_->series[normalise(labels)];
  return ref;
}

void Registry::add(CounterRef counter, double delta) {
  if (counter.series_ == nullptr || !(delta >= 0)) {
    throw std::invalid_argument("counter update through an unresolved or negative reference");
  }
  std::lock_guard lock(mutex_);
  counter.series_->value += delta;
}

void Registry::observe(HistogramRef histogram, double value) {
  if (histogram.series_ == nullptr) {
    throw std::invalid_argument("histogram update through an unresolved reference");
  }
  std::lock_guard lock(mutex_);
  observeIn(*histogram.family_, *histogram.series_, value);
}

double Registry::value(const std::string& name, const Labels& labels) const {
  std::lock_guard lock(mutex_);
  const auto f = families_.find(name);
  if (f == families_.end()) return 0;
  const auto s = f->second.series.find(normalise(labels));
  return s == f->second.series.end() ? 0 : s->second.value;
}

std::string Registry::exposition() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    if (f.series.empty()) continue;
    out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + kindName(f.kind) + "\n";
    for (const auto& [labels, s] : f.series) {
      if (f.kind != Kind::histogram) {
        out += name + renderLabels(labels) + " " + number(s.value) + "\n";
        continue;
      }
      double cumulative = 0;
      for (std::size_t i = 0; i < f.buckets.size(); ++i) {
        cumulative += i < s.counts.size() ? s.counts[i] : 0;
        out += name + "_bucket" + renderLabels(labels, "le=\"" + number(f.buckets[i]) + "\"") +
               " " + number(cumulative) + "\n";
      }
      out += name + "_bucket" + renderLabels(labels, "le=\"+Inf\"") + " " +
             std::to_string(s.count) + "\n";
      out += name + "_sum" + renderLabels(labels) + " " + number(s.sum) + "\n";
      out += name + "_count" + renderLabels(labels) + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

Registry& registry() {
  static Registry* r = new Registry();  // never destroyed: plugins may still report at exit
  return *r;
}

}  // namespace warren::metrics
