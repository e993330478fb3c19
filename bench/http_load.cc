// A load generator for `vigil serve` on loopback (bench/server-load.sh runs
// it for docs/PERFORMANCE.md). Bounded in count and time; every response is
// checked, and any that is not 2xx is counted and reported.
//
//   http_load ingest      POST batches of stream observations as fast as the
//                         server takes them (or at --rate), on --connections
//   http_load mixed       the same at --rate, while --readers GET --path in a
//                         loop and their latencies are recorded
//   http_load connections opens --count keep-alive connections, sends a
//                         request on each, then a second on each, all open
//
// The observations are `--sensors` series of `--indicator` in regions
// `<region-prefix>0001`..., one value each per round, a round `--step-ms`
// after the last, so batches sent at once stay within allowed lateness.
// With --pid, the server's resident memory is sampled every --sample-s.
// Prints one JSON object with the figures.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"

namespace vigil::load {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string token;
  // ingest
  std::int64_t requests = 1000;
  int connections = 4;
  int batch = 1000;
  double rate = 0;  // observations per second; 0: as fast as answered
  std::string indicator = "sensor-reading";
  std::string region_prefix = "XS-";
  int sensors = 1000;
  int step_ms = 1000;
  std::chrono::sys_days start{std::chrono::year{2026} / 1 / 1};
  // mixed
  int readers = 2;
  std::string path = "/api/v1/warnings";
  double duration_s = 20;
  // connections
  int count = 1000;
  // memory
  int pid = 0;
  double sample_s = 10;
};

// Latencies in microseconds, and the statuses seen.
struct Tally {
  std::mutex mutex;
  std::vector<double> latency_us;
  std::map<int, std::int64_t> statuses;
  std::int64_t errors = 0;
  std::string first_error;

  void Add(int status, double us) {
    std::lock_guard lock(mutex);
    latency_us.push_back(us);
    ++statuses[status];
  }
  void Fail(const std::string& what) {
    std::lock_guard lock(mutex);
    if (errors++ == 0) {
      first_error = what;
    }
  }
  nlohmann::json Json() {
    std::lock_guard lock(mutex);
    std::sort(latency_us.begin(), latency_us.end());
    auto at = [&](double q) {
      if (latency_us.empty()) {
        return 0.0;
      }
      const size_t i =
          static_cast<size_t>(std::ceil(q * static_cast<double>(latency_us.size()))) - 1;
      return latency_us[std::min(i, latency_us.size() - 1)] / 1000.0;
    };
    nlohmann::json s = nlohmann::json::object();
    for (const auto& [status, n] : statuses) {
      s[std::to_string(status)] = n;
    }
    return {{"requests", latency_us.size()},
            {"statuses", s},
            {"errors", errors},
            {"first_error", first_error},
            {"p50_ms", at(0.5)},
            {"p90_ms", at(0.9)},
            {"p99_ms", at(0.99)},
            {"max_ms", at(1.0)}};
  }
};

// "YYYY-MM-DDTHH:MM:SS.mmmZ", `ms` after midnight UTC of `start` (days since 1970).
std::string Rfc3339(std::chrono::sys_days start, std::int64_t ms) {
  using namespace std::chrono;
  const sys_days day = start + days(ms / 86'400'000);
  const year_month_day ymd(day);
  const std::int64_t in_day = ms % 86'400'000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     in_day / 3'600'000, in_day / 60'000 % 60, in_day / 1000 % 60, in_day % 1000);
}

// The body of batch `n`: observations n*batch ... of the sensors, round-robin.
std::string Batch(const Options& o, std::chrono::sys_days start, std::int64_t n) {
  std::string body;
  body.reserve(static_cast<size_t>(o.batch) * 100);
  for (int i = 0; i < o.batch; ++i) {
    const std::int64_t k = n * o.batch + i;
    const double value = 0.2 + 0.05 * std::sin(static_cast<double>(k) * 0.37);
    fmt::format_to(std::back_inserter(body),
                   R"({{"indicator":"{}","region":"{}{:04}","time":"{}","value":{:.3f}}})"
                   "\n",
                   o.indicator, o.region_prefix, k % o.sensors + 1,
                   Rfc3339(start, k / o.sensors * o.step_ms), value);
  }
  return body;
}

http::request<http::string_body> Make(const Options& o, http::verb verb, const std::string& target,
                                      std::string body = {}) {
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, o.host);
  req.set(http::field::authorization, "Bearer " + o.token);
  req.keep_alive(true);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/x-ndjson");
    req.body() = std::move(body);
    req.prepare_payload();
  }
  return req;
}

