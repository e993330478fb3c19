// Metrics in the Prometheus text exposition format (version 0.0.4): counters,
// gauges and histograms with fixed buckets, each a family of children told
// apart by label values, and metrics computed when they are scraped.
//
// - A Registry holds families by name; registering a name again returns the
//   family already there, so a module may register from a function-local
//   static. Registering it again as another kind, with other labels or
//   buckets, or with a name or label name Prometheus would refuse, is a bug
//   and aborts.
// - Updating a child (Counter::Inc, Gauge::Set, Histogram::Observe) is a few
//   relaxed atomic operations: no lock, no allocation. Finding a child by its
//   label values (Family::With) takes a shared lock and, the first time, makes
//   it: hot paths look their children up once and keep the reference, which
//   stays valid as long as the registry.
// - Expose() writes every family, sorted by name, with HELP and TYPE; label
//   values and help text are escaped as the format asks. Families with no
//   child yet are left out. A scrape reads each value once without stopping
//   writers: a histogram's buckets, sum and count may be a few observations
//   apart, but its +Inf bucket always equals its count.
//
// DefaultRegistry() is the process's: what the stages record (ingest,
// detection, delivery) whoever drives them, exposed by `vigil serve`.
//
// Thread safety: everything here may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::metrics {

enum class Kind { kCounter, kGauge, kHistogram };

class Counter {
 public:
  void Inc(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }  // by >= 0
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Counts observations into buckets by their upper bounds (ascending, +Inf
// implied), with their sum.
class Histogram {
 public:
  explicit Histogram(const std::vector<double>& bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot Read() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bucket, +Inf last; not cumulative
  std::atomic<double> sum_{0};
};

// Histogram bounds for durations in seconds: 100 µs to 10 s.
const std::vector<double>& LatencyBuckets();

// The children of one metric, by label values (as many as the family has
// label names, in that order).
template <typename T>
class Family {
 public:
  T& With(std::initializer_list<std::string_view> label_values);
  // Calls f(label_values, child) for every child, in the order of their keys.
  template <typename F>
  void ForEach(F&& f) const {
    std::shared_lock lock(mutex_);
    for (const auto& [key, child] : children_) {
      f(child.first, *child.second);
    }
  }

 private:
  friend class Registry;
  using Factory = std::function<std::unique_ptr<T>()>;
  Family(std::size_t labels, Factory make) : labels_(labels), make_(std::move(make)) {}

  std::size_t labels_;
  Factory make_;
  mutable std::shared_mutex mutex_;
  // Keyed by the label values, each prefixed with its length so that no two
  // lists of values make the same key.
  std::map<std::string, std::pair<std::vector<std::string>, std::unique_ptr<T>>> children_;
};

// One value of a computed metric.
struct Sample {
  std::vector<std::string> label_values;
  double value = 0;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // A family without labels has its one child from the start (so it is
  // exposed as 0 before anything happens); With({}) returns it.
  Family<Counter>& AddCounter(const std::string& name, const std::string& help,
                              const std::vector<std::string>& labels = {});
  Family<Gauge>& AddGauge(const std::string& name, const std::string& help,
                          const std::vector<std::string>& labels = {});
  Family<Histogram>& AddHistogram(const std::string& name, const std::string& help,
                                  const std::vector<std::string>& labels,
                                  const std::vector<double>& bounds);
  // A counter or gauge whose samples `collect` computes at each scrape, on
  // the scraping thread (which holds the registry's lock: `collect` must not
  // register metrics).
  void AddComputed(Kind kind, const std::string& name, const std::string& help,
                   const std::vector<std::string>& labels,
                   std::function<std::vector<Sample>()> collect);

  // The text exposition of every family.
  std::string Expose() const;

 private:
  struct Entry;
  // Keeps `made`, or returns the entry of that name already there.
  Entry& Add(std::unique_ptr<Entry> made);
  // Gives `e` a family in `slot` that makes its children with `make`, adds
  // it, and returns the family of that name.
  template <typename T>
  Family<T>& AddFamily(std::unique_ptr<Entry> e, std::unique_ptr<Family<T>> Entry::*slot,
                       std::function<std::unique_ptr<T>()> make);

  mutable std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<Entry>, std::less<>> entries_;
};

Registry& DefaultRegistry();

// Registers the standard process metrics, read from /proc at each scrape:
// process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_start_time_seconds, process_open_fds
// and process_max_fds. One that cannot be read is left out of that scrape.
void AddProcessMetrics(Registry& registry);

// "text/plain; version=0.0.4; charset=utf-8": the Content-Type of Expose()'s text.
inline constexpr std::string_view kExpositionContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// Measures a duration on the monotonic clock, which is not the wall clock:
// it only ever tells elapsed time.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

namespace detail {
// Reports a misuse of this interface (a bug in the caller) and aborts.
[[noreturn]] void Misuse(std::string_view message);
}  // namespace detail

template <typename T>
T& Family<T>::With(std::initializer_list<std::string_view> label_values) {
  if (label_values.size() != labels_) {
    detail::Misuse("a metric child asked with the wrong number of label values");
  }
  std::string key;
  for (const std::string_view v : label_values) {
    key.append(std::to_string(v.size())).append(":").append(v);
  }
  {
    std::shared_lock lock(mutex_);
    if (auto it = children_.find(key); it != children_.end()) {
      return *it->second.second;
    }
  }
  std::unique_lock lock(mutex_);
  auto [it, added] = children_.try_emplace(std::move(key));
  if (added) {
    it->second.first.assign(label_values.begin(), label_values.end());
    it->second.second = make_();
  }
  return *it->second.second;
}

}  // namespace vigil::metrics
