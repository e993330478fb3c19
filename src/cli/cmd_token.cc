// `vigil token`: creates, lists and revokes the bearer tokens of the HTTP API
// (`vigil serve`). A token's secret is printed once, at creation; the store
// keeps only its SHA-256. Every change is audited.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/signal_output.h"
#include "cli/workspace.h"
#include "core/digest.h"
#include "server/auth.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(The bearer tokens of the HTTP API (`vigil serve`).

A token carries a role and a jurisdiction. Roles: a viewer reads; an operator
reads and acts on warnings (acknowledge, issue, update, cancel, silences); an
ingest client posts observations; an admin does everything. The jurisdiction
is a list of regions, each covering the regions beneath it, and of domains;
none of either covers every one. The API answers 401 for a missing, unknown,
expired or revoked token and 403 for a role or jurisdiction that does not
allow the request.

`token create` prints the token on standard output, once: the workspace keeps
only its SHA-256. Every creation and revocation is written to the audit log.

Examples:
  vigil token -w demo create --name dashboard --role viewer
  vigil token -w demo create --name county-2 --role operator --region XL-02 \
      --domain natural-hazards --expires +90d
  vigil token -w demo list
  vigil token -w demo revoke 3fa9c21b)";

constexpr const char* kFooter = R"(Exit codes:
  0  success
  2  bad command line
  3  refused (unknown region, domain or token; already revoked)
  4  store unavailable
)";

struct TokenFlags {
  std::string name;
  std::string role;
  std::vector<std::string> regions;
  std::vector<std::string> domains;
  std::string expires;
  std::string id;  // revoke
};

std::string Joined(const std::vector<std::string>& items) {
  return items.empty() ? "*" : fmt::format("{}", fmt::join(items, ","));
}

// What a creation carried, for its audit record's digest.
std::string CreatePayload(const TokenRecord& t) {
  return fmt::format("name={}\nrole={}\nregions={}\ndomains={}\nexpires={}\n", t.name, t.role,
                     fmt::join(t.regions, ","), fmt::join(t.domains, ","),
                     t.expires ? FormatRfc3339(*t.expires) : "");
}

int RunCreate(const GlobalOptions& global, const TokenFlags& flags) {
  Result<server::Role> role = server::ParseRole(flags.role);
  Result<std::unique_ptr<Clock>> clock = ClockOf(global);
  if (!role.ok() || !clock.ok()) {
    Fail(!role.ok() ? role.status() : clock.status());
    return kExitUsage;
  }
  // Token times are kept to the second: they are read by people.
  const Timestamp now = std::chrono::floor<std::chrono::seconds>((*clock)->Now());
  server::TokenSpec spec{
      .name = flags.name, .role = *role, .regions = flags.regions, .domains = flags.domains};
  if (!flags.expires.empty()) {
    Result<Timestamp> expires = ParseTimeOrOffset(flags.expires, now);
    if (!expires.ok()) {
      Fail(InvalidArgument(fmt::format("--expires: {}", expires.status().message())));
      return kExitUsage;
    }
    spec.expires = *expires;
  }
  Result<Workspace> workspace = OpenWorkspace(global.workspace);
  if (!workspace.ok()) {
    return Fail(workspace.status());
  }
  Result<server::NewToken> token = server::MakeToken(spec, workspace->catalogue, now);
  if (!token.ok()) {
    return Fail(token.status());
  }
  const TokenRecord& t = token->record;
  const Status created =
      workspace->store->CreateToken(t, {.at = now,
                                        .actor = CliActor(),
                                        .action = "token.create",
                                        .target = t.id,
                                        .payload_digest = Sha256Hex(CreatePayload(t))});
  if (!created.ok()) {
    return Fail(created);
  }
  std::fprintf(stderr, "token %s (%s, %s) created; it is shown only now:\n", t.id.c_str(),
               t.role.c_str(), t.name.c_str());
  std::fputs((token->secret + "\n").c_str(), stdout);
  return kExitOk;
}

std::string StateOf(const TokenRecord& t, Timestamp now) {
  if (t.revoked) {
    return "revoked " + FormatRfc3339(*t.revoked);
  }
  return t.expires && *t.expires <= now ? "expired" : "active";
}

int RunList(const GlobalOptions& global) {
  Result<Workspace> workspace = OpenWorkspace(global.workspace);
  if (!workspace.ok()) {
    return Fail(workspace.status());
  }
  Result<std::vector<TokenRecord>> tokens = workspace->store->ListTokens();
  if (!tokens.ok()) {
    return Fail(tokens.status());
  }
  if (tokens->empty()) {
    std::fputs("no tokens (create one with `vigil token create`)\n", stdout);
    return kExitOk;
  }
  const Timestamp now = (*ClockOf(global))->Now();
  std::vector<std::vector<std::string>> rows = {
      {"id", "name", "role", "regions", "domains", "created", "expires", "state"}};
  for (const TokenRecord& t : *tokens) {
    rows.push_back({t.id, t.name, t.role, Joined(t.regions), Joined(t.domains),
                    FormatRfc3339(t.created), t.expires ? FormatRfc3339(*t.expires) : "never",
                    StateOf(t, now)});
  }
  std::fputs(FormatTable(rows).c_str(), stdout);
  return kExitOk;
}

int RunRevoke(const GlobalOptions& global, const TokenFlags& flags) {
  Result<Workspace> workspace = OpenWorkspace(global.workspace);
  if (!workspace.ok()) {
    return Fail(workspace.status());
  }
  const Timestamp now = (*ClockOf(global))->Now();
  const Status revoked = workspace->store->RevokeToken(
      flags.id, now,
      {.at = now,
       .actor = CliActor(),
       .action = "token.revoke",
       .target = flags.id,
       .payload_digest = Sha256Hex(fmt::format("id={}\n", flags.id))});
  if (!revoked.ok()) {
    return Fail(revoked);
  }
  std::fputs(fmt::format("token {} revoked\n", flags.id).c_str(), stdout);
  return kExitOk;
}

}  // namespace

Command RegisterToken(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<TokenFlags>();
  Command command;
  CLI::App* t = app.add_subcommand("token", kDescription);
  command.app = t;
  t->footer(kFooter);
  t->require_subcommand(1);
  CLI::App* create = t->add_subcommand("create", "Create a token and print it, once");
  create->add_option("--name", flags->name, "Who the token is for")->required();
  create->add_option("--role", flags->role, "viewer, operator, admin or ingest")->required();
  create->add_option("--region", flags->regions,
                     "A region it covers, with the regions beneath it (repeatable; default: all)");
  create->add_option("--domain", flags->domains, "A domain it covers (repeatable; default: all)");
  create->add_option("--expires", flags->expires,
                     "When it stops working: RFC 3339 or +DURATION such as +90d (default: never)");
  CLI::App* list = t->add_subcommand("list", "List the tokens (never their secrets)");
  CLI::App* revoke = t->add_subcommand("revoke", "Revoke a token at once");
  revoke->add_option("ID", flags->id, "The token's id, as `vigil token list` shows it")->required();
  command.run = [&global, flags, create, list]() -> int {
    if (create->parsed()) {
      return RunCreate(global, *flags);
    }
    if (list->parsed()) {
      return RunList(global);
    }
    return RunRevoke(global, *flags);
  };
  return command;
}

}  // namespace vigil::cli
