#include "notify/http_post.h"

#include <fmt/format.h>
#include <httplib.h>

#include <exception>

namespace vigil::notify::internal {
namespace {

std::string Describe(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "cannot connect";
    case httplib::Error::ConnectionTimeout:
      return "connection timed out";
    case httplib::Error::Read:
      return "no response (the read failed or timed out)";
    case httplib::Error::Write:
      return "the request could not be sent";
    case httplib::Error::SSLConnection:
      return "the TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "cannot load the CA certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's certificate does not verify";
    default:
      return fmt::format("HTTP client error {}", httplib::to_string(error));
  }
}

}  // namespace

Result<HttpResponse> HttpPost(const HttpUrl& url,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              std::string_view body, const HttpPostOptions& options) {
  try {
    httplib::Client client(url.Origin());
    client.set_connection_timeout(options.connect_timeout);
    client.set_read_timeout(options.io_timeout);
    client.set_write_timeout(options.io_timeout);
    if (!options.ca_file.empty()) {
      client.set_ca_cert_path(options.ca_file);
    }
    httplib::Headers request_headers(headers.begin(), headers.end());
    httplib::Result result =
        client.Post(url.target, request_headers, body.data(), body.size(), "application/json");
    if (!result) {
      return Unavailable(Describe(result.error()));
    }
    return HttpResponse{.status = result->status, .body = std::move(result->body)};
  } catch (const std::exception& e) {
    return Internal(fmt::format("HTTP client: {}", e.what()));
  }
}

}  // namespace vigil::notify::internal
