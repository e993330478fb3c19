#include "server/http_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <csignal>
#include <filesystem>
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
namespace ssl = net::ssl;
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

using RequestParser = http::request_parser<http::string_body>;

void ApplyLimits(RequestParser& parser, const ServerOptions& options) {
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
}

Response TooLarge(const ServerOptions& options) {
  return ErrorResponse(
      413, "payload_too_large",
      fmt::format("request bodies are limited to {} bytes", options.max_body_bytes));
}

// Whether the headers announce a body over the limit, to refuse before
// reading it.
bool AnnouncesTooLarge(const RequestParser& parser, const ServerOptions& options) {
  const auto length = parser.content_length();
  return length && *length > options.max_body_bytes;
}

// The answer to a failed read; nullopt when there is nobody to answer (end
// of stream, a timeout, a reset).
std::optional<Response> ReadErrorResponse(beast::error_code ec, const ServerOptions& options) {
  if (ec == http::error::body_limit) {
    return TooLarge(options);
  }
  if (ec == http::error::header_limit) {
    return ErrorResponse(
        431, "headers_too_large",
        fmt::format("request headers are limited to {} bytes", options.max_header_bytes));
  }
  if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return ErrorResponse(400, "bad_request", ec.message());
  }
  return std::nullopt;
}

// The request, or the 400 of a message that does not convert.
Response BadRequest(const Status& status) {
  return ErrorResponse(400, "bad_request", status.message());
}

template <class Message>
void SetHead(Message& head, const Response& response, bool close) {
  head.set(http::field::server, "vigil");
  head.set(http::field::content_type, response.content_type);
  head.set(http::field::cache_control, "no-store");
  head.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : response.headers) {
    head.set(name, value);
  }
  head.keep_alive(!close);
}

// A server context over the PEM certificate chain and key of `options`.
Result<std::unique_ptr<ssl::context>> TlsContext(const ServerOptions& options) {
  for (const auto& [what, path] :
       {std::pair{"certificate", &options.tls_cert}, std::pair{"private key", &options.tls_key}}) {
    std::error_code ignored;
    if (path->empty() || !std::filesystem::is_regular_file(*path, ignored)) {
      return InvalidArgument(fmt::format("TLS {} file '{}' does not exist", what, *path));
    }
  }
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  beast::error_code ec;
  context->use_certificate_chain_file(options.tls_cert, ec);
  if (ec) {
    return InvalidArgument(fmt::format("TLS certificate file '{}' is not a PEM certificate: {}",
                                       options.tls_cert, ec.message()));
  }
  // OpenSSL also checks here that the key is the certificate's.
  context->use_private_key_file(options.tls_key, ssl::context::pem, ec);
  if (ec) {
    return InvalidArgument(
        fmt::format("TLS private key file '{}' is not the PEM private key of certificate '{}': {}",
                    options.tls_key, options.tls_cert, ec.message()));
  }
  return context;
}

}  // namespace

std::variant<Request, Response> ParseHttpRequest(std::string_view bytes,
                                                 const ServerOptions& options) {
  RequestParser parser;
  ApplyLimits(parser, options);
  beast::error_code ec;
  net::const_buffer rest(bytes.data(), bytes.size());
  // As a connection does: the headers first, then a refusal by the
  // announced length before any of the body.
  while (!ec && rest.size() > 0 && !parser.is_done()) {
    const bool had_header = parser.is_header_done();
    const size_t used = parser.put(rest, ec);
    rest += used;
    if (!had_header && parser.is_header_done() && AnnouncesTooLarge(parser, options)) {
      return TooLarge(options);
    }
    if (ec == http::error::need_more) {
      ec = {};
      if (used == 0) {
        break;
      }
    }
  }
  if (!ec && !parser.is_done()) {
    parser.put_eof(ec);
  }
  if (ec) {
    return ReadErrorResponse(ec, options)
        .value_or(ErrorResponse(400, "bad_request", "incomplete request"));
  }
  Result<Request> request = ToRequest(parser.release());
  if (!request.ok()) {
    return BadRequest(request.status());
  }
  return std::move(request).value();
}

