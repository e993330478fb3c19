// `vigil serve`: the workspace as a long-running HTTP service: the API of
// src/server/ on the workspace's catalogue, store and warnings.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>

#include "cli/commands.h"
#include "cli/publication.h"
#include "cli/workspace.h"
#include "core/log.h"
#include "engine/ingest_pipeline.h"
#include "engine/warning_stage.h"
#include "notify/deliverer.h"
#include "server/api.h"
#include "server/http_server.h"
#include "server/rate_limit.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Serve the workspace over HTTP: the JSON API under /api/v1 (described by
/api/v1/openapi.json), the stream of warning changes /api/v1/events
(Server-Sent Events), the published CAP messages under /cap, the health
probes /healthz and /readyz, Prometheus metrics at /metrics, and the
dashboard at / (docs/DASHBOARD.md). Every request but the probes, the
metrics, the description and the dashboard's files needs a bearer token
(`vigil token create`); each token may make --rate-limit requests per second,
in bursts of --rate-burst (429 above). docs/SERVER.md is the operator's guide.

It listens on 127.0.0.1 only unless --listen names another address; with
--tls-cert and --tls-key it speaks HTTPS only. SIGTERM or SIGINT stops it
gracefully: it stops accepting, answers the requests in flight, closes idle
connections and event streams, sends the notifications waiting in the
outbox (one round, as `vigil deliver`, within --drain-timeout) and exits 0.

Examples:
  vigil serve -w demo
  vigil serve -w demo --listen 0.0.0.0:8443 --max-connections 2000 \
      --tls-cert /etc/vigil/cert.pem --tls-key /etc/vigil/key.pem)";

constexpr const char* kFooter = R"(Exit codes:
  0  stopped by SIGTERM or SIGINT
  2  bad command line
  3  invalid catalogue, or a TLS certificate or key missing, unreadable or not a pair
  4  store unavailable, or the address cannot be bound
)";

// The server's options, and its timeouts as written, defaulting to its own.
struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  server::ServerOptions options;
  std::string header_timeout = FormatDuration(options.header_timeout);
  std::string body_timeout = FormatDuration(options.body_timeout);
  std::string drain_timeout = FormatDuration(options.drain_timeout);
  server::RateLimitOptions rate;
  bool metrics_need_token = false;
  std::string dashboard;  // empty: the one installed beside the binary
};

// The build writes the dashboard into "dashboard" beside the binary, and an
// installation keeps it there, so the default moves with the binary.
std::filesystem::path DashboardDir(const std::string& flag) {
  if (!flag.empty()) {
    return flag;
  }
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path("dashboard") : self.parent_path() / "dashboard";
}

// "HOST:PORT", the host an IPv4 address or a bracketed IPv6 one.
Status ParseListen(const std::string& text, server::ServerOptions& options) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument(fmt::format("--listen '{}': use HOST:PORT, e.g. 127.0.0.1:8080", text));
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  in6_addr ignored{};
  if (::inet_pton(AF_INET, host.c_str(), &ignored) != 1 &&
      ::inet_pton(AF_INET6, host.c_str(), &ignored) != 1) {
    return InvalidArgument(fmt::format("--listen '{}': '{}' is not an IP address", text, host));
  }
  const std::string port = text.substr(colon + 1);
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), options.port);
  if (error != std::errc() || end != port.data() + port.size()) {
    return InvalidArgument(fmt::format("--listen '{}': the port is not a number", text));
  }
  options.address = host;
  return Status::Ok();
}

Status ParseTimeouts(const ServeFlags& flags, server::ServerOptions& options) {
  for (const auto& [flag, text, out] :
       {std::tuple{"--header-timeout", &flags.header_timeout, &options.header_timeout},
        std::tuple{"--body-timeout", &flags.body_timeout, &options.body_timeout},
        std::tuple{"--drain-timeout", &flags.drain_timeout, &options.drain_timeout}}) {
    Result<Duration> d = ParseDuration(*text);
    if (!d.ok()) {
      return InvalidArgument(fmt::format("{} '{}': use a duration such as 10s", flag, *text));
    }
    *out = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  }
  return Status::Ok();
}

// Each connection is a file descriptor: raise the soft limit toward the
// hard one so that max_connections fit beside the store's files.
void RaiseOpenFileLimit(int connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return;
  }
  const rlim_t wanted = static_cast<rlim_t>(connections) + 64;
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    (void)::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// After the drain, one delivery round of the outbox, so that a notification
// committed just before SIGTERM leaves before the process does; within
// `limit` of real time (an attempt under way when it passes finishes).
void FlushOutbox(const Workspace& workspace, const Clock& clock, std::chrono::milliseconds limit) {
  const SystemClock real;
  const Timestamp deadline = real.Now() + limit;
  notify::DeliveryOptions options;
  options.connect_timeout = std::min<Duration>(options.connect_timeout, limit);
  options.io_timeout = std::min<Duration>(options.io_timeout, limit);
  options.batch = 1;  // so that the deadline is looked at between attempts
  notify::Deliverer deliverer(*workspace.store, workspace.catalogue, clock, options);
  const Result<notify::DeliveryReport> round =
      deliverer.DeliverAllDue([&] { return real.Now() < deadline; });
  if (!round.ok()) {
    LogError("delivering the outbox at shutdown failed", {{"error", round.status().message()}});
  } else if (round->attempted > 0) {
    LogInfo("outbox delivered at shutdown", {{"delivered", round->delivered},
                                             {"retrying", round->retrying},
                                             {"abandoned", round->abandoned}});
  }
}

