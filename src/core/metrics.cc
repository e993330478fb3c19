#include "core/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace vigil::metrics {
namespace detail {

void Misuse(std::string_view message) {
  std::fprintf(stderr, "metrics: %.*s\n", static_cast<int>(message.size()), message.data());
  std::abort();
}

}  // namespace detail

namespace {

bool ValidName(std::string_view name, bool colons) {
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (name.empty() || digit(name.front())) {
    return false;
  }
  return std::ranges::all_of(
      name, [&](char c) { return letter(c) || digit(c) || c == '_' || (colons && c == ':'); });
}

// Prometheus writes numbers as Go does: +Inf, -Inf, NaN, and the shortest
// decimal that reads back the same.
std::string FormatValue(double v) {
  if (std::isnan(v)) {
    return "NaN";
  }
  if (std::isinf(v)) {
    return v > 0 ? "+Inf" : "-Inf";
  }
  return fmt::format("{}", v);
}

// Backslash, and newline as \n; in label values also the double quote.
std::string Escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

// `{a="x",b="y"}` for the names and values, with one more pair when `extra`
// names one; "" when there are none at all.
std::string LabelSet(const std::vector<std::string>& names, const std::vector<std::string>& values,
                     std::string_view extra = "", std::string_view extra_value = "") {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "{}{}=\"{}\"", out.empty() ? "" : ",", names[i],
                   Escape(values[i], true));
  }
  if (!extra.empty()) {
    fmt::format_to(std::back_inserter(out), "{}{}=\"{}\"", out.empty() ? "" : ",", extra,
                   extra_value);
  }
  return out.empty() ? out : "{" + out + "}";
}

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kCounter:
      return "counter";
    case Kind::kGauge:
      return "gauge";
    case Kind::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), counts_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    counts_[i].store(0, std::memory_order_relaxed);
  }
}

void Histogram::Observe(double value) {
  // A bucket counts the observations up to and including its bound.
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.cumulative.reserve(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    s.count += counts_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(s.count);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> bounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                             0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                             1,      2.5,     5,      10};
  return bounds;
}

struct Registry::Entry {
  Kind kind;
  std::string name;
  std::string help;
  std::vector<std::string> labels;
  std::vector<double> bounds;
  std::unique_ptr<Family<Counter>> counters;
  std::unique_ptr<Family<Gauge>> gauges;
  std::unique_ptr<Family<Histogram>> histograms;
  std::function<std::vector<Sample>()> collect;

  bool computed() const { return static_cast<bool>(collect); }
  void Write(std::string& out) const;

  template <typename T>
  void WriteChildren(const Family<T>& family, std::string& out) const;
  void WriteChild(const std::vector<std::string>& values, const Counter& c, std::string& out) const;
  void WriteChild(const std::vector<std::string>& values, const Gauge& g, std::string& out) const;
  void WriteChild(const std::vector<std::string>& values, const Histogram& h,
                  std::string& out) const;
};

void Registry::Entry::Write(std::string& out) const {
  std::string samples;
  if (counters) {
    WriteChildren(*counters, samples);
  } else if (gauges) {
    WriteChildren(*gauges, samples);
  } else if (histograms) {
    WriteChildren(*histograms, samples);
  } else {
    for (const Sample& s : collect()) {
      if (s.label_values.size() != labels.size()) {
        detail::Misuse("a computed metric gave the wrong number of label values");
      }
      fmt::format_to(std::back_inserter(samples), "{}{} {}\n", name,
                     LabelSet(labels, s.label_values), FormatValue(s.value));
    }
  }
  if (!samples.empty()) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n{}", name,
                   Escape(help, false), name, KindName(kind), samples);
  }
}

template <typename T>
void Registry::Entry::WriteChildren(const Family<T>& family, std::string& out) const {
  family.ForEach([&](const std::vector<std::string>& values, const T& child) {
    WriteChild(values, child, out);
  });
}

void Registry::Entry::WriteChild(const std::vector<std::string>& values, const Counter& c,
                                 std::string& out) const {
  fmt::format_to(std::back_inserter(out), "{}{} {}\n", name, LabelSet(labels, values),
                 FormatValue(c.Value()));
}

void Registry::Entry::WriteChild(const std::vector<std::string>& values, const Gauge& g,
                                 std::string& out) const {
  fmt::format_to(std::back_inserter(out), "{}{} {}\n", name, LabelSet(labels, values),
                 FormatValue(g.Value()));
}

