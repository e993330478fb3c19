// The HTTP API of a workspace: its route table (health probes, metrics, the
// OpenAPI description, the catalogue, observations in, series and signals
// out, warnings and the actions on them, silences, agencies and escalations,
// the published CAP messages, the event stream of warning changes) over the
// catalogue, store, warning stage and ingest pipeline that the composition
// root opens and lends. docs/SERVER.md lists the routes.
//
// Warning writes go through the warning stage as `vigil warnings` does
// (engine/warning_ops.h): committed with an audit record naming the token,
// then republished as CAP.
//
// Observations go through the same pipeline as `vigil ingest`
// (engine/ingest_pipeline.h), whose detection engine stays in memory between
// requests.
//
// Thread safety: Handle may run on several threads at once. The store, the
// stage and the pipeline are used under one lock; the catalogue is immutable.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/metrics.h"
#include "engine/ingest_pipeline.h"
#include "engine/warning_stage.h"
#include "model/catalogue.h"
#include "publish/warning_publication.h"
#include "server/event_stream.h"
#include "server/rate_limit.h"
#include "server/router.h"
#include "store/store.h"

namespace vigil::server {

// What the API borrows; each must outlive it.
struct ApiContext {
  const Catalogue& catalogue;
  Store& store;
  WarningStage& stage;
  IngestPipeline& ingest;  // feeds `stage`
  const Clock& clock;
  publish::PublishOptions cap;          // where the workspace's CAP is published, and served from
  RateLimiter* rate_limiter = nullptr;  // per token; null: no limit
  bool metrics_need_token = false;      // GET /metrics: public unless set
  std::filesystem::path dashboard;      // the built dashboard (index.html, assets/) served at /
};

class Api {
 public:
  explicit Api(ApiContext context);
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  Response Handle(Request& request);
  const Router& router() const { return router_; }
  // Ends the event streams and their polling of the store, after which the
  // store is the caller's alone again. Idempotent; the destructor does it.
  void Stop() { events_.Stop(); }

 private:
  void AddMetaRoutes();
  void AddWarningRoutes();
  void AddCapRoutes();
  void AddIngestRoutes();
  void AddSeriesRoutes();
  void AddSilenceRoutes();
  void AddAdminRoutes();
  void AddEventRoutes();
  void AddMetricsRoute();  // and the metrics it computes at each scrape
  void CountRequest(const Request& request, const Response& response, double seconds);
  void AddDashboardRoutes();  // api_dashboard.cc

  Response Ready();
  Response CatalogueJson(const Request& request) const;
  Response ListWarnings(const Request& request);
  Response ShowWarning(const Request& request);
  Response IssueWarning(const Request& request);
  // Update, cancel or acknowledge (`what`: "update", "cancel", "ack").
  Response ChangeWarning(const Request& request, warn::ActionKind kind, std::string_view what);
  // Commits `action` with its audit record, publishes CAP and answers with
  // the timeline of the warning the step was about. Takes the lock.
  Response CommitAction(const Request& request, const warn::OperatorAction& action,
                        std::string_view what, const std::string& target);
  // Commits `input` as `vigil warnings WHAT` does, audited as the caller
  // with the body's digest, then publishes CAP. The lock must be held.
  Result<warn::StepResult> CommitLocked(const Request& request, const warn::Input& input,
                                        std::string_view what, const std::string& target);
  Response ListSilences(const Request& request);
  Response CreateSilence(const Request& request);
  Response DeleteSilence(const Request& request);
  Response PostObservations(const Request& request);
  Response Series(const Request& request);
  Response Signals(const Request& request);
  Response Agencies(const Request& request) const;
  Response Escalations(const Request& request);
  // Publishes the committed log as CAP after a write; a failure is logged,
  // not answered: the write stands and the next publication catches up.
  void Republish(Timestamp now);
  Response Feed(const Request& request);
  Response CapMessage(const Request& request);
  Response Events(const Request& request);

  ApiContext context_;
  std::mutex mutex_;  // guards the store and the stage
  Router router_;
  EventHub events_;  // polls the store under mutex_
  // This API's metrics; /metrics also exposes metrics::DefaultRegistry().
  metrics::Registry metrics_;
  metrics::Family<metrics::Counter>* requests_ = nullptr;
  metrics::Family<metrics::Histogram>* durations_ = nullptr;
};

}  // namespace vigil::server
