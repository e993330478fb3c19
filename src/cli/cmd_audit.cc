// `vigil audit`: the workspace's append-only, hash-chained audit log of
// writes (ingest batches, warning actions, token changes): verifies its chain
// and lists its latest records.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/signal_output.h"
#include "cli/workspace.h"
#include "store/audit.h"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    R"(The audit log: one record per write to the workspace (an ingest batch, a
warning action, a token change), with who did it, when, on what, and the
SHA-256 of what the write carried. Records are chained: each holds the hash
of the one before, so changing, removing or reordering a record breaks the
chain from there on.

`audit verify` walks the chain and names the first broken record. Keep the
last hash it prints somewhere else: it also shows whether records were cut
from the end.

Examples:
  vigil audit -w demo verify
  vigil audit -w demo list --limit 50)";

constexpr const char* kFooter = R"(Exit codes:
  0  success (verify: the chain is intact)
  2  bad command line
  3  verify: a record is broken
  4  store unavailable
)";

// Records are checked in pages, so memory stays bounded for any log.
constexpr std::int64_t kVerifyPage = 10'000;

struct AuditFlags {
  std::int64_t limit = 20;
  bool json = false;
};

int RunVerify(Store& store) {
  AuditVerifier verifier;
  for (std::int64_t after = 0;;) {
    Result<std::vector<AuditRecord>> page =
        store.ReadAudit({.after_seq = after, .limit = kVerifyPage});
    if (!page.ok()) {
      return Fail(page.status());
    }
    for (const AuditRecord& record : *page) {
      if (Status checked = verifier.Check(record); !checked.ok()) {
        Fail(checked);
        return kExitInvalidInput;
      }
    }
    if (static_cast<std::int64_t>(page->size()) < kVerifyPage) {
      break;
    }
    after = page->back().seq;
  }
  std::fputs(fmt::format("audit log intact: {} records; last hash {}\n", verifier.checked(),
                         verifier.last_hash())
                 .c_str(),
             stdout);
  return kExitOk;
}

std::string ListJson(const std::vector<AuditRecord>& records) {
  nlohmann::json out = nlohmann::json::array();
  for (const AuditRecord& r : records) {
    out.push_back({{"seq", r.seq},
                   {"at", FormatRfc3339(r.entry.at)},
                   {"actor", r.entry.actor},
                   {"action", r.entry.action},
                   {"target", r.entry.target},
                   {"payload_digest", r.entry.payload_digest},
                   {"prev_hash", r.prev_hash},
                   {"hash", r.hash}});
  }
  return out.dump(2) + "\n";
}

int RunList(Store& store, const AuditFlags& flags) {
  Result<std::vector<AuditRecord>> records =
      store.ReadAudit({.limit = flags.limit, .newest_first = true});
  if (!records.ok()) {
    return Fail(records.status());
  }
  std::reverse(records->begin(), records->end());
  if (flags.json) {
    std::fputs(ListJson(*records).c_str(), stdout);
    return kExitOk;
  }
  if (records->empty()) {
    std::fputs("the audit log is empty\n", stdout);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows = {
      {"seq", "at", "actor", "action", "target", "payload sha-256"}};
  for (const AuditRecord& r : *records) {
    rows.push_back({std::to_string(r.seq), FormatRfc3339(r.entry.at), r.entry.actor, r.entry.action,
                    r.entry.target.empty() ? "-" : r.entry.target,
                    r.entry.payload_digest.substr(0, 16)});
  }
  std::fputs(FormatTable(rows, {"seq"}).c_str(), stdout);
  return kExitOk;
}

}  // namespace

Command RegisterAudit(CLI::App& app, GlobalOptions& global) {
  auto flags = std::make_shared<AuditFlags>();
  Command command;
  CLI::App* a = app.add_subcommand("audit", kDescription);
  command.app = a;
  a->footer(kFooter);
  a->require_subcommand(1);
  CLI::App* verify = a->add_subcommand("verify", "Check the hash chain of the whole log");
  CLI::App* list = a->add_subcommand("list", "The latest records, oldest first");
  list->add_option("--limit", flags->limit, "How many")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  list->add_flag("--json", flags->json, "JSON with the full digests and hashes");
  command.run = [&global, flags, verify]() -> int {
    Result<Workspace> workspace = OpenWorkspace(global.workspace);
    if (!workspace.ok()) {
      return Fail(workspace.status());
    }
    return verify->parsed() ? RunVerify(*workspace->store) : RunList(*workspace->store, *flags);
  };
  return command;
}

}  // namespace vigil::cli