// What the server's list of connections knows of each.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Closes the connection if it waits for a request or streams; otherwise
  // the request in flight is answered and the connection closed after.
  // With `now`, closes it whatever it does.
  virtual void Shutdown(bool now) = 0;
};

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
  // Starts and lists a new session; how many are open.
  template <class S>
  size_t Open(const std::shared_ptr<S>& session);
  void BeginShutdown();
  // Each open session, told to stop (now: at once).
  void ShutdownSessions(bool now);
  void OnSessionEnd(SessionBase* session);

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
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
  std::unique_ptr<ssl::context> tls;  // null: plain HTTP
  std::vector<std::thread> threads;
  std::once_flag joined;
  int port = 0;  // as bound
};

// One connection: reads a request, answers it, and again while the client
// keeps the connection alive; or streams one answer. Runs on its own strand.
// `Stream` is a beast::tcp_stream, or a TLS stream over one.
template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  template <class... Args>
  Session(HttpServer::Impl& server, Args&&... stream)
      : stream_(std::forward<Args>(stream)...), server_(server), options_(server.options) {}
  ~Session() override {
    Close();
    server_.OnSessionEnd(this);
  }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Socket().expires_after(self->options_.header_timeout);
        self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code ec) {
          ec ? self->Close() : self->ReadHeader();
        });
      } else {
        self->ReadHeader();
      }
    });
  }

  void Shutdown(bool now) override {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this(), now] {
      self->stopping_ = true;
      if (self->idle_ || self->body_ || now) {
        self->Close();
      }
    });
  }

 private:
  beast::tcp_stream& Socket() { return beast::get_lowest_layer(stream_); }

  void ReadHeader() {
    if (stopping_) {
      return Close();
    }
    parser_.emplace();
    ApplyLimits(*parser_, options_);
    idle_ = true;
    Socket().expires_after(options_.header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::OnHeader, this->shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    idle_ = false;
    if (ec) {
      return OnReadError(ec);
    }
    if (AnnouncesTooLarge(*parser_, options_)) {
      return Write(TooLarge(options_), true);
    }
    Socket().expires_after(options_.body_timeout);
    if (Lowercase(View(parser_->get()[http::field::expect])) != "100-continue") {
      return ReadBody();
    }
    // The client waits for this before it sends the body.
    auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    http::async_write(
        stream_, *go_on,
        [self = this->shared_from_this(), go_on](beast::error_code error, std::size_t) {
          error ? self->Close() : self->ReadBody();
        });
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, this->shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec) {
      return OnReadError(ec);
    }
    const bool keep_alive = parser_->keep_alive();
    Result<Request> request = ToRequest(parser_->release());
    Response response = request.ok() ? Handle(*request) : BadRequest(request.status());
    if (response.stream) {
      return WriteStreamHead(std::move(response));
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

  // A parse error is the client's; end of stream, timeouts and resets end
  // the connection without an answer nobody would read.
  void OnReadError(beast::error_code ec) {
    if (std::optional<Response> answer = ReadErrorResponse(ec, options_)) {
      return Write(std::move(*answer), true);
    }
    Close();
  }

  void Write(Response response, bool close) {
    auto message = std::make_shared<HttpResponse>(static_cast<http::status>(response.status), 11);
    SetHead(*message, response, close);
    message->body() = std::move(response.body);
    message->prepare_payload();
    Socket().expires_after(options_.write_timeout);
    http::async_write(
        stream_, *message,
        [self = this->shared_from_this(), message, close](beast::error_code ec, std::size_t) {
          if (ec || close || self->stopping_) {
            return self->Close();
          }
          self->ReadHeader();
        });
  }

  // A streamed answer: the head, then the chunks as they come; the
  // connection closes when the stream ends.
  void WriteStreamHead(Response response) {
    if (stopping_) {
      response.stream->Close();
      return Write(ErrorResponse(503, "unavailable", "the server is stopping"), true);
    }
    body_ = std::move(response.stream);
    auto head = std::make_shared<http::response<http::empty_body>>(
        static_cast<http::status>(response.status), 11);
    SetHead(*head, response, true);
    head->chunked(true);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*head);
    Socket().expires_after(options_.write_timeout);
    http::async_write_header(
        stream_, *serializer,
        [self = this->shared_from_this(), head, serializer](beast::error_code ec, std::size_t) {
          if (ec) {
            return self->Close();
          }
          self->WatchClient();
          self->NextChunk();
        });
  }

  // The client of a stream sends nothing more: a read ends only when it
  // goes away (or misbehaves), and the connection closes with it.
  void WatchClient() {
    stream_.async_read_some(
        net::buffer(probe_),
        [self = this->shared_from_this()](beast::error_code, std::size_t) { self->Close(); });
  }

  void NextChunk() {
    if (closed_) {
      return;
    }
    Socket().expires_never();  // waiting for an event is no slow client
    body_->Next([self = this->shared_from_this()](std::optional<std::string> chunk) {
      net::post(self->stream_.get_executor(),
                [self, chunk = std::move(chunk)]() mutable { self->WriteChunk(std::move(chunk)); });
    });
  }

  void WriteChunk(std::optional<std::string> chunk) {
    if (closed_) {
      return;
    }
    Socket().expires_after(options_.write_timeout);
    if (!chunk) {
      net::async_write(
          stream_, http::make_chunk_last(),
          [self = this->shared_from_this()](beast::error_code, std::size_t) { self->Close(); });
      return;
    }
    auto data = std::make_shared<std::string>(std::move(*chunk));
    net::async_write(stream_, http::make_chunk(net::buffer(*data)),
                     [self = this->shared_from_this(), data](beast::error_code ec, std::size_t) {
                       ec ? self->Close() : self->NextChunk();
                     });
  }

  void Close() {
    if (closed_) {
      return;
    }
    closed_ = true;
    if (body_) {
      body_->Close();  // drops the pending sink, which holds this session
    }
    beast::error_code ignored;
    Socket().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Socket().socket().close(ignored);
  }

  Stream stream_;
  HttpServer::Impl& server_;
  const ServerOptions& options_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::shared_ptr<ResponseStream> body_;  // set while streaming
  char probe_[1] = {};
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
  if (tls) {
    open = Open(std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
        *this, std::move(socket), *tls));
  } else {
    open = Open(std::make_shared<Session<beast::tcp_stream>>(*this, std::move(socket)));
  }
  if (open < static_cast<size_t>(options.max_connections)) {
    Accept();
  } else {
    accept_paused = true;
  }
}

