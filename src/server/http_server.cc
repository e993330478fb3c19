#include "server/http_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/log.h"

namespace vigil::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Requests are read into a string body; a request that is not valid UTF-8
// JSON is the handler's to refuse.
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

std::string_view View(beast::string_view text) { return {text.data(), text.size()}; }

std::string Lowercase(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The Request of `message`, or the error to answer with.
Result<Request> ToRequest(HttpRequest&& message) {
  Request request;
  request.method = std::string(View(message.method_string()));
  const std::string_view target = View(message.target());
  const size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    VIGIL_ASSIGN_OR_RETURN(request.query, ParseQuery(target.substr(question + 1)));
  }
  for (const auto& field : message) {
    std::string& value = request.headers[Lowercase(View(field.name_string()))];
    value += (value.empty() ? "" : ", ") + std::string(View(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

}  // namespace

class Session;

struct HttpServer::Impl {
  Impl(const ServerOptions& o, RequestHandler h)
      : options(o),
        handler(std::move(h)),
        accept_strand(net::make_strand(ioc)),
        acceptor(accept_strand),
        drain_timer(accept_strand),
        accept_retry(accept_strand),
        signals(ioc) {}

  Status Listen();
  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void BeginShutdown();
  // Each open session, told to stop (now: at once).
  void ShutdownSessions(bool now);
  void OnSessionEnd(Session* session);

  const ServerOptions options;
  const RequestHandler handler;
  net::io_context ioc;
  net::strand<net::io_context::executor_type> accept_strand;
  // On accept_strand: the acceptor, the drain timer, the pause after a
  // failed accept, and whether accepting waits for a connection to close.
  tcp::acceptor acceptor;
  net::steady_timer drain_timer;
  net::steady_timer accept_retry;
  bool accept_paused = false;
  net::signal_set signals;
  std::atomic<bool> stopping{false};
  std::mutex mutex;  // guards sessions
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::vector<std::thread> threads;
  std::once_flag joined;
  int port = 0;  // as bound
};

// One connection: reads a request, answers it, and again while the client
// keeps the connection alive. Runs on its own strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl& server)
      : stream_(std::move(socket)), server_(server), options_(server.options) {}
  ~Session() { server_.OnSessionEnd(this); }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Closes the connection if it waits for a request; otherwise the request
  // in flight is answered and the connection closed after. With `now`,
  // closes it whatever it does.
  void Shutdown(bool now) {
    net::dispatch(stream_.get_executor(), [self = shared_from_this(), now] {
      self->stopping_ = true;
      if (self->idle_ || now) {
        self->Close();
      }
    });
  }

 private:
  void ReadHeader() {
    if (stopping_) {
      return Close();
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    parser_->body_limit(options_.max_body_bytes);
    idle_ = true;
    stream_.expires_after(options_.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    idle_ = false;
    if (ec) {
      return OnReadError(ec);
    }
    if (const auto length = parser_->content_length();
        length && *length > options_.max_body_bytes) {
      return TooLarge();
    }
    stream_.expires_after(options_.body_timeout);
    if (Lowercase(View(parser_->get()[http::field::expect])) != "100-continue") {
      return ReadBody();
    }
    // The client waits for this before it sends the body.
    auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    http::async_write(stream_, *go_on,
                      [self = shared_from_this(), go_on](beast::error_code error, std::size_t) {
                        error ? self->Close() : self->ReadBody();
                      });
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec) {
      return OnReadError(ec);
    }
    const bool keep_alive = parser_->keep_alive();
    Result<Request> request = ToRequest(parser_->release());
    Response response;
    if (!request.ok()) {
      response = ErrorResponse(400, "bad_request", request.status().message());
    } else {
      response = Handle(*request);
    }
    Write(std::move(response), !keep_alive || stopping_);
  }

  Response Handle(Request& request) {
    // A handler's library may throw; the connection must not take the
    // server down with it.
    try {
      return server_.handler(request);
    } catch (const std::exception& e) {
      LogError("request failed",
               {{"method", request.method}, {"path", request.path}, {"error", e.what()}});
      return ErrorResponse(500, "internal", "the server failed to answer; see its log");
    }
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return TooLarge();
    }
    if (ec == http::error::header_limit) {
      return Write(ErrorResponse(431, "headers_too_large",
                                 fmt::format("request headers are limited to {} bytes",
                                             options_.max_header_bytes)),
                   true);
    }
    // A parse error is the client's; end of stream, timeouts and resets end
    // the connection without an answer nobody would read.
    if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return Write(ErrorResponse(400, "bad_request", ec.message()), true);
    }
    Close();
  }

  void TooLarge() {
    Write(ErrorResponse(
              413, "payload_too_large",
              fmt::format("request bodies are limited to {} bytes", options_.max_body_bytes)),
          true);
  }

  void Write(Response response, bool close) {
    auto message = std::make_shared<HttpResponse>(static_cast<http::status>(response.status), 11);
    message->set(http::field::server, "vigil");
    message->set(http::field::content_type, response.content_type);
    message->set(http::field::cache_control, "no-store");
    message->set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : response.headers) {
      message->set(name, value);
    }
    message->body() = std::move(response.body);
    message->keep_alive(!close);
    message->prepare_payload();
    stream_.expires_after(options_.write_timeout);
    http::async_write(
        stream_, *message,
        [self = shared_from_this(), message, close](beast::error_code ec, std::size_t) {
          if (ec || close || self->stopping_) {
            return self->Close();
          }
          self->ReadHeader();
        });
  }

  void Close() {
    if (closed_) {
      return;
    }
    closed_ = true;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  const ServerOptions& options_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool idle_ = false;      // waiting for the headers of a request
  bool stopping_ = false;  // the server drains: no further request
  bool closed_ = false;
};

Status HttpServer::Impl::Listen() {
  beast::error_code ec;
  const net::ip::address ip = net::ip::make_address(options.address, ec);
  if (ec) {
    return InvalidArgument(fmt::format("'{}' is not an IP address", options.address));
  }
  const tcp::endpoint endpoint(ip, static_cast<unsigned short>(options.port));
  const std::string where = fmt::format("{}:{}", options.address, options.port);
  for (const auto& step : std::initializer_list<std::function<void()>>{
           [&] { acceptor.open(endpoint.protocol(), ec); },
           [&] { acceptor.set_option(net::socket_base::reuse_address(true), ec); },
           [&] { acceptor.bind(endpoint, ec); },
           [&] { acceptor.listen(net::socket_base::max_listen_connections, ec); }}) {
    step();
    if (ec) {
      return IoError(fmt::format("cannot listen on {}: {}", where, ec.message()));
    }
  }
  port = acceptor.local_endpoint(ec).port();
  return Status::Ok();
}

void HttpServer::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), beast::bind_front_handler(&Impl::OnAccept, this));
}

