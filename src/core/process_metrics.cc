// The process metrics every Prometheus client library exports, under the
// names dashboards expect, read from /proc at each scrape.
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/metrics.h"

namespace vigil::metrics {
namespace {

// The fields of /proc/self/stat after the command name (which may hold
// spaces, so it is skipped up to its closing parenthesis): [0] is field 3.
std::vector<std::string> StatFields() {
  std::ifstream in("/proc/self/stat");
  const std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t close = line.rfind(')');
  if (close == std::string::npos) {
    return {};
  }
  std::istringstream rest(line.substr(close + 1));
  return {std::istream_iterator<std::string>(rest), std::istream_iterator<std::string>()};
}

// Field `number` of /proc/self/stat (as proc(5) numbers them), when present.
std::optional<double> StatField(const std::vector<std::string>& fields, std::size_t number) {
  if (fields.size() <= number - 3) {
    return std::nullopt;
  }
  return std::stod(fields[number - 3]);
}

std::optional<double> BootTimeSeconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime" && in >> value) {
      return value;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

std::vector<Sample> One(std::optional<double> value) {
  return value ? std::vector<Sample>{{{}, *value}} : std::vector<Sample>{};
}

}  // namespace

void AddProcessMetrics(Registry& registry) {
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  registry.AddComputed(
      Kind::kCounter, "process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
      {}, [ticks] {
        const std::vector<std::string> f = StatFields();
        const auto user = StatField(f, 14);
        const auto system = StatField(f, 15);
        return One(user && system ? std::optional((*user + *system) / ticks) : std::nullopt);
      });
  registry.AddComputed(Kind::kGauge, "process_resident_memory_bytes", "Resident memory, in bytes.",
                       {}, [page] {
                         const auto rss = StatField(StatFields(), 24);
                         return One(rss ? std::optional(*rss * page) : std::nullopt);
                       });
  registry.AddComputed(Kind::kGauge, "process_virtual_memory_bytes", "Virtual memory, in bytes.",
                       {}, [] { return One(StatField(StatFields(), 23)); });
  registry.AddComputed(
      Kind::kGauge, "process_start_time_seconds",
      "When the process started, in seconds since the Unix epoch.", {}, [ticks] {
        const auto since_boot = StatField(StatFields(), 22);
        const auto boot = BootTimeSeconds();
        return One(since_boot && boot ? std::optional(*boot + *since_boot / ticks) : std::nullopt);
      });
  registry.AddComputed(Kind::kGauge, "process_open_fds", "Open file descriptors.", {}, [] {
    std::error_code error;
    std::filesystem::directory_iterator it("/proc/self/fd", error);
    return One(error ? std::nullopt
                     : std::optional(static_cast<double>(
                           std::distance(it, std::filesystem::directory_iterator()))));
  });
  registry.AddComputed(Kind::kGauge, "process_max_fds", "The limit on open file descriptors.", {},
                       [] {
                         rlimit limit{};
                         return One(::getrlimit(RLIMIT_NOFILE, &limit) == 0
                                        ? std::optional(static_cast<double>(limit.rlim_cur))
                                        : std::nullopt);
                       });
}

}  // namespace vigil::metrics
