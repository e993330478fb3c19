// The HTTP/1.1 server under the API: asynchronous, on Boost.Beast over
// Boost.Asio, with a few threads serving every connection, so that a
// thousand idle keep-alive connections cost a socket and a buffer each, not a
// thread each. It turns bytes into Requests, hands them to a handler (the
// Router), and writes back its Responses.
//
// Limits, each answered before the handler runs: a body over max_body_bytes
// is 413 (by its Content-Length before it is read), headers over
// max_header_bytes 431, a malformed request 400; these close the connection.
// Slow clients are cut off: the headers of a request must arrive within
// header_timeout of the connection becoming idle (so an idle keep-alive
// connection closes after it), the body within body_timeout, the response be
// taken within write_timeout. Past max_connections, new connections wait in
// the kernel's listen backlog until one closes.
//
// A handler may answer with a stream (Response::stream, the event stream):
// the server sends the head, then each chunk as the stream gives it, with
// chunked transfer encoding. Between chunks no timeout applies; a chunk must
// be taken within write_timeout. The stream ends when it says so or the
// client goes away.
//
// With tls_cert and tls_key, every connection is TLS (1.2 or later): the
// handshake must complete within header_timeout.
//
// Stop() (or SIGTERM/SIGINT with stop_on_signals) drains: it stops accepting,
// closes idle and streaming connections, lets each request in flight finish
// and be answered with "Connection: close", and returns when all have, or
// after drain_timeout.
//
// Thread safety: Stop() and Wait() may be called from any thread; the
// handler runs on the server's threads, several at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "core/status.h"
#include "server/router.h"

namespace vigil::server {

struct ServerOptions {
  std::string address = "127.0.0.1";  // loopback only unless told otherwise
  int port = 8080;                    // 0: the kernel picks one (see HttpServer::port)
  int threads = 2;
  int max_connections = 1024;
  std::size_t max_body_bytes = 8 << 20;
  std::size_t max_header_bytes = 16 << 10;
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds body_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(30)};
  bool stop_on_signals = false;  // SIGTERM and SIGINT call Stop()
  // PEM files of the certificate (chain) and its private key; both empty:
  // plain HTTP.
  std::string tls_cert;
  std::string tls_key;
};

// InvalidArgument naming the first option out of range.
Status ValidateServerOptions(const ServerOptions& options);

// With TLS options, loads the certificate and key as Start will: an
// InvalidArgument names the file that is missing, is not PEM or does not
// match. Lets a caller refuse them before it does anything slower.
Status CheckTlsFiles(const ServerOptions& options);

using RequestHandler = std::function<Response(Request&)>;

// What the server makes of the bytes of one request under the limits of
// `options`, as a connection reads them: the Request, or the error it
// answers with (400 malformed or incomplete, 413, 431). Exposed for fuzzing.
std::variant<Request, Response> ParseHttpRequest(std::string_view bytes,
                                                 const ServerOptions& options);

class HttpServer {
 public:
  // Binds, listens and starts serving. InvalidArgument for bad options or
  // address, or a TLS certificate or key that is missing, not PEM, or not a
  // pair; IoError when the address cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(const ServerOptions& options,
                                                   RequestHandler handler);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;  // the port it listens on
  // Blocks until the server has stopped and drained.
  void Wait();
  // Begins draining (see above) and waits for it. Idempotent.
  void Stop();

  struct Impl;  // internal: the server's state, which its connections share

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::server
