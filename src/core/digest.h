// SHA-256 digests, hex and base64url text, constant-time comparison and
// random bytes, all from OpenSSL's libcrypto: what token hashing, the audit
// chain and request digests share.
//
// Thread safety: the functions are safe to call from any thread; one Sha256
// object is used by one thread at a time.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace vigil {

// Lowercase hex, two digits per byte.
std::string HexEncode(std::span<const unsigned char> bytes);

// RFC 4648 base64url without padding: letters, digits, '-' and '_'.
std::string Base64UrlEncode(std::span<const unsigned char> bytes);

// The SHA-256 of `data` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

// A SHA-256 digest fed in pieces: the same result as Sha256Hex over their
// concatenation.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // The digest of everything fed so far, as 64 hex digits; starts afresh after.
  std::string FinishHex();

 private:
  struct Free {
    void operator()(evp_md_ctx_st* context) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> context_;
};

// Whether `a` and `b` hold the same bytes, in time that depends on their
// length only (lengths are not secret), so that comparing a secret's digest
// leaks nothing of where it differs.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// `count` bytes from OpenSSL's cryptographically secure generator. Internal
// when it has no entropy to give.
Result<std::string> RandomBytes(std::size_t count);

}  // namespace vigil
