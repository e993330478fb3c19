#include "notify/signature.h"

#include <openssl/evp.h>

#include <array>

namespace vigil::notify {

Result<std::string> WebhookSignature(std::string_view secret, std::string_view timestamp,
                                     std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + 1 + body.size());
  message.append(timestamp).append(".").append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  size_t length = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
                mac.size(), &length) == nullptr) {
    return Internal("OpenSSL could not compute HMAC-SHA256");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (size_t i = 0; i < length; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xf];
  }
  return out;
}

}  // namespace vigil::notify