awaitable<tcp::socket> Connect(const Options& o) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect(
      tcp::endpoint(asio::ip::make_address(o.host), static_cast<unsigned short>(o.port)),
      use_awaitable);
  socket.set_option(tcp::no_delay(true));
  co_return socket;
}

// Sends `req` and reads the answer; the status, or -1 when the exchange failed.
awaitable<int> Exchange(tcp::socket& socket, beast::flat_buffer& buffer,
                        http::request<http::string_body>& req, Tally& tally) {
  const Clock::time_point start = Clock::now();
  try {
    co_await http::async_write(socket, req, use_awaitable);
    http::response<http::string_body> res;
    co_await http::async_read(socket, buffer, res, use_awaitable);
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    tally.Add(res.result_int(), us);
    if (res.result_int() >= 300) {
      tally.Fail(fmt::format("{} {}: {}", res.result_int(), std::string(req.target()),
                             res.body().substr(0, 300)));
    }
    co_return res.result_int();
  } catch (const std::exception& e) {
    tally.Fail(e.what());
    co_return -1;
  }
}

// Ingest: each writer takes the next batch number until `requests` are sent
// (or the deadline passes), pacing to `rate` when it is set.
struct Ingest {
  const Options& o;
  std::atomic<std::int64_t> next{0};
  std::atomic<std::int64_t> sent_obs{0};
  Clock::time_point start = Clock::now();
  Clock::time_point deadline = Clock::time_point::max();
  Tally tally;

  awaitable<void> Writer() {
    try {
      tcp::socket socket = co_await Connect(o);
      beast::flat_buffer buffer;
      asio::steady_timer timer(co_await asio::this_coro::executor);
      for (;;) {
        const std::int64_t n = next.fetch_add(1);
        if (n >= o.requests || Clock::now() >= deadline) {
          break;
        }
        if (o.rate > 0) {
          timer.expires_at(
              start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                          static_cast<double>(n * o.batch) / o.rate)));
          co_await timer.async_wait(use_awaitable);
        }
        auto req = Make(o, http::verb::post, "/api/v1/observations", Batch(o, o.start, n));
        if (co_await Exchange(socket, buffer, req, tally) < 0) {
          break;
        }
        sent_obs += o.batch;
      }
    } catch (const std::exception& e) {
      tally.Fail(e.what());
    }
  }
};

struct Readers {
  const Options& o;
  Clock::time_point deadline;
  std::atomic<bool>& stop;
  Tally tally;

  awaitable<void> Reader() {
    try {
      tcp::socket socket = co_await Connect(o);
      beast::flat_buffer buffer;
      while (!stop && Clock::now() < deadline) {
        auto req = Make(o, http::verb::get, o.path);
        if (co_await Exchange(socket, buffer, req, tally) < 0) {
          break;
        }
      }
    } catch (const std::exception& e) {
      tally.Fail(e.what());
    }
  }
};

std::int64_t ResidentKiB(int pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stoll(line.substr(6));
    }
  }
  return -1;
}

// Runs `io` on two threads (as many as the machine has cores) until its work ends.
void Run(asio::io_context& io) {
  std::thread other([&] { io.run(); });
  io.run();
  other.join();
}

double Seconds(Clock::time_point from) {
  return std::chrono::duration<double>(Clock::now() - from).count();
}

nlohmann::json RunIngest(const Options& o, bool with_readers) {
  asio::io_context io;
  Ingest ingest{.o = o};
  std::atomic<bool> stop{false};
  Readers readers{.o = o,
                  .deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(o.duration_s)),
                  .stop = stop};
  if (with_readers) {
    ingest.deadline = readers.deadline;
  }
  ingest.start = Clock::now();
  for (int i = 0; i < o.connections; ++i) {
    asio::co_spawn(io, ingest.Writer(), asio::detached);
  }
  if (with_readers) {
    for (int i = 0; i < o.readers; ++i) {
      asio::co_spawn(io, readers.Reader(), asio::detached);
    }
  }
  std::vector<std::pair<double, std::int64_t>> memory;
  std::thread sampler;
  if (o.pid > 0) {
    sampler = std::thread([&] {
      const Clock::time_point begin = Clock::now();
      while (!stop) {
        memory.emplace_back(Seconds(begin), ResidentKiB(o.pid));
        const Clock::time_point next =
            begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                        o.sample_s * static_cast<double>(memory.size())));
        while (!stop && Clock::now() < next) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }
    });
  }
  Run(io);
  const double elapsed = Seconds(ingest.start);
  stop = true;
  if (sampler.joinable()) {
    sampler.join();
  }
  nlohmann::json out = {{"elapsed_s", elapsed},
                        {"observations", ingest.sent_obs.load()},
                        {"observations_per_s", static_cast<double>(ingest.sent_obs) / elapsed},
                        {"ingest", ingest.tally.Json()}};
  if (with_readers) {
    out["reads"] = readers.tally.Json();
  }
  if (!memory.empty()) {
    nlohmann::json samples = nlohmann::json::array();
    for (const auto& [t, kib] : memory) {
      samples.push_back({{"t_s", t}, {"rss_kib", kib}});
    }
    out["memory"] = samples;
  }
  return out;
}

