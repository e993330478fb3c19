#include "notify/service_testing.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

extern char** environ;

namespace vigil::testing {
namespace {

std::string Lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  if (fd >= 0) {
    ::close(fd);
  }
  return port;
}

bool PollUntil(const std::function<bool()>& done, int polls, std::chrono::milliseconds every) {
  for (int i = 0; i < polls; ++i) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(every);
  }
  return done();
}

bool HttpReady(const std::string& url) {
  const size_t path_at = url.find('/', url.find("://") + 3);
  httplib::Client client(url.substr(0, path_at));
  client.set_connection_timeout(std::chrono::seconds(1));
  const httplib::Result result =
      client.Get(path_at == std::string::npos ? "/" : url.substr(path_at));
  return result && result->status == 200;
}

std::string FindOnPath(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::filesystem::path candidate = std::filesystem::path(dir) / name;
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
  }
  return "";
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "vigil-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) != nullptr) {
    path_ = pattern;
  }
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const std::vector<std::string>& argv,
                                                          const std::filesystem::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  const int error = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return IoError(fmt::format("cannot start {}: {}", argv[0], std::strerror(error)));
  }
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, log));
}

ChildProcess::~ChildProcess() { Stop(); }

void ChildProcess::Stop() {
  if (pid_ <= 0) {
    return;
  }
  ::kill(pid_, SIGTERM);
  const bool exited = PollUntil([&] { return ::waitpid(pid_, nullptr, WNOHANG) == pid_; }, 50);
  if (!exited) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_ = 0;
}

void ChildProcess::Kill() {
  if (pid_ <= 0) {
    return;
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = 0;
}

void ChildProcess::Signal(int signal) {
  if (pid_ > 0) {
    ::kill(pid_, signal);
  }
}

bool ChildProcess::WaitExit(int* code) {
  if (pid_ <= 0) {
    return false;
  }
  int status = 0;
  if (!PollUntil([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; })) {
    return false;
  }
  pid_ = 0;
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return true;
}

std::string ChildProcess::Log() const { return ReadFile(log_); }

std::string ReceivedRequest::Header(std::string_view name) const {
  const auto it = headers.find(Lowercase(name));
  return it == headers.end() ? "" : it->second;
}

struct RecordingServer::Impl {
  std::unique_ptr<httplib::Server> server;
  std::string scheme;
  int port = 0;
  std::thread thread;
  mutable std::mutex mutex;
  std::vector<ReceivedRequest> requests;
  std::vector<int> statuses;
  size_t next_status = 0;
  int then = 200;
  std::atomic<bool> stalled{false};
  std::atomic<bool> stopping{false};

  void Serve() {
    server->Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
      ReceivedRequest received{
          .method = request.method, .path = request.path, .body = request.body};
      for (const auto& [name, value] : request.headers) {
        received.headers[Lowercase(name)] = value;
      }
      {
        std::lock_guard lock(mutex);
        requests.push_back(std::move(received));
        response.status = next_status < statuses.size() ? statuses[next_status++] : then;
      }
      response.set_content("{}", "application/json");
      while (stalled && !stopping) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    });
    // Bound before serving, so a client may connect as soon as the constructor returns.
    port = server->bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server->listen_after_bind(); });
    // stop() does nothing to a server not yet listening, which would then never stop.
    PollUntil([this] { return server->is_running(); }, 1000, std::chrono::milliseconds(1));
  }
};

RecordingServer::RecordingServer() : impl_(std::make_unique<Impl>()) {
  impl_->server = std::make_unique<httplib::Server>();
  impl_->scheme = "http";
  impl_->Serve();
}

RecordingServer::RecordingServer(const std::filesystem::path& cert,
                                 const std::filesystem::path& key)
    : impl_(std::make_unique<Impl>()) {
  impl_->server = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str());
  impl_->scheme = "https";
  impl_->Serve();
}

RecordingServer::~RecordingServer() {
  impl_->stopping = true;
  impl_->server->stop();
  impl_->thread.join();
}

std::string RecordingServer::Url(std::string_view path) const {
  return fmt::format("{}://127.0.0.1:{}{}", impl_->scheme, impl_->port, path);
}

void RecordingServer::Stall(bool stalled) { impl_->stalled = stalled; }

void RecordingServer::Answer(std::vector<int> statuses, int then) {
  std::lock_guard lock(impl_->mutex);
  impl_->statuses = std::move(statuses);
  impl_->next_status = 0;
  impl_->then = then;
}

std::vector<ReceivedRequest> RecordingServer::Requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

bool RecordingServer::WaitFor(
    const std::function<bool(const std::vector<ReceivedRequest>&)>& matches) const {
  return PollUntil([&] { return matches(Requests()); });
}

