// `vigil serve`: the workspace as a long-running HTTP service: the API of
// src/server/ on the workspace's catalogue, store and warnings.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <tuple>

#include "cli/commands.h"
#include "cli/publication.h"
#include "cli/workspace.h"
#include "core/log.h"
#include "engine/ingest_pipeline.h"
#include "engine/warning_stage.h"
#include "server/api.h"
#include "server/http_server.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(Serve the workspace over HTTP: the JSON API under /api/v1 (described by
/api/v1/openapi.json), the published CAP messages under /cap, and the health
probes /healthz and /readyz. Every request but the probes and the
description needs a bearer token (`vigil token create`); docs/SERVER.md is
the operator's guide.

It listens on 127.0.0.1 only unless --listen names another address. SIGTERM
or SIGINT stops it gracefully: it stops accepting, answers the requests in
flight, closes idle connections and exits 0.

Examples:
  vigil serve -w demo
  vigil serve -w demo --listen 0.0.0.0:8443 --max-connections 2000)";

constexpr const char* kFooter = R"(Exit codes:
  0  stopped by SIGTERM or SIGINT
  2  bad command line
  3  invalid catalogue
  4  store unavailable, or the address cannot be bound
)";

// The server's options, and its timeouts as written, defaulting to its own.
struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  server::ServerOptions options;
  std::string header_timeout = FormatDuration(options.header_timeout);
  std::string body_timeout = FormatDuration(options.body_timeout);
  std::string drain_timeout = FormatDuration(options.drain_timeout);
};

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

int RunServe(const GlobalOptions& global, ServeFlags flags) {
  server::ServerOptions options = flags.options;
  for (const Status& status : {ParseListen(flags.listen, options), ParseTimeouts(flags, options),
                               server::ValidateServerOptions(options)}) {
    if (!status.ok()) {
      Fail(status);
      return kExitUsage;
    }
  }
  options.stop_on_signals = true;
  Result<Workspace> workspace = OpenWorkspace(global.workspace);
  if (!workspace.ok()) {
    return Fail(workspace.status());
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
  server::Api api({.catalogue = workspace->catalogue,
                   .store = *workspace->store,
                   .stage = **stage,
                   .ingest = **pipeline,
                   .clock = *clock,
                   .cap = WorkspacePublishOptions(*workspace)});
  RaiseOpenFileLimit(options.max_connections);
  Result<std::unique_ptr<server::HttpServer>> http =
      server::HttpServer::Start(options, [&api](server::Request& r) { return api.Handle(r); });
  if (!http.ok()) {
    return Fail(http.status());
  }
  LogInfo("serving", {{"workspace", workspace->dir},
                      {"address", options.address},
                      {"port", (*http)->port()},
                      {"threads", options.threads}});
  (*http)->Wait();
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
                   "On SIGTERM, how long requests in flight may take to finish")
      ->capture_default_str();
  command.run = [&global, flags] { return RunServe(global, *flags); };
  return command;
}

}  // namespace vigil::cli