void HttpServer::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping) {
    return;  // the socket closes as it goes out of scope
  }
  if (ec) {
    // Out of file descriptors, most likely: wait for some to close rather
    // than spin on the error.
    LogWarn("accepting a connection failed", {{"error", ec.message()}});
    accept_retry.expires_after(std::chrono::milliseconds(100));
    accept_retry.async_wait([this](beast::error_code error) {
      if (!error && !stopping) {
        Accept();
      }
    });
    return;
  }
  size_t open = 0;
  {
    auto session = std::make_shared<Session>(std::move(socket), *this);
    std::lock_guard lock(mutex);
    sessions.emplace(session.get(), session);
    open = sessions.size();
    session->Start();
  }
  if (open < static_cast<size_t>(options.max_connections)) {
    Accept();
  } else {
    accept_paused = true;
  }
}

void HttpServer::Impl::OnSessionEnd(Session* session) {
  std::lock_guard lock(mutex);
  sessions.erase(session);
  const bool last = sessions.empty();
  net::post(accept_strand, [this, last] {
    if (stopping) {
      if (last) {
        drain_timer.cancel();
      }
    } else if (accept_paused) {
      accept_paused = false;
      Accept();
    }
  });
}

void HttpServer::Impl::ShutdownSessions(bool now) {
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(mutex);
    for (const auto& [raw, weak] : sessions) {
      if (std::shared_ptr<Session> session = weak.lock()) {
        open.push_back(std::move(session));
      }
    }
  }
  for (const std::shared_ptr<Session>& session : open) {
    session->Shutdown(now);
  }
}

void HttpServer::Impl::BeginShutdown() {
  net::post(accept_strand, [this] {
    if (stopping.exchange(true)) {
      return;
    }
    beast::error_code ignored;
    acceptor.close(ignored);
    accept_retry.cancel();
    signals.cancel(ignored);
    {
      std::lock_guard lock(mutex);
      LogInfo("draining", {{"connections", sessions.size()}});
      if (sessions.empty()) {
        return;
      }
    }
    // Connections still open when the drain times out are closed; their
    // sessions end, and with them the server's threads.
    drain_timer.expires_after(options.drain_timeout);
    drain_timer.async_wait([this](beast::error_code ec) {
      if (!ec) {
        LogWarn("drain timed out; closing the remaining connections");
        ShutdownSessions(true);
      }
    });
    ShutdownSessions(false);
  });
}

Status ValidateServerOptions(const ServerOptions& o) {
  if (o.port < 0 || o.port > 65535) {
    return InvalidArgument(fmt::format("port {} is not 0-65535", o.port));
  }
  if (o.threads < 1 || o.max_connections < 1) {
    return InvalidArgument("threads and max_connections must be at least 1");
  }
  if (o.max_body_bytes < 1 || o.max_header_bytes < 1024) {
    return InvalidArgument("max_body_bytes must be positive and max_header_bytes at least 1024");
  }
  for (const auto& timeout : {o.header_timeout, o.body_timeout, o.write_timeout, o.drain_timeout}) {
    if (timeout.count() <= 0) {
      return InvalidArgument("server timeouts must be positive");
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const ServerOptions& options,
                                                      RequestHandler handler) {
  VIGIL_RETURN_IF_ERROR(ValidateServerOptions(options));
  auto impl = std::make_unique<Impl>(options, std::move(handler));
  VIGIL_RETURN_IF_ERROR(impl->Listen());
  Impl* raw = impl.get();
  if (options.stop_on_signals) {
    raw->signals.add(SIGTERM);
    raw->signals.add(SIGINT);
    raw->signals.async_wait([raw](beast::error_code ec, int signal) {
      if (!ec) {
        LogInfo("stopping on signal", {{"signal", signal}});
        raw->BeginShutdown();
      }
    });
  }
  net::post(raw->accept_strand, [raw] { raw->Accept(); });
  for (int i = 0; i < options.threads; ++i) {
    raw->threads.emplace_back([raw] { raw->ioc.run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return impl_->port; }

void HttpServer::Wait() {
  std::call_once(impl_->joined, [this] {
    for (std::thread& thread : impl_->threads) {
      thread.join();
    }
  });
}

void HttpServer::Stop() {
  impl_->BeginShutdown();
  Wait();
}

}  // namespace vigil::server