void Registry::Entry::WriteChild(const std::vector<std::string>& values, const Histogram& h,
                                 std::string& out) const {
  const Histogram::Snapshot s = h.Read();
  for (std::size_t i = 0; i < s.cumulative.size(); ++i) {
    const std::string le = i < bounds.size() ? FormatValue(bounds[i]) : "+Inf";
    fmt::format_to(std::back_inserter(out), "{}_bucket{} {}\n", name,
                   LabelSet(labels, values, "le", le), s.cumulative[i]);
  }
  const std::string label_set = LabelSet(labels, values);
  fmt::format_to(std::back_inserter(out), "{}_sum{} {}\n{}_count{} {}\n", name, label_set,
                 FormatValue(s.sum), name, label_set, s.count);
}

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Entry& Registry::Add(std::unique_ptr<Entry> made) {
  const Entry& m = *made;
  if (!ValidName(m.name, true)) {
    detail::Misuse("invalid metric name '" + m.name + "'");
  }
  for (const std::string& label : m.labels) {
    if (!ValidName(label, false) || label.starts_with("__") ||
        (m.kind == Kind::kHistogram && label == "le")) {
      detail::Misuse("invalid label name '" + label + "' of metric " + m.name);
    }
  }
  if (!std::ranges::is_sorted(m.bounds) || std::ranges::adjacent_find(m.bounds) != m.bounds.end()) {
    detail::Misuse("the bucket bounds of " + m.name + " do not ascend");
  }
  std::unique_lock lock(mutex_);
  auto [it, added] = entries_.try_emplace(m.name);
  if (added) {
    it->second = std::move(made);
    return *it->second;
  }
  const Entry& e = *it->second;
  if (e.kind != m.kind || e.labels != m.labels || e.bounds != m.bounds || e.computed() ||
      m.computed()) {
    detail::Misuse("metric " + m.name + " registered twice, differently");
  }
  return *it->second;
}

template <typename T>
Family<T>& Registry::AddFamily(std::unique_ptr<Entry> e, std::unique_ptr<Family<T>> Entry::*slot,
                               std::function<std::unique_ptr<T>()> make) {
  const std::size_t labels = e->labels.size();
  (*e).*slot = std::unique_ptr<Family<T>>(new Family<T>(labels, std::move(make)));
  Family<T>& family = *(Add(std::move(e)).*slot);
  if (labels == 0) {
    family.With({});
  }
  return family;
}

Family<Counter>& Registry::AddCounter(const std::string& name, const std::string& help,
                                      const std::vector<std::string>& labels) {
  return AddFamily<Counter>(
      std::make_unique<Entry>(
          Entry{.kind = Kind::kCounter, .name = name, .help = help, .labels = labels}),
      &Entry::counters, [] { return std::make_unique<Counter>(); });
}

Family<Gauge>& Registry::AddGauge(const std::string& name, const std::string& help,
                                  const std::vector<std::string>& labels) {
  return AddFamily<Gauge>(std::make_unique<Entry>(Entry{
                              .kind = Kind::kGauge, .name = name, .help = help, .labels = labels}),
                          &Entry::gauges, [] { return std::make_unique<Gauge>(); });
}

Family<Histogram>& Registry::AddHistogram(const std::string& name, const std::string& help,
                                          const std::vector<std::string>& labels,
                                          const std::vector<double>& bounds) {
  return AddFamily<Histogram>(std::make_unique<Entry>(Entry{.kind = Kind::kHistogram,
                                                            .name = name,
                                                            .help = help,
                                                            .labels = labels,
                                                            .bounds = bounds}),
                              &Entry::histograms,
                              [bounds] { return std::make_unique<Histogram>(bounds); });
}

void Registry::AddComputed(Kind kind, const std::string& name, const std::string& help,
                           const std::vector<std::string>& labels,
                           std::function<std::vector<Sample>()> collect) {
  if (kind == Kind::kHistogram) {
    detail::Misuse("a computed metric is a counter or a gauge");
  }
  auto e =
      std::make_unique<Entry>(Entry{.kind = kind, .name = name, .help = help, .labels = labels});
  e->collect = std::move(collect);
  Add(std::move(e));
}

std::string Registry::Expose() const {
  std::string out;
  std::shared_lock lock(mutex_);
  for (const auto& [name, entry] : entries_) {
    entry->Write(out);
  }
  return out;
}

Registry& DefaultRegistry() {
  static Registry registry;
  return registry;
}

}  // namespace vigil::metrics
