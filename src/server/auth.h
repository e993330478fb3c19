// Who may call the HTTP API: bearer tokens, the roles they carry and the
// jurisdiction they cover. docs/SERVER.md is the operator's view.
//
// - A token is "vgl_" and 43 base64url characters (256 random bits). Only
//   its SHA-256 is stored; the token itself is shown once, when made.
// - Roles: a viewer reads; an operator reads and acts on warnings; an ingest
//   client posts observations; an admin does everything.
// - Jurisdiction: regions (each covering its descendants) and domains; a
//   token without regions covers every region, without domains every domain.
//
// Thread safety: pure functions, but Authenticate, which uses the store as
// the store allows (one thread at a time).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace vigil::server {

enum class Role { kViewer, kOperator, kAdmin, kIngest };

std::string_view RoleName(Role role);  // "viewer", "operator", "admin", "ingest"
// InvalidArgument naming the four roles.
Result<Role> ParseRole(std::string_view text);

// What a route needs of its caller.
enum class Access {
  kPublic,  // nothing: health probes and the API's description
  kRead,    // viewer, operator or admin
  kAct,     // operator or admin: warning actions
  kIngest,  // ingest or admin
  kAdmin,
};

bool RoleAllows(Role role, Access access);

inline constexpr std::string_view kTokenPrefix = "vgl_";

// What `vigil token create` asks for.
struct TokenSpec {
  std::string name;
  Role role = Role::kViewer;
  std::vector<std::string> regions;
  std::vector<std::string> domains;
  std::optional<Timestamp> expires;
};

struct NewToken {
  TokenRecord record;  // what the store keeps
  std::string secret;  // the bearer token, to show once
};

// A new token for `spec`, created at `now`, with a random id and secret.
// InvalidArgument for an empty name, a region or domain the catalogue does
// not have, or an expiry not after `now`; Internal when there is no entropy.
Result<NewToken> MakeToken(const TokenSpec& spec, const Catalogue& catalogue, Timestamp now);

// The SHA-256 hex the store keeps for `secret`.
std::string HashToken(std::string_view secret);

// An authenticated caller.
struct Principal {
  TokenRecord token;
  Role role = Role::kViewer;

  std::string Actor() const;  // "token:<id>", as the audit log names it
  bool Restricted() const { return !token.regions.empty() || !token.domains.empty(); }
  // Whether the token's jurisdiction covers `domain` in `region`.
  bool Covers(const Catalogue& catalogue, std::string_view domain, std::string_view region) const;
  bool CoversDomain(std::string_view domain) const;
  bool CoversRegion(const Catalogue& catalogue, std::string_view region) const;
};

// The outcome of presenting a token: a principal, or why there is none.
struct Authentication {
  std::optional<Principal> principal;
  std::string refusal;  // "malformed token", "unknown token", "token expired", ...
};

// Looks the token up by its hash and checks it at `now`: not revoked, not
// expired. Errors are the store's only; a refused token is a refusal.
Result<Authentication> Authenticate(Store& store, std::string_view secret, Timestamp now);

}  // namespace vigil::server
