// The hash chain of the audit log (store.h: AuditRecord). Every record's hash
// covers the previous record's hash and its own canonical form, so changing,
// removing or reordering any record breaks the chain at that record.
// docs/STORAGE.md gives the canonical form, so that anyone can check a chain.
//
// Thread safety: pure functions; one AuditVerifier per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace vigil {

// The prev_hash of the first record: 64 zeros.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The record's canonical form: seq and `at` (nanoseconds since the epoch) in
// decimal, then actor, action, target and payload digest each as
// "<length>:<text>", every field followed by a newline. Lengths make it
// unambiguous whatever the texts hold.
std::string CanonicalAuditRecord(std::int64_t seq, const AuditEntry& entry);

// SHA-256 hex of `prev_hash` followed by the canonical form.
std::string AuditHash(std::string_view prev_hash, std::int64_t seq, const AuditEntry& entry);

// The record that follows `previous` (seq 0 and kAuditGenesisHash as its
// hash when the log is empty).
AuditRecord ChainAudit(std::int64_t previous_seq, std::string_view previous_hash,
                       const AuditEntry& entry);

// Walks a chain record by record, in sequence order, possibly in pages.
class AuditVerifier {
 public:
  // Ok, or Corruption naming the record and what is wrong with it: a seq
  // that is not the next one (a record removed or inserted), a prev_hash that
  // is not the previous record's hash, or a hash that does not match the
  // record's content (the record was changed).
  Status Check(const AuditRecord& record);

  std::int64_t checked() const { return seq_; }
  const std::string& last_hash() const { return hash_; }

 private:
  std::int64_t seq_ = 0;
  std::string hash_{kAuditGenesisHash};
};

}  // namespace vigil
