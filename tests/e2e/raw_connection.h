// A raw TCP connection to a server on 127.0.0.1, for what an HTTP client
// library does not let a test do: hold a request half sent, read a stream
// as it comes.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <string_view>

namespace vigil::e2e {

class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    timeval timeout{.tv_sec = 10, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  bool connected() const { return connected_; }
  void Send(const std::string& bytes) { (void)::send(fd_, bytes.data(), bytes.size(), 0); }
  // What arrives until `marker` has (or the server closes the connection,
  // or 10 s pass without a byte); with no marker, until the connection
  // closes. What came after the marker is kept for the next read.
  std::string ReadUntil(std::string_view marker = {}) {
    char buffer[4096];
    while (marker.empty() || pending_.find(marker) == std::string::npos) {
      const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        break;
      }
      pending_.append(buffer, static_cast<size_t>(n));
    }
    const size_t found = marker.empty() ? std::string::npos : pending_.find(marker);
    const size_t end = found == std::string::npos ? pending_.size() : found + marker.size();
    std::string out = pending_.substr(0, end);
    pending_.erase(0, end);
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
  std::string pending_;
};

}  // namespace vigil::e2e
