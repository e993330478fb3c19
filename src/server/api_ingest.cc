// The ingest route of the API: observations posted as JSON Lines or CSV go
// through the pipeline of `vigil ingest` (engine/ingest_pipeline.h):
// validation, detection and the warning stage, one transaction audited with
// the token and the body's digest. Records outside the token's jurisdiction
// are rejected like invalid ones.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "core/digest.h"
#include "server/api.h"

namespace vigil::server {
namespace {

using nlohmann::json;

constexpr std::string_view kJsonLines = "application/x-ndjson";
constexpr std::string_view kCsv = "text/csv";
// Errors beyond this many are counted, not listed, so a large bad body does
// not make a larger answer.
constexpr std::size_t kMaxErrorsListed = 1000;

// Collects the invalid records as {"line", "field", "message"}.
class ErrorCollector final : public IngestListener {
 public:
  void OnInvalid(const InvalidRecord& record) override {
    ++invalid_;
    if (errors_.size() >= kMaxErrorsListed) {
      return;
    }
    // A reason is "FIELD: what is wrong" (ingest/validate.h).
    const std::size_t colon = record.reason.find(": ");
    const bool has_field = colon != std::string_view::npos;
    errors_.push_back({{"line", record.line},
                       {"field", has_field ? record.reason.substr(0, colon) : "record"},
                       {"message", has_field ? record.reason.substr(colon + 2) : record.reason}});
  }

  std::int64_t invalid() const { return invalid_; }
  const json& errors() const { return errors_; }

 private:
  std::int64_t invalid_ = 0;
  json errors_ = json::array();
};

// Refuses records outside `caller`'s jurisdiction, remembering each region's
// answer: the check walks the region tree, and a body repeats its regions.
class JurisdictionGate {
 public:
  JurisdictionGate(const Principal& caller, const Catalogue& catalogue)
      : caller_(caller), catalogue_(catalogue) {}

  Status Admit(const ValidRecord& record) {
    if (!caller_.CoversDomain(record.indicator->domain)) {
      return InvalidArgument(fmt::format("indicator: token {} does not cover domain {} of {}",
                                         caller_.token.id, record.indicator->domain,
                                         record.indicator->id));
    }
    auto [it, added] = regions_.try_emplace(record.region, false);
    if (added) {
      it->second = caller_.CoversRegion(catalogue_, record.region->code);
    }
    if (!it->second) {
      return InvalidArgument(fmt::format("region: token {} does not cover region {}",
                                         caller_.token.id, record.region->code));
    }
    return Status::Ok();
  }

 private:
  const Principal& caller_;
  const Catalogue& catalogue_;
  std::unordered_map<const Region*, bool> regions_;
};

Result<bool> PartialOf(const Request& request) {
  const std::string partial = request.Query("partial");
  if (partial.empty() || partial == "false") {
    return false;
  }
  if (partial == "true") {
    return true;
  }
  return InvalidArgument(fmt::format("partial '{}': use true or false", partial));
}

// The answer to a body that failed: 422 with every invalid line when lines
// were invalid, else the error's own status.
Response Rejected(const Status& status, const ErrorCollector& errors) {
  if (errors.invalid() == 0) {
    return ErrorResponse(status);
  }
  json out = {{"error", {{"code", "unprocessable"}, {"message", status.message()}}},
              {"accepted", 0},
              {"rejected", errors.invalid()},
              {"errors", errors.errors()}};
  return {.status = 422, .body = out.dump(2) + "\n"};
}

}  // namespace

void Api::AddIngestRoutes() {
  router_.Add({.method = "POST",
               .pattern = "/api/v1/observations",
               .access = Access::kIngest,
               .summary = "Ingest observations as `vigil ingest` does (validation, detection, "
                          "warnings): JSON Lines or CSV with the fields indicator, region, time, "
                          "value and optionally denominator and source. All or nothing: one "
                          "invalid or out-of-jurisdiction line is 422 and nothing is stored",
               .query = {{"partial", "true: store the valid lines and reject the others"}},
               .body_types = {std::string(kJsonLines), std::string(kCsv)},
               .handler = [this](const Request& r) { return PostObservations(r); }});
}

Response Api::PostObservations(const Request& request) {
  const std::string type = MediaType(request.Header("content-type"));
  if (type != kJsonLines && type != kCsv) {
    return ErrorResponse(415, "unsupported_media_type",
                         fmt::format("observations are {} or {}", kJsonLines, kCsv));
  }
  Result<bool> partial = PartialOf(request);
  if (!partial.ok()) {
    return ErrorResponse(partial.status());
  }
  const Principal& caller = *request.principal;
  JurisdictionGate gate(caller, context_.catalogue);
  DiscardSink rejects;  // the answer lists them
  IngestOptions options{.rejects = *partial ? &rejects : nullptr};
  if (caller.Restricted()) {
    options.admit = [&gate](const ValidRecord& record) { return gate.Admit(record); };
  }
  const InputFormat format = type == kCsv ? InputFormat::kCsv : InputFormat::kJsonl;
  const IngestInput input{.name = "api/v1/observations", .default_source = caller.token.name};
  ErrorCollector errors;
  // All or nothing: a body is read and checked whole before the lock, so
  // that a bad one neither waits for other requests nor writes anything to
  // roll back, and a good one is not read again under the lock.
  std::optional<CheckedRecords> checked;
  if (!*partial) {
    checked.emplace();
    StringSource body(request.body);
    if (Result<IngestSummary> check =
            context_.ingest.Check(body, format, input, options, errors, &*checked);
        !check.ok()) {
      return Rejected(check.status(), errors);
    }
  }
  const std::string digest = Sha256Hex(request.body);

  std::lock_guard lock(mutex_);
  // Another process may have changed the warnings since the last request.
  if (Status refreshed = context_.stage.Refresh(); !refreshed.ok()) {
    return ErrorResponse(refreshed);
  }
  const DetectionCounts detection = context_.ingest.detection();
  const WarningCounts before = context_.stage.committed();
  const IngestAudit audit{.actor = caller.Actor(), .payload_digest = digest};
  StringSource body(request.body);
  Result<IngestSummary> summary =
      checked ? context_.ingest.Ingest(*checked, input, options, errors, audit)
              : context_.ingest.Ingest(body, format, input, options, errors, audit);
  if (!summary.ok()) {
    return Rejected(summary.status(), errors);
  }
  // Evidence alone changes no CAP message; republishing reads the whole log.
  if (context_.stage.committed().warning_changes != before.warning_changes) {
    Republish(context_.clock.Now());
  }
  const DetectionCounts& after = context_.ingest.detection();
  json out = {{"accepted", summary->inserted + summary->revised + summary->unchanged},
              {"rejected", summary->rejected},
              {"inserted", summary->inserted},
              {"revised", summary->revised},
              {"unchanged", summary->unchanged},
              {"signals", after.signals - detection.signals},
              {"alarms", after.alarms - detection.alarms},
              {"warning_events", context_.stage.committed().events - before.events},
              {"errors", errors.errors()}};
  return JsonResponse(out.dump(2) + "\n");
}

}  // namespace vigil::server
