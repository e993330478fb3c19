#include "store/audit.h"

#include <fmt/format.h>

#include "core/digest.h"
#include "core/time.h"

namespace vigil {
namespace {

void AppendField(std::string& out, std::string_view text) {
  fmt::format_to(std::back_inserter(out), "{}:{}\n", text.size(), text);
}

}  // namespace

std::string CanonicalAuditRecord(std::int64_t seq, const AuditEntry& entry) {
  std::string out = fmt::format("{}\n{}\n", seq, entry.at.time_since_epoch().count());
  for (const std::string* field :
       {&entry.actor, &entry.action, &entry.target, &entry.payload_digest}) {
    AppendField(out, *field);
  }
  return out;
}

std::string AuditHash(std::string_view prev_hash, std::int64_t seq, const AuditEntry& entry) {
  Sha256 digest;
  digest.Update(prev_hash);
  digest.Update(CanonicalAuditRecord(seq, entry));
  return digest.FinishHex();
}

AuditRecord ChainAudit(std::int64_t previous_seq, std::string_view previous_hash,
                       const AuditEntry& entry) {
  const std::int64_t seq = previous_seq + 1;
  return {seq, entry, std::string(previous_hash), AuditHash(previous_hash, seq, entry)};
}

Status AuditVerifier::Check(const AuditRecord& record) {
  if (record.seq != seq_ + 1) {
    return Corruption(
        fmt::format("audit record {} follows record {}: record {} is missing or out of place",
                    record.seq, seq_, seq_ + 1));
  }
  if (record.prev_hash != hash_) {
    return Corruption(fmt::format(
        "audit record {} is broken: its prev_hash is not the hash of record {}", record.seq, seq_));
  }
  if (AuditHash(record.prev_hash, record.seq, record.entry) != record.hash) {
    return Corruption(fmt::format(
        "audit record {} is broken: its content ({} {} {} at {}) does not match its hash",
        record.seq, record.entry.actor, record.entry.action, record.entry.target,
        FormatRfc3339(record.entry.at)));
  }
  seq_ = record.seq;
  hash_ = record.hash;
  return Status::Ok();
}

}  // namespace vigil
