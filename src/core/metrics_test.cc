#include "core/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace vigil::metrics {
namespace {

// The text exposition read back: samples by name and label set, and the
// HELP and TYPE of each family.
struct Parsed {
  // "name" or "name{a=x,b=y}" with the label values unescaped, in the
  // order written.
  std::map<std::string, double> samples;
  std::map<std::string, std::string> help;
  std::map<std::string, std::string> type;
  std::vector<std::string> errors;
};

std::string Unescape(const std::string& text, std::size_t& i, char end) {
  std::string out;
  for (; i < text.size() && text[i] != end; ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char next = text[++i];
      out += next == 'n' ? '\n' : next;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Reads `{a="x",b="y"}` starting at text[i] == '{'; leaves i after the '}'.
std::string ReadLabels(const std::string& line, std::size_t& i, Parsed& parsed) {
  std::string out = "{";
  ++i;
  while (i < line.size() && line[i] != '}') {
    const std::size_t equals = line.find("=\"", i);
    if (equals == std::string::npos) {
      parsed.errors.push_back("no =\" in " + line);
      return out;
    }
    out += (out.size() > 1 ? "," : "") + line.substr(i, equals - i) + "=";
    i = equals + 2;
    out += Unescape(line, i, '"');
    i += line[i + 1] == ',' ? 2 : 1;
  }
  ++i;
  return out + "}";
}

Parsed Parse(const std::string& text) {
  Parsed parsed;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::size_t i = 0;
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const std::size_t name_end = line.find(' ', 7);
      const std::string name = line.substr(7, name_end - 7);
      i = name_end + 1;
      (line[2] == 'H' ? parsed.help : parsed.type)[name] = Unescape(line, i, '\0');
      continue;
    }
    const std::size_t name_end = line.find_first_of("{ ");
    std::string key = line.substr(0, name_end);
    i = name_end;
    if (line[i] == '{') {
      key += ReadLabels(line, i, parsed);
    }
    if (i >= line.size() || line[i] != ' ') {
      parsed.errors.push_back("no value in " + line);
      continue;
    }
    const std::string value = line.substr(i + 1);
    parsed.samples[key] = value == "+Inf" ? INFINITY : value == "NaN" ? NAN : std::stod(value);
  }
  return parsed;
}

TEST(MetricsTest, CounterIsExposedWithHelpTypeAndLabels) {
  Registry registry;
  Family<Counter>& requests =
      registry.AddCounter("test_requests_total", "Requests answered.", {"route", "code"});
  requests.With({"/a", "200"}).Inc();
  requests.With({"/a", "200"}).Inc(2);
  requests.With({"/b", "404"}).Inc();

  const Parsed p = Parse(registry.Expose());
  EXPECT_TRUE(p.errors.empty()) << p.errors.front();
  EXPECT_EQ(p.type.at("test_requests_total"), "counter");
  EXPECT_EQ(p.help.at("test_requests_total"), "Requests answered.");
  EXPECT_EQ(p.samples.at("test_requests_total{route=/a,code=200}"), 3);
  EXPECT_EQ(p.samples.at("test_requests_total{route=/b,code=404}"), 1);
  EXPECT_EQ(p.samples.size(), 2u);
}

TEST(MetricsTest, LabelValuesAndHelpAreEscaped) {
  Registry registry;
  const std::string awkward = "a \"quoted\" C:\\path\nand a line";
  registry.AddGauge("test_odd", "Help with a \\ and a\nnewline.", {"name"}).With({awkward}).Set(1);

  const std::string text = registry.Expose();
  EXPECT_NE(text.find(R"(name="a \"quoted\" C:\\path\nand a line")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(# HELP test_odd Help with a \\ and a\nnewline.)"), std::string::npos)
      << text;
  const Parsed p = Parse(text);
  EXPECT_EQ(p.samples.at("test_odd{name=" + awkward + "}"), 1);
  EXPECT_EQ(p.help.at("test_odd"), "Help with a \\ and a\nnewline.");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithSumAndCount) {
  Registry registry;
  Histogram& h =
      registry.AddHistogram("test_duration_seconds", "Durations.", {"kind"}, {0.1, 1, 10})
          .With({"x"});
  for (const double v : {0.05, 0.1, 0.5, 2.0, 20.0, 30.0}) {
    h.Observe(v);
  }

  const Parsed p = Parse(registry.Expose());
  EXPECT_TRUE(p.errors.empty());
  EXPECT_EQ(p.type.at("test_duration_seconds"), "histogram");
  const std::string b = "test_duration_seconds_bucket{kind=x,le=";
  EXPECT_EQ(p.samples.at(b + "0.1}"), 2);  // a bound is inclusive
  EXPECT_EQ(p.samples.at(b + "1}"), 3);
  EXPECT_EQ(p.samples.at(b + "10}"), 4);
  EXPECT_EQ(p.samples.at(b + "+Inf}"), 6);
  EXPECT_EQ(p.samples.at("test_duration_seconds_count{kind=x}"), 6);
  EXPECT_DOUBLE_EQ(p.samples.at("test_duration_seconds_sum{kind=x}"), 52.65);
}

TEST(MetricsTest, UnlabelledFamiliesShowZeroAndEmptyLabelledOnesAreLeftOut) {
  Registry registry;
  registry.AddCounter("test_events_total", "Events.");
  registry.AddGauge("test_by_kind", "By kind.", {"kind"});
  registry.AddHistogram("test_wait_seconds", "Waits.", {}, {1});

  const Parsed p = Parse(registry.Expose());
  EXPECT_EQ(p.samples.at("test_events_total"), 0);
  EXPECT_EQ(p.samples.at("test_wait_seconds_count"), 0);
  EXPECT_EQ(p.samples.at("test_wait_seconds_bucket{le=+Inf}"), 0);
  EXPECT_FALSE(p.type.contains("test_by_kind"));
}

TEST(MetricsTest, ComputedMetricsAreReadAtEachScrape) {
  Registry registry;
  double level = 1;
  registry.AddComputed(Kind::kGauge, "test_level", "A level.", {"which"}, [&] {
    return std::vector<Sample>{{{"a"}, level}, {{"b"}, level * 2}};
  });
  EXPECT_EQ(Parse(registry.Expose()).samples.at("test_level{which=b}"), 2);
  level = 5;
  const Parsed p = Parse(registry.Expose());
  EXPECT_EQ(p.samples.at("test_level{which=a}"), 5);
  EXPECT_EQ(p.samples.at("test_level{which=b}"), 10);
  EXPECT_EQ(p.type.at("test_level"), "gauge");
}

TEST(MetricsTest, SpecialValuesAreWrittenAsPrometheusReadsThem) {
  Registry registry;
  Family<Gauge>& g = registry.AddGauge("test_value", "Values.", {"v"});
  g.With({"inf"}).Set(INFINITY);
  g.With({"nan"}).Set(NAN);
  g.With({"small"}).Set(0.000125);
  const std::string text = registry.Expose();
  EXPECT_NE(text.find("test_value{v=\"inf\"} +Inf\n"), std::string::npos) << text;
  EXPECT_NE(text.find("test_value{v=\"nan\"} NaN\n"), std::string::npos) << text;
  EXPECT_EQ(Parse(text).samples.at("test_value{v=small}"), 0.000125);
}

TEST(MetricsTest, RegisteringANameAgainReturnsTheSameFamily) {
  Registry registry;
  registry.AddCounter("test_total", "Things.", {"k"}).With({"x"}).Inc();
  registry.AddCounter("test_total", "Things.", {"k"}).With({"x"}).Inc();
  EXPECT_EQ(Parse(registry.Expose()).samples.at("test_total{k=x}"), 2);
}

TEST(MetricsTest, FamiliesAreWrittenInNameOrderEachOnce) {
  Registry registry;
  registry.AddGauge("test_b", "B.");
  registry.AddGauge("test_a", "A.");
  const std::string text = registry.Expose();
  EXPECT_LT(text.find("# HELP test_a"), text.find("# HELP test_b"));
  EXPECT_EQ(text.find("# TYPE test_a"), text.rfind("# TYPE test_a"));
}

TEST(MetricsTest, ConcurrentUpdatesAreAllCounted) {
  Registry registry;
  Family<Counter>& c = registry.AddCounter("test_hits_total", "Hits.", {"thread"});
  Histogram& h = registry.AddHistogram("test_size_bytes", "Sizes.", {}, {10}).With({});
  constexpr int kThreads = 4;
  constexpr int kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        c.With({std::to_string(t % 2)}).Inc();
        h.Observe(i % 20);
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  const Parsed p = Parse(registry.Expose());
  EXPECT_EQ(p.samples.at("test_hits_total{thread=0}") + p.samples.at("test_hits_total{thread=1}"),
            kThreads * kEach);
  EXPECT_EQ(p.samples.at("test_size_bytes_count"), kThreads * kEach);
  EXPECT_EQ(p.samples.at("test_size_bytes_bucket{le=10}"), kThreads * kEach * 11 / 20);
}

TEST(MetricsTest, ProcessMetricsDescribeThisProcess) {
  Registry registry;
  AddProcessMetrics(registry);
  const Parsed before = Parse(registry.Expose());
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  const Parsed during = Parse(registry.Expose());
  std::fclose(file);

  EXPECT_EQ(during.samples.at("process_open_fds"), before.samples.at("process_open_fds") + 1);
  EXPECT_GE(before.samples.at("process_max_fds"), before.samples.at("process_open_fds"));
  EXPECT_GT(before.samples.at("process_resident_memory_bytes"), 1 << 20);
  EXPECT_GE(before.samples.at("process_virtual_memory_bytes"),
            before.samples.at("process_resident_memory_bytes"));
  EXPECT_GE(before.samples.at("process_cpu_seconds_total"), 0);
  EXPECT_GT(before.samples.at("process_start_time_seconds"), 1.5e9);  // after 2017
  EXPECT_EQ(before.type.at("process_cpu_seconds_total"), "counter");
}

TEST(MetricsDeathTest, MisuseIsABug) {
  Registry registry;
  Family<Counter>& c = registry.AddCounter("test_total", "Things.", {"k"});
  EXPECT_DEATH(c.With({"a", "b"}), "wrong number of label values");
  EXPECT_DEATH(registry.AddGauge("test_total", "Things.", {"k"}), "registered twice");
  EXPECT_DEATH(registry.AddGauge("2bad", "Bad."), "invalid metric name");
  EXPECT_DEATH(registry.AddHistogram("test_h", "H.", {"le"}, {1}), "invalid label name");
  EXPECT_DEATH(registry.AddHistogram("test_h", "H.", {}, {2, 1}), "do not ascend");
}

}  // namespace
}  // namespace vigil::metrics
