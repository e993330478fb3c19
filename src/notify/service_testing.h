// Test support for tests that talk to real servers on 127.0.0.1: free ports,
// bounded polling, child processes stopped on teardown, a recording HTTP(S)
// receiver, a self-signed certificate, and the Debian Alertmanager and
// Prometheus. Tests of other servers start theirs the same way: a
// ChildProcess, then PollUntil(HttpReady(...)).
//
// Nothing here reads the wall clock: waits count polls of a fixed interval.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::testing {

// A TCP port on 127.0.0.1 that was free when asked (the kernel's choice).
int FreePort();

// Calls `done` every `every`, at most `polls` times, until it returns true.
// Returns whether it did.
bool PollUntil(const std::function<bool()>& done, int polls = 300,
               std::chrono::milliseconds every = std::chrono::milliseconds(100));

// True when a GET of `url` (http only) answers 200.
bool HttpReady(const std::string& url);

// The absolute path of the executable `name` on PATH; "" when there is none.
std::string FindOnPath(std::string_view name);

// A fresh directory under the system's temporary directory, removed with its
// contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A child process whose stdout and stderr go to a log file. Stop() (also run
// on destruction) sends SIGTERM, then SIGKILL if it has not exited in 5 s.
class ChildProcess {
 public:
  // argv[0] is the executable's path.
  static Result<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                     const std::filesystem::path& log);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void Stop();              // idempotent
  void Kill();              // SIGKILL at once, as a crash; idempotent
  void Signal(int signal);  // sends `signal` and returns; WaitExit sees the outcome
  // Waits (bounded, by PollUntil) for the process to exit by itself; false
  // when it has not. `code` is its exit code, -1 when a signal ended it.
  bool WaitExit(int* code);
  std::string Log() const;  // what it has written so far, for failure messages
  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, std::filesystem::path log) : pid_(pid), log_(std::move(log)) {}
  pid_t pid_;
  std::filesystem::path log_;
};

// A request a RecordingServer received.
struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names in lowercase
  std::string body;
  // The header's value; "" when absent. `name` in any case.
  std::string Header(std::string_view name) const;
};

// An HTTP (or HTTPS) server on 127.0.0.1 and a port of the kernel's choice
// that records every POST and answers it with the next status of a script.
// Serves from construction to destruction. Thread-safe.
class RecordingServer {
 public:
  RecordingServer();  // plain HTTP
  // HTTPS with a PEM certificate and key.
  RecordingServer(const std::filesystem::path& cert, const std::filesystem::path& key);
  ~RecordingServer();
  RecordingServer(const RecordingServer&) = delete;
  RecordingServer& operator=(const RecordingServer&) = delete;

  // "http://127.0.0.1:PORT" (or https) followed by `path`.
  std::string Url(std::string_view path = "/") const;
  // The next requests are answered with `statuses` in order, later ones with `then`.
  void Answer(std::vector<int> statuses, int then = 200);
  // While stalled, a request is recorded but not answered until unstalled
  // (or the server stops): a client can be killed with its request in flight.
  void Stall(bool stalled);
  std::vector<ReceivedRequest> Requests() const;
  // Waits (bounded, by PollUntil) until `matches` holds for the requests so far.
  bool WaitFor(const std::function<bool(const std::vector<ReceivedRequest>&)>& matches) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct TestCertificate {
  std::filesystem::path cert;  // PEM; also the CA file a client trusts it with
  std::filesystem::path key;   // PEM
};

// A self-signed certificate for the IP address 127.0.0.1, written into `dir`.
Result<TestCertificate> MakeSelfSignedCertificate(const std::filesystem::path& dir);

// A server of the Prometheus family on 127.0.0.1 and a free port: they share
// the flag --web.listen-address and the readiness probe GET /-/ready.
class PrometheusFamilyProcess {
 public:
  std::string Url() const;  // the base URL, "http://127.0.0.1:PORT"
  std::string Log() const { return process_->Log(); }

 protected:
  PrometheusFamilyProcess() = default;
  // Starts `argv` listening on a free port, its output in `log`, and waits
  // until it is ready; Unavailable with its log, naming it `what`, if not.
  Status Launch(std::string_view what, std::vector<std::string> argv,
                const std::filesystem::path& log);

 private:
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

// The Debian prometheus-alertmanager with its gossip disabled, routing every
// alert to one webhook (group_wait and group_interval 1s, send_resolved),
// its storage and log in a directory of the caller's.
class AlertmanagerProcess : public PrometheusFamilyProcess {
 public:
  static constexpr std::string_view kBinary = "prometheus-alertmanager";
  // Starts `binary` and waits until it is ready; `dir` is created if missing.
  static Result<std::unique_ptr<AlertmanagerProcess>> Start(const std::string& binary,
                                                            const std::filesystem::path& dir,
                                                            const std::string& webhook_url);
};

// The Debian prometheus scraping one target ("127.0.0.1:PORT") as job
// "vigil" every second, its storage, configuration and log in a directory of
// the caller's.
class PrometheusProcess : public PrometheusFamilyProcess {
 public:
  static constexpr std::string_view kBinary = "prometheus";
  // Starts `binary` and waits until it is ready; `dir` is created if missing.
  static Result<std::unique_ptr<PrometheusProcess>> Start(const std::string& binary,
                                                          const std::filesystem::path& dir,
                                                          const std::string& target);
  // The body of GET /api/v1/query for the instant query `promql`; IoError
  // when Prometheus does not answer 200.
  Result<std::string> Query(const std::string& promql) const;
};

}  // namespace vigil::testing