int RunServe(const GlobalOptions& global, ServeFlags flags) {
  server::ServerOptions options = flags.options;
  for (const Status& status :
       {ParseListen(flags.listen, options), ParseTimeouts(flags, options),
        server::ValidateServerOptions(options), server::ValidateRateLimit(flags.rate)}) {
    if (!status.ok()) {
      Fail(status);
      return kExitUsage;
    }
  }
  options.stop_on_signals = true;
  // Before the ingest lock and detection's restore, which can take a while.
  if (Status tls = server::CheckTlsFiles(options); !tls.ok()) {
    return Fail(tls);
  }
  Result<Workspace> workspace = OpenWorkspace(global.workspace);
  if (!workspace.ok()) {
    return Fail(workspace.status());
  }
  Result<IngestLock> lock =
      LockIngest(*workspace, fmt::format("vigil serve on {}:{}, which takes observations at POST "
                                         "/api/v1/observations",
                                         options.address, options.port));
  if (!lock.ok()) {
    return Fail(lock.status());
  }
  std::unique_ptr<Clock> clock = std::move(ClockOf(global)).value();
  Result<std::unique_ptr<WarningStage>> stage =
      WarningStage::Open(workspace->catalogue, *workspace->store, *clock);
  if (!stage.ok()) {
    return Fail(stage.status());
  }
  // Detection is restored once, here, and then follows every request.
  Result<std::unique_ptr<IngestPipeline>> pipeline =
      IngestPipeline::Open(workspace->catalogue, *workspace->store, **stage, *clock);
  if (!pipeline.ok()) {
    return Fail(pipeline.status());
  }
  // Rates are of real time, whatever --now says.
  const SystemClock real_clock;
  server::RateLimiter rate_limiter(flags.rate, real_clock);
  server::Api api({.catalogue = workspace->catalogue,
                   .store = *workspace->store,
                   .stage = **stage,
                   .ingest = **pipeline,
                   .clock = *clock,
                   .cap = WorkspacePublishOptions(*workspace),
                   .rate_limiter = &rate_limiter,
                   .metrics_need_token = flags.metrics_need_token,
                   .dashboard = DashboardDir(flags.dashboard)});
  RaiseOpenFileLimit(options.max_connections);
  Result<std::unique_ptr<server::HttpServer>> http =
      server::HttpServer::Start(options, [&api](server::Request& r) { return api.Handle(r); });
  if (!http.ok()) {
    return Fail(http.status());
  }
  LogInfo("serving", {{"workspace", workspace->dir},
                      {"address", options.address},
                      {"port", (*http)->port()},
                      {"tls", !options.tls_cert.empty()},
                      {"threads", options.threads}});
  (*http)->Wait();
  api.Stop();
  FlushOutbox(*workspace, *clock, options.drain_timeout);
  LogInfo("stopped");
  return kExitOk;
}

}  // namespace

Command RegisterServe(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<ServeFlags>();
  server::ServerOptions& o = flags->options;
  Command command;
  command.app = app.add_subcommand("serve", kDescription);
  command.app->footer(kFooter);
  command.app
      ->add_option("--listen", flags->listen,
                   "HOST:PORT to listen on; 0.0.0.0 or [::] for every interface")
      ->capture_default_str();
  command.app->add_option("--threads", o.threads, "Threads serving requests")
      ->capture_default_str();
  command.app
      ->add_option("--max-connections", o.max_connections,
                   "Connections served at once; more wait in the listen backlog")
      ->capture_default_str();
  command.app->add_option("--max-body-bytes", o.max_body_bytes, "Largest request body (413 above)")
      ->capture_default_str();
  command.app
      ->add_option("--header-timeout", flags->header_timeout,
                   "Time to receive a request's headers; idle connections close after it")
      ->capture_default_str();
  command.app->add_option("--body-timeout", flags->body_timeout, "Time to receive a request body")
      ->capture_default_str();
  command.app
      ->add_option("--drain-timeout", flags->drain_timeout,
                   "On SIGTERM, how long requests in flight may take to finish, then the "
                   "outbox's delivery")
      ->capture_default_str();
  command.app
      ->add_option("--rate-limit", flags->rate.per_second,
                   "Requests per second each token may make (429 above); 0: no limit")
      ->capture_default_str();
  command.app
      ->add_option("--rate-burst", flags->rate.burst,
                   "Requests a token may make at once after a pause")
      ->capture_default_str();
  command.app->add_option("--tls-cert", o.tls_cert,
                          "PEM certificate (chain) to serve HTTPS with; needs --tls-key");
  command.app->add_option("--tls-key", o.tls_key, "PEM private key of --tls-cert");
  command.app->add_flag("--metrics-token", flags->metrics_need_token,
                        "Make /metrics need a bearer token that may read (it is public otherwise)");
  command.app->add_option("--dashboard", flags->dashboard,
                          "Directory of the built dashboard served at / (default: 'dashboard' "
                          "beside the vigil binary, where the build puts it)");
  command.run = [&global, flags] { return RunServe(global, *flags); };
  return command;
}

}  // namespace vigil::cli