Result<TestCertificate> MakeSelfSignedCertificate(const std::filesystem::path& dir) {
  const TestCertificate out{dir / "cert.pem", dir / "key.pem"};
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!key || !cert) {
    return Internal("OpenSSL cannot make a key or certificate");
  }
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert.get(), cert.get(), nullptr, nullptr, 0);
  // Its own trust anchor, as `openssl req -x509` makes them.
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                                   std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    if (extension == nullptr) {
      return Internal("OpenSSL cannot make a certificate extension");
    }
    X509_add_ext(cert.get(), extension, -1);
    X509_EXTENSION_free(extension);
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return Internal("OpenSSL cannot sign the certificate");
  }
  std::unique_ptr<FILE, decltype(&std::fclose)> cert_file(std::fopen(out.cert.c_str(), "w"),
                                                          std::fclose);
  std::unique_ptr<FILE, decltype(&std::fclose)> key_file(std::fopen(out.key.c_str(), "w"),
                                                         std::fclose);
  if (!cert_file || !key_file || PEM_write_X509(cert_file.get(), cert.get()) == 0 ||
      PEM_write_PrivateKey(key_file.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 0) {
    return IoError(fmt::format("cannot write the certificate into {}", dir.string()));
  }
  return out;
}

Status PrometheusFamilyProcess::Launch(std::string_view what, std::vector<std::string> argv,
                                       const std::filesystem::path& log) {
  port_ = FreePort();
  argv.push_back(fmt::format("--web.listen-address=127.0.0.1:{}", port_));
  VIGIL_ASSIGN_OR_RETURN(process_, ChildProcess::Start(argv, log));
  if (!PollUntil([&] { return HttpReady(Url() + "/-/ready"); })) {
    return Unavailable(fmt::format("{} did not become ready:\n{}", what, Log()));
  }
  return Status::Ok();
}

std::string PrometheusFamilyProcess::Url() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

Result<std::unique_ptr<AlertmanagerProcess>> AlertmanagerProcess::Start(
    const std::string& binary, const std::filesystem::path& dir, const std::string& webhook_url) {
  std::filesystem::create_directories(dir);
  const std::filesystem::path config = dir / "alertmanager.yml";
  std::ofstream(config) << fmt::format(
      "route: {{ receiver: hook, group_by: [alertname], group_wait: 1s, group_interval: 1s, "
      "repeat_interval: 1h }}\n"
      "receivers: [ {{ name: hook, webhook_configs: [ {{ url: \"{}\", send_resolved: true }} ] "
      "}} ]\n",
      webhook_url);
  std::unique_ptr<AlertmanagerProcess> am(new AlertmanagerProcess());
  // An empty --cluster.listen-address disables gossip, which would bind 0.0.0.0:9094.
  VIGIL_RETURN_IF_ERROR(
      am->Launch("Alertmanager",
                 {binary, "--config.file=" + config.string(),
                  "--storage.path=" + (dir / "data").string(), "--cluster.listen-address="},
                 dir / "alertmanager.log"));
  return am;
}

Result<std::unique_ptr<PrometheusProcess>> PrometheusProcess::Start(
    const std::string& binary, const std::filesystem::path& dir, const std::string& target) {
  std::filesystem::create_directories(dir);
  const std::filesystem::path config = dir / "prometheus.yml";
  std::ofstream(config) << fmt::format(
      "global: {{ scrape_interval: 1s, evaluation_interval: 1s }}\n"
      "scrape_configs: [ {{ job_name: vigil, static_configs: [ {{ targets: [ \"{}\" ] }} ] }} ]\n",
      target);
  std::unique_ptr<PrometheusProcess> prometheus(new PrometheusProcess());
  VIGIL_RETURN_IF_ERROR(prometheus->Launch(
      "Prometheus",
      {binary, "--config.file=" + config.string(), "--storage.tsdb.path=" + (dir / "data").string(),
       "--storage.tsdb.retention.time=1h"},
      dir / "prometheus.log"));
  return prometheus;
}

Result<std::string> PrometheusProcess::Query(const std::string& promql) const {
  httplib::Client client(Url());
  client.set_connection_timeout(std::chrono::seconds(1));
  const httplib::Result result =
      client.Get("/api/v1/query", httplib::Params{{"query", promql}}, httplib::Headers{});
  if (!result || result->status != 200) {
    return IoError(fmt::format("Prometheus query '{}' failed: {}", promql,
                               result ? result->body : httplib::to_string(result.error())));
  }
  return result->body;
}

}  // namespace vigil::testing