nlohmann::json RunConnections(const Options& o) {
  asio::io_context io;
  Tally tally;
  std::vector<tcp::socket> sockets;
  std::atomic<int> open{0};
  std::atomic<int> answered_twice{0};
  std::atomic<int> arrived{0};
  asio::steady_timer all_open(io, Clock::time_point::max());
  auto one = [&]() -> awaitable<void> {
    try {
      tcp::socket socket = co_await Connect(o);
      beast::flat_buffer buffer;
      auto req = Make(o, http::verb::get, "/healthz");
      const int first = co_await Exchange(socket, buffer, req, tally);
      ++open;
      // Wait until every connection has been answered once, so that all
      // are open at the same time, then use each again.
      if (++arrived == o.count) {
        all_open.cancel();
      } else {
        boost::system::error_code ignored;
        co_await all_open.async_wait(asio::redirect_error(use_awaitable, ignored));
      }
      auto again = Make(o, http::verb::get, "/healthz");
      const int second = co_await Exchange(socket, buffer, again, tally);
      answered_twice += first == 200 && second == 200 ? 1 : 0;
    } catch (const std::exception& e) {
      tally.Fail(e.what());
      if (++arrived == o.count) {
        all_open.cancel();
      }
    }
  };
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < o.count; ++i) {
    asio::co_spawn(io, one(), asio::detached);
  }
  Run(io);
  return {{"connections", o.count},
          {"open_at_once", open.load()},
          {"answered_twice", answered_twice.load()},
          {"elapsed_s", Seconds(start)},
          {"requests", tally.Json()}};
}

}  // namespace
}  // namespace vigil::load

int main(int argc, char** argv) {
  using vigil::load::Options;
  Options o;
  CLI::App app{"Load generator for vigil serve"};
  app.require_subcommand(1);
  app.add_option("--host", o.host, "server address");
  app.add_option("--port", o.port, "server port")->required();
  app.add_option("--token", o.token, "bearer token")->required();
  app.add_option("--pid", o.pid, "the server's process id, to sample its resident memory");
  app.add_option("--sample-s", o.sample_s, "seconds between memory samples");
  auto add_ingest = [&](CLI::App* sub) {
    sub->add_option("--requests", o.requests, "batches to send at most");
    sub->add_option("--connections", o.connections, "concurrent writers");
    sub->add_option("--batch", o.batch, "observations per request");
    sub->add_option("--rate", o.rate, "observations per second (0: as fast as answered)");
    sub->add_option("--indicator", o.indicator, "stream indicator id");
    sub->add_option("--region-prefix", o.region_prefix, "sensor regions: PREFIX0001 ...");
    sub->add_option("--sensors", o.sensors, "number of sensor regions");
    sub->add_option("--step-ms", o.step_ms, "time between a sensor's readings");
    sub->add_option_function<int>(
        "--start-year", [&](int year) { o.start = std::chrono::year{year} / 1 / 1; },
        "first readings on 1 January of this year (UTC)");
  };
  CLI::App* ingest = app.add_subcommand("ingest", "POST observation batches");
  add_ingest(ingest);
  CLI::App* mixed = app.add_subcommand("mixed", "ingest at --rate while readers GET --path");
  add_ingest(mixed);
  mixed->add_option("--readers", o.readers, "concurrent readers");
  mixed->add_option("--path", o.path, "what the readers GET");
  mixed->add_option("--duration-s", o.duration_s, "how long");
  CLI::App* connections = app.add_subcommand("connections", "hold many keep-alive connections");
  connections->add_option("--count", o.count, "connections");
  CLI11_PARSE(app, argc, argv);
  nlohmann::json out;
  if (*ingest) {
    out = vigil::load::RunIngest(o, false);
  } else if (*mixed) {
    out = vigil::load::RunIngest(o, true);
  } else {
    out = vigil::load::RunConnections(o);
  }
  std::puts(out.dump(2).c_str());
  return 0;
}