template <class S>
size_t HttpServer::Impl::Open(const std::shared_ptr<S>& session) {
  std::lock_guard lock(mutex);
  sessions.emplace(session.get(), session);
  session->Start();
  return sessions.size();
}

void HttpServer::Impl::OnSessionEnd(SessionBase* session) {
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
  std::vector<std::shared_ptr<SessionBase>> open;
  {
    std::lock_guard lock(mutex);
    for (const auto& [raw, weak] : sessions) {
      if (std::shared_ptr<SessionBase> session = weak.lock()) {
        open.push_back(std::move(session));
      }
    }
  }
  for (const std::shared_ptr<SessionBase>& session : open) {
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
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return InvalidArgument("TLS needs both a certificate and its private key");
  }
  return Status::Ok();
}

Status CheckTlsFiles(const ServerOptions& options) {
  return options.tls_cert.empty() ? Status::Ok() : TlsContext(options).status();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const ServerOptions& options,
                                                      RequestHandler handler) {
  VIGIL_RETURN_IF_ERROR(ValidateServerOptions(options));
  auto impl = std::make_unique<Impl>(options, std::move(handler));
  if (!options.tls_cert.empty()) {
    VIGIL_ASSIGN_OR_RETURN(impl->tls, TlsContext(options));
  }
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
