#include "server/auth.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <span>

#include "core/digest.h"

namespace vigil::server {
namespace {

constexpr Role kRoles[] = {Role::kViewer, Role::kOperator, Role::kAdmin, Role::kIngest};

// 256 random bits, as base64url without padding.
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kSecretChars = 43;
// Public ids are short: they name a token, they do not prove anything.
constexpr std::size_t kIdBytes = 4;

std::span<const unsigned char> Bytes(const std::string& text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

Status CheckKnown(const std::vector<std::string>& items, std::string_view flag,
                  const std::function<bool(std::string_view)>& known) {
  for (const std::string& item : items) {
    if (!known(item)) {
      return InvalidArgument(
          fmt::format("{} {}: the workspace catalogue has no such {}", flag, item, flag.substr(2)));
    }
  }
  return Status::Ok();
}

Status CheckSpec(const TokenSpec& spec, const Catalogue& catalogue, Timestamp now) {
  if (spec.name.empty() ||
      std::ranges::any_of(spec.name, [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    return InvalidArgument("--name: give the token a name of printable characters");
  }
  VIGIL_RETURN_IF_ERROR(CheckKnown(spec.regions, "--region", [&](std::string_view code) {
    return catalogue.FindRegion(code) != nullptr;
  }));
  VIGIL_RETURN_IF_ERROR(CheckKnown(spec.domains, "--domain", [&](std::string_view id) {
    return catalogue.FindDomain(id) != nullptr;
  }));
  if (spec.expires && *spec.expires <= now) {
    return InvalidArgument(
        fmt::format("--expires {} is not in the future", FormatRfc3339(*spec.expires)));
  }
  return Status::Ok();
}

bool WellFormed(std::string_view secret) {
  if (!secret.starts_with(kTokenPrefix) || secret.size() != kTokenPrefix.size() + kSecretChars) {
    return false;
  }
  return std::ranges::all_of(secret.substr(kTokenPrefix.size()), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kOperator:
      return "operator";
    case Role::kAdmin:
      return "admin";
    case Role::kIngest:
      return "ingest";
  }
  return "unknown";
}

Result<Role> ParseRole(std::string_view text) {
  for (const Role role : kRoles) {
    if (RoleName(role) == text) {
      return role;
    }
  }
  return InvalidArgument(fmt::format("role '{}': use viewer, operator, admin or ingest", text));
}

bool RoleAllows(Role role, Access access) {
  switch (access) {
    case Access::kPublic:
      return true;
    case Access::kRead:
      return role == Role::kViewer || role == Role::kOperator || role == Role::kAdmin;
    case Access::kAct:
      return role == Role::kOperator || role == Role::kAdmin;
    case Access::kIngest:
      return role == Role::kIngest || role == Role::kAdmin;
    case Access::kAdmin:
      return role == Role::kAdmin;
  }
  return false;
}

Result<NewToken> MakeToken(const TokenSpec& spec, const Catalogue& catalogue, Timestamp now) {
  VIGIL_RETURN_IF_ERROR(CheckSpec(spec, catalogue, now));
  VIGIL_ASSIGN_OR_RETURN(const std::string secret_bytes, RandomBytes(kSecretBytes));
  VIGIL_ASSIGN_OR_RETURN(const std::string id_bytes, RandomBytes(kIdBytes));
  NewToken token;
  token.secret = std::string(kTokenPrefix) + Base64UrlEncode(Bytes(secret_bytes));
  token.record = {.id = HexEncode(Bytes(id_bytes)),
                  .name = spec.name,
                  .role = std::string(RoleName(spec.role)),
                  .regions = spec.regions,
                  .domains = spec.domains,
                  .hash = HashToken(token.secret),
                  .created = now,
                  .expires = spec.expires};
  return token;
}

std::string HashToken(std::string_view secret) { return Sha256Hex(secret); }

std::string Principal::Actor() const { return "token:" + token.id; }

bool Principal::CoversDomain(std::string_view domain) const {
  return token.domains.empty() || std::ranges::find(token.domains, domain) != token.domains.end();
}

bool Principal::CoversRegion(const Catalogue& catalogue, std::string_view region) const {
  return token.regions.empty() ||
         std::ranges::any_of(token.regions, [&](const std::string& covered) {
           return catalogue.IsWithin(region, covered);
         });
}

bool Principal::Covers(const Catalogue& catalogue, std::string_view domain,
                       std::string_view region) const {
  return CoversDomain(domain) && CoversRegion(catalogue, region);
}

Result<Authentication> Authenticate(Store& store, std::string_view secret, Timestamp now) {
  if (!WellFormed(secret)) {
    return Authentication{.refusal = "malformed token"};
  }
  const std::string hash = HashToken(secret);
  VIGIL_ASSIGN_OR_RETURN(const std::optional<TokenRecord> found, store.FindTokenByHash(hash));
  // The lookup by hash can only leak timing about digests of random
  // secrets; the final comparison is constant-time all the same.
  if (!found || !ConstantTimeEquals(found->hash, hash)) {
    return Authentication{.refusal = "unknown token"};
  }
  if (found->revoked) {
    return Authentication{.refusal = "token revoked"};
  }
  if (found->expires && *found->expires <= now) {
    return Authentication{.refusal = "token expired"};
  }
  Result<Role> role = ParseRole(found->role);
  if (!role.ok()) {
    return Authentication{.refusal = "token has an unknown role"};
  }
  return Authentication{.principal = Principal{*found, *role}};
}

}  // namespace vigil::server
