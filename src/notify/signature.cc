#include "notify/signature.h"

#include <openssl/evp.h>

#include <array>

#include "core/digest.h"

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
  return "sha256=" + HexEncode({mac.data(), length});
}

}  // namespace vigil::notify
